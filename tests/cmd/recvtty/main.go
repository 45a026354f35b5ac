// Command recvtty is a console socket for tests, like runc's: it listens
// on a unix socket, receives a pty master sent with SCM_RIGHTS (as vessel,
// runc and crun send it) and copies the terminal's output to stdout.
//
//	recvtty [--mode copy|null] [--input TEXT] SOCKET
//
// --input writes TEXT to the terminal after receiving it. recvtty serves
// one connection and exits when the terminal closes.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"

	"golang.org/x/sys/unix"
)

func main() {
	mode := flag.String("mode", "copy", "copy: terminal output to stdout; null: discard it")
	input := flag.String("input", "", "text to type into the terminal")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: recvtty [--mode copy|null] [--input TEXT] SOCKET")
		os.Exit(2)
	}
	if err := serve(flag.Arg(0), *mode, *input); err != nil {
		fmt.Fprintln(os.Stderr, "recvtty:", err)
		os.Exit(1)
	}
}

func serve(path, mode, input string) error {
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
	name := make([]byte, 4096)
	oob := make([]byte, unix.CmsgSpace(4))
	n, oobn, _, _, err := conn.ReadMsgUnix(name, oob)
	if err != nil {
		return err
	}
	msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
	if err != nil || len(msgs) != 1 {
		return fmt.Errorf("no descriptor received (name %q)", name[:n])
	}
	fds, err := unix.ParseUnixRights(&msgs[0])
	if err != nil || len(fds) != 1 {
		return fmt.Errorf("no descriptor received")
	}
	master := os.NewFile(uintptr(fds[0]), string(name[:n]))
	if input != "" {
		master.WriteString(input)
	}
	out := io.Writer(os.Stdout)
	if mode == "null" {
		out = io.Discard
	}
	io.Copy(out, master) // ends with EIO when the last slave closes
	return nil
}
