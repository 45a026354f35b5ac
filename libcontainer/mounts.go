package libcontainer

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/vessel-runtime/vessel/libcontainer/configs"
)

// cleanDest makes a mount destination absolute: the spec allows a
// relative one, taken relative to "/" (a warning was printed by create).
func cleanDest(dest string) string {
	return path.Clean("/" + dest)
}

func (r *rootfsSetup) mountOne(m specs.Mount) error {
	dest := cleanDest(m.Destination)
	opts, err := configs.ParseMountOptions(m.Type, m.Options)
	if err != nil {
		return err
	}
	switch {
	case opts.Bind || m.Type == "bind":
		return r.mountBind(m, dest, opts)
	case m.Type == "cgroup":
		return r.mountCgroupV1(dest, opts)
	case m.Type == "cgroup2":
		if dir := r.unifiedDir(); dir != "" {
			return r.mountCgroupDir(dest, dir, "cgroup2", "", r.hasNamespace(specs.CgroupNamespace), opts.Flags)
		}
	}
	target, err := r.ensureDirInRoot(dest)
	if err != nil {
		return err
	}
	defer target.Close()
	if m.Type == "proc" || m.Type == "sysfs" {
		if err := r.checkNoSymlink(target, dest); err != nil {
			return err
		}
	}
	src := m.Source
	if src == "" {
		src = m.Type
	}
	err = unix.Mount(src, r.fdPath(target), m.Type, opts.Flags, opts.Data)
	if errors.Is(err, unix.EPERM) && m.Type == "sysfs" {
		// In a user namespace without its own network namespace the
		// kernel refuses a new sysfs: bind the host's, read-only.
		err = unix.Mount("/sys", r.fdPath(target), "", unix.MS_BIND|unix.MS_REC|unix.MS_RDONLY, "")
	}
	if err != nil {
		return fmt.Errorf("mount %s on %s: %w", m.Type, dest, err)
	}
	return r.applyPropagation(dest, opts)
}

// mountBind bind-mounts a host path (relative sources are relative to the
// bundle) onto a target created to match: a directory for a directory,
// an empty file otherwise, as runc does.
func (r *rootfsSetup) mountBind(m specs.Mount, dest string, opts configs.MountOptions) error {
	srcPath := m.Source
	if !filepath.IsAbs(srcPath) {
		srcPath = filepath.Join(r.cfg.Bundle, srcPath)
	}
	src, err := os.OpenFile(srcPath, unix.O_PATH|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	defer src.Close()
	info, err := src.Stat()
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	var target *os.File
	if info.IsDir() {
		target, err = r.ensureDirInRoot(dest)
	} else {
		target, err = r.ensureFileInRoot(dest)
	}
	if err != nil {
		return err
	}
	defer target.Close()
	flags := uintptr(unix.MS_BIND)
	if opts.Recursive {
		flags |= unix.MS_REC
	}
	if err := unix.Mount(r.fdPath(src), r.fdPath(target), "", flags, ""); err != nil {
		return fmt.Errorf("bind %s on %s: %w", srcPath, dest, err)
	}
	if err := r.remountBind(dest, opts); err != nil {
		return err
	}
	return r.applyPropagation(dest, opts)
}

// remountBind applies per-mount flags (ro, nosuid, ...) and recursive
// attributes (rro, ...) to a new bind mount. A bind mount ignores flags
// given with MS_BIND, hence the remount.
func (r *rootfsSetup) remountBind(dest string, opts configs.MountOptions) error {
	const remountable = unix.MS_RDONLY | unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC |
		unix.MS_NOATIME | unix.MS_NODIRATIME | unix.MS_RELATIME | unix.MS_STRICTATIME
	h, err := r.openInRoot(dest) // the new mount's root
	if err != nil {
		return err
	}
	defer h.Close()
	if flags := opts.Flags & remountable; flags != 0 {
		base := uintptr(unix.MS_BIND | unix.MS_REMOUNT)
		err := unix.Mount("", r.fdPath(h), "", base|flags, "")
		if errors.Is(err, unix.EPERM) {
			// The source's nosuid/nodev/noexec are locked in a user
			// namespace: keep them and retry.
			var st unix.Statfs_t
			if unix.Fstatfs(int(h.Fd()), &st) == nil {
				err = unix.Mount("", r.fdPath(h), "", base|flags|lockedFlags(st.Flags), "")
			}
		}
		if err != nil {
			return fmt.Errorf("remount %s: %w", dest, err)
		}
	}
	if opts.RecAttrSet != 0 || opts.RecAttrClr != 0 {
		attr := &unix.MountAttr{Attr_set: opts.RecAttrSet, Attr_clr: opts.RecAttrClr}
		if err := unix.MountSetattr(int(h.Fd()), "", unix.AT_EMPTY_PATH|unix.AT_RECURSIVE, attr); err != nil {
			return fmt.Errorf("mount_setattr %s: %w", dest, err)
		}
	}
	return nil
}

func (r *rootfsSetup) applyPropagation(dest string, opts configs.MountOptions) error {
	if len(opts.PropagationFlags) == 0 {
		return nil
	}
	h, err := r.openInRoot(dest)
	if err != nil {
		return err
	}
	defer h.Close()
	for _, p := range opts.PropagationFlags {
		if err := unix.Mount("", r.fdPath(h), "", p, ""); err != nil {
			return fmt.Errorf("set propagation of %s: %w", dest, err)
		}
	}
	return nil
}
