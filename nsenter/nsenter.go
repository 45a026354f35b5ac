// Package nsenter holds the C stub that runs before the Go runtime when vessel
// is started as a container's init. It is imported for its side effect only,
// by the root package's init.go, and by nothing else.
//
// Privileged: yes (unshare, setns, fork before any Go code runs).
package nsenter

/*
#cgo CFLAGS: -Wall -Wextra -Werror -std=gnu11 -O2
extern void vessel_nsexec(void);
void __attribute__((constructor)) vessel_nsenter_init(void) { vessel_nsexec(); }
*/
import "C"
