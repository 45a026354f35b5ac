// Package seccomp compiles a runtime-spec linux.seccomp profile to a
// classic BPF program in pure Go (no libseccomp, so vessel stays static)
// and installs it.
//
// The program checks the architecture, returns ENOSYS for syscalls newer
// than any the profile names (as runc does, so that glibc falls back from
// clone3 and friends), then finds the syscall by binary search over the
// sorted syscall numbers: O(log n) instructions instead of libseccomp's
// linear chain. See docs/seccomp.md.
//
// Privileged: Install only (seccomp(2)); everything else is pure.
package seccomp

//go:generate go run ./gen
