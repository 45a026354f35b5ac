package seccomp

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Install loads the filter into the calling thread (and, with TSYNC, all
// threads). The caller must hold CAP_SYS_ADMIN or have set no_new_privs,
// and should be on a locked OS thread that execs next: without TSYNC the
// filter covers only this thread. It returns the notification listener
// when the filter has NOTIFY rules, else -1.
func Install(f *Filter) (int, error) {
	if f == nil || len(f.Program) == 0 {
		return -1, nil
	}
	prog := unix.SockFprog{Len: uint16(len(f.Program)), Filter: &f.Program[0]}
	r, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, uintptr(f.Flags), uintptr(unsafe.Pointer(&prog)))
	if errno != 0 {
		return -1, fmt.Errorf("seccomp(SET_MODE_FILTER): %w", errno)
	}
	if f.Flags&flagNewListener != 0 {
		return int(r), nil
	}
	return -1, nil
}
