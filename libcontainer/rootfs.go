package libcontainer

import (
	"fmt"
	"os"
	"strings"

	"github.com/moby/sys/mountinfo"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// rootfsSetup builds the container's filesystem view in the init's new
// mount namespace. Everything that needs /proc is done before pivot_root,
// through the host's procfs, which the container cannot touch.
type rootfsSetup struct {
	cfg        *initConfig
	spec       *specs.Spec
	rootfs     string   // canonical host path of the rootfs
	root       *os.File // O_PATH handle of the rootfs mount
	procSelfFd *os.File // the host's /proc/self/fd, kept across pivot_root
	console    *os.File // pty slave when process.terminal is set
}

func newRootfsSetup(cfg *initConfig) (*rootfsSetup, error) {
	r := &rootfsSetup{cfg: cfg, spec: cfg.Spec}
	f, err := os.OpenFile("/proc/self/fd", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open /proc/self/fd: %w", err)
	}
	r.procSelfFd = f
	if magic, err := fsMagic(f); err != nil || magic != unix.PROC_SUPER_MAGIC {
		r.close()
		return nil, fmt.Errorf("/proc is not a procfs")
	}
	unix.Umask(0)
	return r, nil
}

func (r *rootfsSetup) close() {
	for _, f := range []*os.File{r.root, r.procSelfFd} {
		if f != nil {
			f.Close()
		}
	}
	r.root, r.procSelfFd = nil, nil
}

func (r *rootfsSetup) linux() *specs.Linux {
	if r.spec.Linux == nil {
		return &specs.Linux{}
	}
	return r.spec.Linux
}

// mountAll makes the rootfs a private mount point and mounts every entry
// of config.json's mounts, then /dev, sysctls, the console, masked and
// read-only paths.
func (r *rootfsSetup) mountAll() error {
	prop := uintptr(unix.MS_SLAVE | unix.MS_REC)
	if p := r.linux().RootfsPropagation; p != "" {
		prop = propagationFlag(p)
	}
	if err := unix.Mount("", "/", "", prop, ""); err != nil {
		return fmt.Errorf("linux.rootfsPropagation: make / %s: %w", r.linux().RootfsPropagation, err)
	}
	if err := unix.Mount(r.cfg.Rootfs, r.cfg.Rootfs, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("root.path: bind mount %s: %w", r.cfg.Rootfs, err)
	}
	if err := makeParentPrivate(r.cfg.Rootfs); err != nil {
		return err
	}
	root, err := os.OpenFile(r.cfg.Rootfs, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("root.path: %w", err)
	}
	r.root = root
	if r.rootfs, err = os.Readlink(r.fdPath(root)); err != nil {
		return fmt.Errorf("root.path: %w", err)
	}
	for i, m := range r.spec.Mounts {
		if err := r.mountOne(m); err != nil {
			return fmt.Errorf("mounts[%d] (%s): %w", i, m.Destination, err)
		}
	}
	if err := r.setupDev(); err != nil {
		return err
	}
	if err := r.writeSysctls(); err != nil {
		return err
	}
	if err := r.setupConsole(); err != nil {
		return err
	}
	if err := r.maskPaths(); err != nil {
		return err
	}
	return r.readonlyPaths()
}

// finish creates the working directory, switches root and applies what
// must follow pivot_root.
func (r *rootfsSetup) finish() error {
	if cwd := r.spec.Process.Cwd; cwd != "" {
		h, err := r.ensureDirInRoot(cwd)
		if err != nil {
			return fmt.Errorf("process.cwd: %w", err)
		}
		h.Close()
	}
	if r.cfg.NoPivot {
		if err := moveRoot(r.cfg.Rootfs); err != nil {
			return err
		}
	} else if err := pivotRoot(r.cfg.Rootfs); err != nil {
		return err
	}
	if r.spec.Root.Readonly {
		if err := remountReadonly("/"); err != nil {
			return fmt.Errorf("root.readonly: %w", err)
		}
	}
	if p := r.linux().RootfsPropagation; p != "" {
		if err := unix.Mount("", "/", "", propagationFlag(p), ""); err != nil {
			return fmt.Errorf("linux.rootfsPropagation: %w", err)
		}
	}
	return r.setHostname()
}

func (r *rootfsSetup) setHostname() error {
	if h := r.spec.Hostname; h != "" {
		if err := unix.Sethostname([]byte(h)); err != nil {
			return fmt.Errorf("hostname: %w", err)
		}
	}
	if d := r.spec.Domainname; d != "" {
		if err := unix.Setdomainname([]byte(d)); err != nil {
			return fmt.Errorf("domainname: %w", err)
		}
	}
	return nil
}

func propagationFlag(p string) uintptr {
	switch p {
	case "shared":
		return unix.MS_SHARED
	case "rshared":
		return unix.MS_SHARED | unix.MS_REC
	case "slave":
		return unix.MS_SLAVE
	case "rslave":
		return unix.MS_SLAVE | unix.MS_REC
	case "private":
		return unix.MS_PRIVATE
	case "unbindable":
		return unix.MS_UNBINDABLE
	case "runbindable":
		return unix.MS_UNBINDABLE | unix.MS_REC
	}
	return unix.MS_PRIVATE | unix.MS_REC
}

// makeParentPrivate makes the mount holding the rootfs private if it is
// shared: pivot_root(2) refuses a shared parent, and events must not
// propagate back to the host.
func makeParentPrivate(rootfs string) error {
	mounts, err := mountinfo.GetMounts(mountinfo.ParentsFilter(rootfs))
	if err != nil {
		return fmt.Errorf("read mountinfo: %w", err)
	}
	var parent *mountinfo.Info
	for _, m := range mounts {
		if m.Mountpoint != rootfs && (parent == nil || len(m.Mountpoint) > len(parent.Mountpoint)) {
			parent = m
		}
	}
	if parent == nil || !strings.Contains(parent.Optional, "shared:") {
		return nil
	}
	if err := unix.Mount("", parent.Mountpoint, "", unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make %s private: %w", parent.Mountpoint, err)
	}
	return nil
}

// pivotRoot uses pivot_root(".", "."): the old root ends up stacked on the
// new one and is detached at once, with no directory needed in the rootfs.
func pivotRoot(rootfs string) error {
	oldroot, err := unix.Open("/", unix.O_DIRECTORY|unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("pivot_root: open old root: %w", err)
	}
	defer unix.Close(oldroot)
	if err := unix.Chdir(rootfs); err != nil {
		return fmt.Errorf("pivot_root: chdir %s: %w", rootfs, err)
	}
	if err := unix.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root %s: %w", rootfs, err)
	}
	if err := unix.Fchdir(oldroot); err != nil {
		return fmt.Errorf("pivot_root: %w", err)
	}
	// Slave first, so the unmount does not propagate to the host.
	if err := unix.Mount("", ".", "", unix.MS_SLAVE|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("pivot_root: make old root slave: %w", err)
	}
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("pivot_root: detach old root: %w", err)
	}
	if err := unix.Chdir("/"); err != nil {
		return fmt.Errorf("pivot_root: %w", err)
	}
	return nil
}

// moveRoot is --no-pivot: move the rootfs over / and chroot into it, for
// filesystems (initramfs) where pivot_root is impossible.
func moveRoot(rootfs string) error {
	if err := unix.Chdir(rootfs); err != nil {
		return fmt.Errorf("chdir %s: %w", rootfs, err)
	}
	if err := unix.Mount(rootfs, "/", "", unix.MS_MOVE, ""); err != nil {
		return fmt.Errorf("move %s to /: %w", rootfs, err)
	}
	if err := unix.Chroot("."); err != nil {
		return fmt.Errorf("chroot: %w", err)
	}
	return unix.Chdir("/")
}

// remountReadonly remounts a bind mount read-only, keeping the flags the
// kernel locks (nosuid, nodev, noexec, atime) as they are.
func remountReadonly(path string) error {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return err
	}
	flags := uintptr(unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY) | lockedFlags(st.Flags)
	if err := unix.Mount("", path, "", flags, ""); err != nil {
		return fmt.Errorf("remount %s read-only: %w", path, err)
	}
	return nil
}

func lockedFlags(stFlags int64) uintptr {
	var out uintptr
	for st, ms := range map[int64]uintptr{
		unix.ST_NOSUID: unix.MS_NOSUID, unix.ST_NODEV: unix.MS_NODEV, unix.ST_NOEXEC: unix.MS_NOEXEC,
		unix.ST_NOATIME: unix.MS_NOATIME, unix.ST_NODIRATIME: unix.MS_NODIRATIME, unix.ST_RELATIME: unix.MS_RELATIME,
	} {
		if stFlags&st != 0 {
			out |= ms
		}
	}
	return out
}

func readLastCap() (int, error) {
	data, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		return 0, fmt.Errorf("read cap_last_cap: %w", err)
	}
	var n int
	if _, err := fmt.Sscan(string(data), &n); err != nil {
		return 0, fmt.Errorf("parse cap_last_cap: %w", err)
	}
	return n, nil
}
