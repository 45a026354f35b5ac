package libcontainer

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// The parent (vessel create) and the child share one socketpair; every
// message is a frame: u32 little-endian payload length, u8 type, payload.
// The C stub (nsenter/nsexec.c) speaks the first four messages, Go init the rest.
//
//	parent                              child
//	msgBootstrap    -->                 [stub: setns, unshare user ns]
//	                <--  msgUsermapReq  (only with a new user namespace)
//	[write maps]    -->  msgUsermapAck  [stub: unshare the rest, fork]
//	                <--  msgChildPid    [init is born; Go starts]
//	msgConfig       -->                 [mounts, devices, rootfs]
//	                <--  msgHooks       [createRuntime point]
//	[prestart,
//	 createRuntime] -->  msgHooksDone   [createContainer hooks, pivot_root, ...]
//	                <--  msgReady       [init blocks on the exec fifo]
//
// Any failure is sent as msgError (Go) or msgStubError (C) and ends the child.
// An EOF on either side means the other side died: the child then exits,
// the parent cleans up.
const (
	msgBootstrap  byte = 1
	msgUsermapReq byte = 2
	msgUsermapAck byte = 3
	msgChildPid   byte = 4
	msgStubError  byte = 5
	msgConfig     byte = 10
	msgHooks      byte = 11
	msgHooksDone  byte = 12
	msgReady      byte = 13
	msgError      byte = 14
	msgSeccompFd  byte = 15 // init -> parent: the seccomp listener, in SCM_RIGHTS
	msgGo         byte = 16 // parent -> exec init: cgroup joined late, go on
)

// maxFrame bounds a frame: the init config carries the whole spec, which
// configs.LoadSpec already capped.
const maxFrame = 80 << 20

// Bootstrap record types of msgBootstrap, read by the C stub.
const (
	recCloneFlags uint16 = 1
	recJoin       uint16 = 2
	recTimens     uint16 = 3
)

// initError is a failure of the child, carried across the socket with its
// config location so the parent's JSON log keeps the machine-readable code.
type initError struct {
	Msg     string `json:"msg"`
	ErrCode string `json:"code,omitempty"`
	Ptr     string `json:"pointer,omitempty"`
}

func (e *initError) Error() string   { return e.Msg }
func (e *initError) Code() string    { return e.ErrCode }
func (e *initError) Pointer() string { return e.Ptr }

// channel is one end of the socketpair. fds holds descriptors received
// with SCM_RIGHTS (the seccomp listener) until taken.
type channel struct {
	f   *os.File
	fds []int
}

func (c *channel) send(typ byte, payload []byte) error {
	frame := make([]byte, 5+len(payload))
	binary.LittleEndian.PutUint32(frame, uint32(len(payload)))
	frame[4] = typ
	copy(frame[5:], payload)
	if _, err := c.f.Write(frame); err != nil {
		return fmt.Errorf("send message %d: %w", typ, err)
	}
	return nil
}

func (c *channel) sendJSON(typ byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode message %d: %w", typ, err)
	}
	return c.send(typ, data)
}

// recv reads the next frame. Errors sent by the other side come back as
// errors: *initError for the Go init, a plain error for the stub.
func (c *channel) recv() (byte, []byte, error) {
	var hdr [5]byte
	if err := c.readHeader(hdr[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, nil, errPeerGone
		}
		return 0, nil, fmt.Errorf("read message: %w", err)
	}
	n := binary.LittleEndian.Uint32(hdr[:4])
	if n > maxFrame {
		return 0, nil, fmt.Errorf("read message: frame of %d bytes is too large", n)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(c.f, payload); err != nil {
		return 0, nil, fmt.Errorf("read message: %w", err)
	}
	switch hdr[4] {
	case msgStubError:
		return 0, nil, errors.New(string(payload))
	case msgError:
		ie := &initError{}
		if err := json.Unmarshal(payload, ie); err != nil {
			return 0, nil, fmt.Errorf("decode init error: %w", err)
		}
		return 0, nil, ie
	}
	return hdr[4], payload, nil
}

// expect reads the next frame and fails unless it has type want.
func (c *channel) expect(want byte) ([]byte, error) {
	typ, payload, err := c.recv()
	if err != nil {
		return nil, err
	}
	if typ != want {
		return nil, fmt.Errorf("protocol error: got message %d, want %d", typ, want)
	}
	return payload, nil
}

var errPeerGone = errors.New("the other end of the init socket closed")

// readHeader reads a frame header with recvmsg(2), keeping any descriptors
// sent along: they arrive with the first byte of the frame.
func (c *channel) readHeader(hdr []byte) error {
	oob := make([]byte, unix.CmsgSpace(4*4))
	got := 0
	for got < len(hdr) {
		n, oobn, _, _, err := unix.Recvmsg(int(c.f.Fd()), hdr[got:], oob, unix.MSG_CMSG_CLOEXEC)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return io.ErrUnexpectedEOF
		}
		got += n
		if oobn > 0 {
			msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
			if err != nil {
				return fmt.Errorf("read message: %w", err)
			}
			for i := range msgs {
				if fds, err := unix.ParseUnixRights(&msgs[i]); err == nil {
					c.fds = append(c.fds, fds...)
				}
			}
		}
	}
	return nil
}

// sendFd sends a frame with one descriptor attached.
func (c *channel) sendFd(typ byte, fd int) error {
	frame := []byte{0, 0, 0, 0, typ}
	if err := unix.Sendmsg(int(c.f.Fd()), frame, unix.UnixRights(fd), nil, 0); err != nil {
		return fmt.Errorf("send message %d: %w", typ, err)
	}
	return nil
}

// takeFd returns the oldest received descriptor.
func (c *channel) takeFd() (int, error) {
	if len(c.fds) == 0 {
		return -1, errors.New("protocol error: expected a descriptor")
	}
	fd := c.fds[0]
	c.fds = c.fds[1:]
	return fd, nil
}
