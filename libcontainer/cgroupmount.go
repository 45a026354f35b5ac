package libcontainer

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/vessel-runtime/vessel/libcontainer/configs"
)

// mountCgroupV1 handles a mount of type "cgroup". On a pure v2 host it is a
// cgroup2 mount. Otherwise, as runc does: a tmpfs at dest with one
// directory per hierarchy, each either a fresh cgroup mount (in a private
// cgroup namespace, where the kernel roots it at the container's cgroup) or
// a bind of the container's own cgroup directory.
func (r *rootfsSetup) mountCgroupV1(dest string, opts configs.MountOptions) error {
	hs := r.cfg.Cgroups
	cgroupns := r.hasNamespace(specs.CgroupNamespace)
	if len(hs) == 1 && hs[0].Unified {
		return r.mountCgroupDir(dest, hs[0].Dir, "cgroup2", "", cgroupns, opts.Flags)
	}
	target, err := r.ensureDirInRoot(dest)
	if err != nil {
		return err
	}
	defer target.Close()
	tmpfsFlags := opts.Flags &^ unix.MS_RDONLY
	if err := unix.Mount("tmpfs", r.fdPath(target), "tmpfs", tmpfsFlags, "mode=755"); err != nil {
		return fmt.Errorf("mount tmpfs on %s: %w", dest, err)
	}
	for _, h := range hs {
		name := filepath.Base(h.MountPoint)
		sub := path.Join(dest, name)
		if h.Unified {
			err = r.mountCgroupDir(sub, h.Dir, "cgroup2", "", cgroupns, opts.Flags)
		} else {
			err = r.mountCgroupDir(sub, h.Dir, "cgroup", strings.Join(h.Subsystems, ","), cgroupns, opts.Flags)
		}
		if err != nil {
			return err
		}
		// Co-mounted controllers get a link per name (cpu -> cpu,cpuacct).
		if len(h.Subsystems) > 1 {
			for _, s := range h.Subsystems {
				if s != name && !strings.HasPrefix(s, "name=") {
					r.symlinkInRoot(name, path.Join(dest, s))
				}
			}
		}
	}
	if opts.Flags&unix.MS_RDONLY != 0 {
		h, err := r.openInRoot(dest)
		if err != nil {
			return err
		}
		defer h.Close()
		if err := unix.Mount("", r.fdPath(h), "", unix.MS_REMOUNT|unix.MS_RDONLY|tmpfsFlags, "mode=755"); err != nil {
			return fmt.Errorf("remount %s read-only: %w", dest, err)
		}
	}
	return nil
}

// mountCgroupDir mounts one hierarchy at dest: a new cgroup filesystem
// inside a cgroup namespace, else a bind of the container's directory so the
// container never sees the host's other cgroups.
func (r *rootfsSetup) mountCgroupDir(dest, hostDir, fstype, data string, cgroupns bool, flags uintptr) error {
	target, err := r.ensureDirInRoot(dest)
	if err != nil {
		return err
	}
	defer target.Close()
	if cgroupns {
		if err := unix.Mount(fstype, r.fdPath(target), fstype, flags, data); err != nil {
			return fmt.Errorf("mount %s on %s: %w", fstype, dest, err)
		}
		return nil
	}
	if err := unix.Mount(hostDir, r.fdPath(target), "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("bind %s on %s: %w", hostDir, dest, err)
	}
	return r.remountBind(dest, configs.MountOptions{Flags: flags})
}

func (r *rootfsSetup) hasNamespace(t specs.LinuxNamespaceType) bool {
	for _, ns := range r.linux().Namespaces {
		if ns.Type == t {
			return true
		}
	}
	return false
}

// unifiedDir is the container's directory in the cgroup2 hierarchy, if any.
func (r *rootfsSetup) unifiedDir() string {
	for _, h := range r.cfg.Cgroups {
		if h.Unified {
			return h.Dir
		}
	}
	return ""
}
