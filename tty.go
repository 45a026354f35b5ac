package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// ttyProxy connects a container's terminal to vessel's own stdio, for
// `run` in the foreground with process.terminal and no --console-socket.
// The container sends its pty master over a socketpair exactly as it would
// over a --console-socket.
type ttyProxy struct {
	ours, theirs *os.File
	master       *os.File
	saved        *unix.Termios
	outputDone   chan struct{}
}

func newTTYProxy() (*ttyProxy, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("console socketpair: %w", err)
	}
	return &ttyProxy{
		ours:   os.NewFile(uintptr(fds[0]), "console-ours"),
		theirs: os.NewFile(uintptr(fds[1]), "console-theirs"),
	}, nil
}

// attach receives the master and starts copying. stdin is put in raw mode
// when it is a terminal, so keys reach the container untranslated.
func (t *ttyProxy) attach() error {
	t.theirs.Close()
	buf := make([]byte, 4096)
	oob := make([]byte, unix.CmsgSpace(4))
	_, oobn, _, _, err := unix.Recvmsg(int(t.ours.Fd()), buf, oob, unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		return fmt.Errorf("receive pty master: %w", err)
	}
	msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
	if err != nil || len(msgs) != 1 {
		return fmt.Errorf("receive pty master: no descriptor")
	}
	fds, err := unix.ParseUnixRights(&msgs[0])
	if err != nil || len(fds) != 1 {
		return fmt.Errorf("receive pty master: no descriptor")
	}
	t.master = os.NewFile(uintptr(fds[0]), "pty-master")
	if st, err := unix.IoctlGetTermios(0, unix.TCGETS); err == nil {
		t.saved = st
		raw := *st
		raw.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
		raw.Oflag &^= unix.OPOST
		raw.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
		raw.Cflag &^= unix.CSIZE | unix.PARENB
		raw.Cflag |= unix.CS8
		unix.IoctlSetTermios(0, unix.TCSETS, &raw)
		t.resize()
	}
	t.outputDone = make(chan struct{})
	go func() {
		io.Copy(os.Stdout, t.master) // ends with EIO once the last slave closes
		close(t.outputDone)
	}()
	go io.Copy(t.master, os.Stdin)
	return nil
}

func (t *ttyProxy) resize() {
	if ws, err := unix.IoctlGetWinsize(0, unix.TIOCGWINSZ); err == nil && t.master != nil {
		unix.IoctlSetWinsize(int(t.master.Fd()), unix.TIOCSWINSZ, ws)
	}
}

// drain waits briefly for the container's last output.
func (t *ttyProxy) drain() {
	if t.outputDone == nil {
		return
	}
	select {
	case <-t.outputDone:
	case <-time.After(time.Second):
	}
}

func (t *ttyProxy) close() {
	if t.saved != nil {
		unix.IoctlSetTermios(0, unix.TCSETS, t.saved)
	}
	for _, f := range []*os.File{t.ours, t.theirs, t.master} {
		if f != nil {
			f.Close()
		}
	}
}
