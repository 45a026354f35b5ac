package libcontainer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// protectedSelf returns a handle to the running vessel binary that nothing
// can write through, to exec the container's init (and exec'd processes)
// from.
//
// CVE-2019-5736: a container process that becomes, or execs, the runtime
// (a workload of "#!/proc/self/exe") can open /proc/<pid>/exe and, once the
// runtime exits, write through it to replace the host binary. The init is
// started from a handle whose file can never be written:
//
//  1. the binary opened through a detached, read-only overlayfs mount of its
//     directory (runc 1.2's approach): no upper layer, so every write fails
//     with EROFS, and no copy is made (about 0.1 ms);
//  2. where that is impossible (no overlayfs, no CAP_SYS_ADMIN, the binary
//     in "/"), a sealed memfd copy (write, grow, shrink and seal sealed),
//     which costs a copy of the binary (2 to 4 ms).
//
// The stub also marks the init non-dumpable until exec (nsenter/nsexec.c),
// which keeps other container processes from opening it at all.
func protectedSelf(stateRoot string) (*os.File, error) {
	if f, err := overlaySelf(stateRoot); err == nil {
		return f, nil
	}
	return sealedSelf()
}

// overlaySelf opens the binary through a private read-only overlay of its
// directory. overlayfs wants two lower layers when it has no upper one: the
// second is an empty directory in vessel's state root.
func overlaySelf(stateRoot string) (*os.File, error) {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(exe)
	empty := filepath.Join(stateRoot, ".exe-layer")
	if err := os.Mkdir(empty, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	fsfd, err := unix.Fsopen("overlay", unix.FSOPEN_CLOEXEC)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fsfd)
	if err := unix.FsconfigSetString(fsfd, "lowerdir", dir+":"+empty); err != nil {
		return nil, err
	}
	if err := unix.FsconfigCreate(fsfd); err != nil {
		return nil, err
	}
	mfd, err := unix.Fsmount(fsfd, unix.FSMOUNT_CLOEXEC, unix.MOUNT_ATTR_RDONLY|unix.MOUNT_ATTR_NODEV|unix.MOUNT_ATTR_NOSUID)
	if err != nil {
		return nil, err
	}
	defer unix.Close(mfd)
	fd, err := unix.Openat(mfd, filepath.Base(exe), unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), "vessel-ro"), nil
}

// sealedSelf returns a sealed in-memory copy of the running vessel binary.
func sealedSelf() (*os.File, error) {
	self, err := os.Open("/proc/self/exe")
	if err != nil {
		return nil, fmt.Errorf("open own binary: %w", err)
	}
	defer self.Close()
	info, err := self.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat own binary: %w", err)
	}
	fd, err := unix.MemfdCreate("vessel", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING|unix.MFD_EXEC)
	if err != nil {
		// MFD_EXEC is new in 6.3; older kernels reject the flag.
		fd, err = unix.MemfdCreate("vessel", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	}
	if err != nil {
		return nil, fmt.Errorf("memfd_create: %w", err)
	}
	mem := os.NewFile(uintptr(fd), "vessel-memfd")
	if err := copyAll(mem, self, info.Size()); err != nil {
		mem.Close()
		return nil, err
	}
	const seals = unix.F_SEAL_SEAL | unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE
	if _, err := unix.FcntlInt(mem.Fd(), unix.F_ADD_SEALS, seals); err != nil {
		mem.Close()
		return nil, fmt.Errorf("seal binary copy: %w", err)
	}
	return mem, nil
}

// copyAll copies size bytes with sendfile(2), which stays in the kernel.
func copyAll(dst, src *os.File, size int64) error {
	var off int64
	for off < size {
		n, err := unix.Sendfile(int(dst.Fd()), int(src.Fd()), &off, int(size-off))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("copy own binary: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("copy own binary: short copy at %d of %d bytes", off, size)
		}
	}
	return nil
}
