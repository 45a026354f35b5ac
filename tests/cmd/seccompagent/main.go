// Command seccompagent is a seccomp notify agent for tests: it listens on
// a unix socket for the listener descriptor a runtime sends (runtime-spec
// "listenerPath"), prints the ContainerProcessState it came with, then
// answers --count notified syscalls with --errno, printing one line per
// notification: "notify nr=N pid=P".
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// struct seccomp_notif and seccomp_notif_resp (linux/seccomp.h).
type notif struct {
	ID    uint64
	Pid   uint32
	Flags uint32
	Nr    int32
	Arch  uint32
	IP    uint64
	Args  [6]uint64
}

type notifResp struct {
	ID    uint64
	Val   int64
	Error int32
	Flags uint32
}

func main() {
	errno := flag.Int("errno", int(unix.EPERM), "errno returned for notified syscalls")
	count := flag.Int("count", 1, "notifications to answer before exiting")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: seccompagent [--errno N] [--count N] SOCKET")
		os.Exit(2)
	}
	if err := serve(flag.Arg(0), *errno, *count); err != nil {
		fmt.Fprintln(os.Stderr, "seccompagent:", err)
		os.Exit(1)
	}
}

func serve(path string, errno, count int) error {
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return err
	}
	defer ln.Close()
	conn, err := ln.AcceptUnix()
	if err != nil {
		return err
	}
	defer conn.Close()
	buf := make([]byte, 1<<16)
	oob := make([]byte, unix.CmsgSpace(4))
	n, oobn, _, _, err := conn.ReadMsgUnix(buf, oob)
	if err != nil {
		return err
	}
	fmt.Printf("state %s\n", buf[:n])
	msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
	if err != nil || len(msgs) != 1 {
		return fmt.Errorf("no descriptor")
	}
	fds, err := unix.ParseUnixRights(&msgs[0])
	if err != nil || len(fds) != 1 {
		return fmt.Errorf("no descriptor")
	}
	fd := fds[0]
	for i := 0; i < count; i++ {
		var req notif
		if err := ioctl(fd, unix.SECCOMP_IOCTL_NOTIF_RECV, unsafe.Pointer(&req)); err != nil {
			return fmt.Errorf("recv: %w", err)
		}
		fmt.Printf("notify nr=%d pid=%d\n", req.Nr, req.Pid)
		resp := notifResp{ID: req.ID, Error: -int32(errno)}
		if err := ioctl(fd, unix.SECCOMP_IOCTL_NOTIF_SEND, unsafe.Pointer(&resp)); err != nil {
			return fmt.Errorf("send: %w", err)
		}
	}
	return nil
}

func ioctl(fd int, req uint, arg unsafe.Pointer) error {
	for {
		_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(arg))
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return e
		}
		return nil
	}
}
