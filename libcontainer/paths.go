package libcontainer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// maskPaths hides linux.maskedPaths: directories under a read-only tmpfs,
// files under the host's /dev/null, verified to be the null device first
// so a container cannot make us bind a host file of its choice
// (CVE-2025-31133).
func (r *rootfsSetup) maskPaths() error {
	paths := r.linux().MaskedPaths
	if len(paths) == 0 {
		return nil
	}
	null, err := openDevNull()
	if err != nil {
		return err
	}
	defer null.Close()
	for i, p := range paths {
		h, err := r.openInRoot(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("linux.maskedPaths[%d]: %w", i, err)
		}
		info, err := h.Stat()
		if err == nil {
			if info.IsDir() {
				err = unix.Mount("tmpfs", r.fdPath(h), "tmpfs", unix.MS_RDONLY, "")
			} else {
				err = unix.Mount(r.fdPath(null), r.fdPath(h), "", unix.MS_BIND, "")
			}
		}
		h.Close()
		if err != nil {
			return fmt.Errorf("linux.maskedPaths[%d]: mask %s: %w", i, p, err)
		}
	}
	return nil
}

func openDevNull() (*os.File, error) {
	null, err := os.OpenFile("/dev/null", unix.O_PATH|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open /dev/null: %w", err)
	}
	var st unix.Stat_t
	if err := unix.Fstat(int(null.Fd()), &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFCHR || st.Rdev != unix.Mkdev(1, 3) {
		null.Close()
		return nil, errors.New("/dev/null is not the null device")
	}
	return null, nil
}

// readonlyPaths bind-mounts each of linux.readonlyPaths onto itself and
// remounts it read-only.
func (r *rootfsSetup) readonlyPaths() error {
	for i, p := range r.linux().ReadonlyPaths {
		h, err := r.openInRoot(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("linux.readonlyPaths[%d]: %w", i, err)
		}
		err = unix.Mount(r.fdPath(h), r.fdPath(h), "", unix.MS_BIND|unix.MS_REC, "")
		h.Close()
		if err != nil {
			return fmt.Errorf("linux.readonlyPaths[%d]: bind %s: %w", i, p, err)
		}
		// Reopen: the handle must name the new mount, not the one below.
		h, err = r.openInRoot(p)
		if err != nil {
			return fmt.Errorf("linux.readonlyPaths[%d]: %w", i, err)
		}
		var st unix.Statfs_t
		err = unix.Fstatfs(int(h.Fd()), &st)
		if err == nil {
			flags := uintptr(unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY|unix.MS_REC) | lockedFlags(st.Flags)
			err = unix.Mount("", r.fdPath(h), "", flags, "")
		}
		h.Close()
		if err != nil {
			return fmt.Errorf("linux.readonlyPaths[%d]: remount %s read-only: %w", i, p, err)
		}
	}
	return nil
}

// writeSysctls writes linux.sysctl through the host's procfs before
// pivot_root. /proc/sys resolves namespaced keys (net.*, kernel.shm*, ...)
// in the namespaces of the writer, which are the container's by now; which
// keys are allowed was checked by configs.Validate.
func (r *rootfsSetup) writeSysctls() error {
	for key, value := range r.linux().Sysctl {
		if strings.Contains(key, "/") || strings.Contains(key, "..") {
			return fmt.Errorf("linux.sysctl: invalid key %q", key)
		}
		p := "/proc/sys/" + strings.ReplaceAll(key, ".", "/")
		f, err := os.OpenFile(p, unix.O_WRONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("linux.sysctl[%s]: %w", key, err)
		}
		if magic, err := fsMagic(f); err != nil || magic != unix.PROC_SUPER_MAGIC {
			f.Close()
			return fmt.Errorf("linux.sysctl[%s]: %s is not on procfs", key, p)
		}
		_, err = f.WriteString(value)
		f.Close()
		if err != nil {
			return fmt.Errorf("linux.sysctl[%s]: write %q: %w", key, value, err)
		}
	}
	return nil
}
