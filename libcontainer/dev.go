package libcontainer

import (
	"errors"
	"fmt"
	"os"
	"path"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// defaultDevices are the nodes every container gets, as runc gives them.
var defaultDevices = []specs.LinuxDevice{
	{Path: "/dev/null", Type: "c", Major: 1, Minor: 3},
	{Path: "/dev/zero", Type: "c", Major: 1, Minor: 5},
	{Path: "/dev/full", Type: "c", Major: 1, Minor: 7},
	{Path: "/dev/random", Type: "c", Major: 1, Minor: 8},
	{Path: "/dev/urandom", Type: "c", Major: 1, Minor: 9},
	{Path: "/dev/tty", Type: "c", Major: 5, Minor: 0},
}

// devSymlinks are the links runc makes in /dev.
var devSymlinks = [][2]string{
	{"/proc/self/fd", "/dev/fd"},
	{"/proc/self/fd/0", "/dev/stdin"},
	{"/proc/self/fd/1", "/dev/stdout"},
	{"/proc/self/fd/2", "/dev/stderr"},
}

// setupDev populates /dev unless the bundle bind-mounts the host's /dev.
func (r *rootfsSetup) setupDev() error {
	for _, m := range r.spec.Mounts {
		if cleanDest(m.Destination) == "/dev" && (m.Type == "bind" || hasOption(m.Options, "bind", "rbind")) {
			return nil
		}
	}
	userns := r.hasNamespace(specs.UserNamespace)
	for _, d := range defaultDevices {
		mode := os.FileMode(0o666)
		d.FileMode, d.UID, d.GID = &mode, new(uint32), new(uint32)
		if err := r.createDevice(d, userns); err != nil {
			return fmt.Errorf("create %s: %w", d.Path, err)
		}
	}
	for i, d := range r.linux().Devices {
		if err := r.createDevice(d, userns); err != nil {
			return fmt.Errorf("linux.devices[%d] (%s): %w", i, d.Path, err)
		}
	}
	for _, l := range devSymlinks {
		if err := r.symlinkInRoot(l[0], l[1]); err != nil {
			return err
		}
	}
	if _, err := os.Stat("/proc/kcore"); err == nil {
		if err := r.symlinkInRoot("/proc/kcore", "/dev/core"); err != nil {
			return err
		}
	}
	// /dev/ptmx must be the container's own devpts instance, whatever
	// the rootfs had there.
	dev, err := r.mkdirInRoot("/dev", 0o755)
	if err != nil {
		return err
	}
	defer dev.Close()
	if err := unix.Unlinkat(int(dev.Fd()), "ptmx", 0); err != nil && !errors.Is(err, unix.ENOENT) {
		return fmt.Errorf("remove /dev/ptmx: %w", err)
	}
	return r.symlinkInRoot("pts/ptmx", "/dev/ptmx")
}

func hasOption(opts []string, names ...string) bool {
	for _, o := range opts {
		for _, n := range names {
			if o == n {
				return true
			}
		}
	}
	return false
}

// createDevice makes one device node. In a user namespace mknod(2) is not
// allowed, so the host's node is bind-mounted onto an empty file instead.
func (r *rootfsSetup) createDevice(d specs.LinuxDevice, userns bool) error {
	dir, err := r.mkdirInRoot(path.Dir(cleanDest(d.Path)), 0o755)
	if err != nil {
		return err
	}
	defer dir.Close()
	base := path.Base(d.Path)
	// Whatever the rootfs has there (a symlink to a host file, say) goes.
	if err := unix.Unlinkat(int(dir.Fd()), base, 0); err != nil && !errors.Is(err, unix.ENOENT) {
		return fmt.Errorf("remove old node: %w", err)
	}
	if userns {
		return r.bindHostDevice(dir, base, d.Path)
	}
	var typ uint32
	switch d.Type {
	case "c", "u":
		typ = unix.S_IFCHR
	case "b":
		typ = unix.S_IFBLK
	case "p":
		typ = unix.S_IFIFO
	default:
		return fmt.Errorf("unknown device type %q", d.Type)
	}
	perm := uint32(0o666)
	if d.FileMode != nil {
		perm = uint32(d.FileMode.Perm())
	}
	dev := unix.Mkdev(uint32(d.Major), uint32(d.Minor))
	if err := unix.Mknodat(int(dir.Fd()), base, typ|perm, int(dev)); err != nil {
		return fmt.Errorf("mknod: %w", err)
	}
	uid, gid := 0, 0
	if d.UID != nil {
		uid = int(*d.UID)
	}
	if d.GID != nil {
		gid = int(*d.GID)
	}
	if err := unix.Fchownat(int(dir.Fd()), base, uid, gid, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return fmt.Errorf("chown: %w", err)
	}
	return nil
}

func (r *rootfsSetup) bindHostDevice(dir *os.File, base, hostPath string) error {
	fd, err := unix.Openat(int(dir.Fd()), base, unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC|unix.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("create bind target: %w", err)
	}
	unix.Close(fd)
	target, err := r.openInRoot(path.Join(r.dirInRoot(dir), base))
	if err != nil {
		return err
	}
	defer target.Close()
	if err := unix.Mount(hostPath, r.fdPath(target), "", unix.MS_BIND, ""); err != nil {
		return fmt.Errorf("bind %s: %w", hostPath, err)
	}
	return nil
}

// dirInRoot is the container path of a directory handle inside the rootfs.
func (r *rootfsSetup) dirInRoot(dir *os.File) string {
	p, err := os.Readlink(r.fdPath(dir))
	if err != nil || len(p) < len(r.rootfs) {
		return "/"
	}
	return "/" + p[len(r.rootfs):]
}

// symlinkInRoot creates link -> target inside the rootfs, replacing
// nothing: an existing entry is kept (it may be the bundle's choice).
func (r *rootfsSetup) symlinkInRoot(target, link string) error {
	dir, err := r.mkdirInRoot(path.Dir(link), 0o755)
	if err != nil {
		return err
	}
	defer dir.Close()
	if err := unix.Symlinkat(target, int(dir.Fd()), path.Base(link)); err != nil && !errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("symlink %s: %w", link, err)
	}
	return nil
}
