package libcontainer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	pathrs "github.com/cyphar/filepath-securejoin/pathrs-lite"
	"golang.org/x/sys/unix"
)

// Every path inside the rootfs is resolved with pathrs-lite (openat2
// RESOLVE_IN_ROOT where the kernel has it), so a symlink, absolute or
// relative, can never lead out of the rootfs (CVE-2021-30465). Mounts are
// then made on the resolved O_PATH handle through the host's
// /proc/self/fd, so swapping a path component after resolution changes
// nothing.

// fdPath names an open descriptor for mount(2) through the host procfs
// handle kept in procSelfFd.
func (r *rootfsSetup) fdPath(f *os.File) string {
	return "/proc/self/fd/" + strconv.Itoa(int(f.Fd()))
}

// openInRoot resolves p inside the rootfs and returns an O_PATH handle.
func (r *rootfsSetup) openInRoot(p string) (*os.File, error) {
	return pathrs.OpenatInRoot(r.root, p)
}

// mkdirInRoot creates directory p (and its parents) inside the rootfs.
func (r *rootfsSetup) mkdirInRoot(p string, mode os.FileMode) (*os.File, error) {
	return pathrs.MkdirAllHandle(r.root, p, mode)
}

// ensureFileInRoot makes sure p exists inside the rootfs as a non-directory
// (a mount target for a file bind mount or a device), creating an empty
// file when it is missing, and returns an O_PATH handle to it.
func (r *rootfsSetup) ensureFileInRoot(p string) (*os.File, error) {
	if h, err := r.openInRoot(p); err == nil {
		return h, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	dir, err := r.mkdirInRoot(filepath.Dir(p), 0o755)
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	fd, err := unix.Openat(int(dir.Fd()), filepath.Base(p), unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC|unix.O_WRONLY, 0o644)
	if err != nil && !errors.Is(err, unix.EEXIST) {
		return nil, fmt.Errorf("create %s: %w", p, err)
	}
	if err == nil {
		unix.Close(fd)
	}
	return r.openInRoot(p)
}

// ensureDirInRoot returns a handle to directory p, created if missing.
func (r *rootfsSetup) ensureDirInRoot(p string) (*os.File, error) {
	return r.mkdirInRoot(p, 0o755)
}

// checkNoSymlink refuses a handle whose resolved path differs from the
// lexical one: proc and sysfs must not be mounted through a symlink, or a
// later write meant for them could land somewhere the container chose
// (CVE-2019-16884, CVE-2019-19921).
func (r *rootfsSetup) checkNoSymlink(h *os.File, p string) error {
	got, err := os.Readlink(r.fdPath(h))
	if err != nil {
		return err
	}
	if want := filepath.Join(r.rootfs, p); got != want {
		return fmt.Errorf("%s resolves to %s: refusing to mount through a symlink", p, got)
	}
	return nil
}

// fsMagic is the filesystem type of a descriptor: checked before vessel
// writes through it.
func fsMagic(f *os.File) (int64, error) {
	var st unix.Statfs_t
	if err := unix.Fstatfs(int(f.Fd()), &st); err != nil {
		return 0, err
	}
	return st.Type, nil
}
