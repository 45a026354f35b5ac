package libcontainer

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// sealedSelf returns a sealed in-memory copy of the running vessel binary.
//
// CVE-2019-5736: a container process that becomes, or execs, the runtime
// (a workload of "#!/proc/self/exe") can open /proc/<pid>/exe and, once the
// runtime exits, write through it to replace the host binary. The init is
// started from this copy instead: its /proc/<pid>/exe is the memfd, which
// has no path on the host, and its seals (write, grow, shrink, seal) make
// it immutable, so no write can ever reach a binary the host runs again.
// The stub also marks the init non-dumpable until exec (nsenter/nsexec.c),
// which keeps other container processes from opening it at all.
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
