package seccomp

import (
	"encoding/json"
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// SendListener hands a seccomp notification listener to the agent at
// listenerPath, as the runtime-spec's seccomp section says: a
// ContainerProcessState JSON with the fd in SCM_RIGHTS. state is the
// container's OCI state JSON.
func SendListener(listenerFd int, listenerPath, metadata string, state []byte) error {
	var st specs.State
	if err := json.Unmarshal(state, &st); err != nil {
		return fmt.Errorf("decode state: %w", err)
	}
	msg, err := json.Marshal(specs.ContainerProcessState{
		Version: specs.Version, Fds: []string{specs.SeccompFdName}, Pid: st.Pid, Metadata: metadata, State: st,
	})
	if err != nil {
		return err
	}
	sock, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("socket: %w", err)
	}
	defer unix.Close(sock)
	if err := unix.Connect(sock, &unix.SockaddrUnix{Name: listenerPath}); err != nil {
		return fmt.Errorf("connect %s: %w", listenerPath, err)
	}
	if err := unix.Sendmsg(sock, msg, unix.UnixRights(listenerFd), nil, 0); err != nil {
		return fmt.Errorf("send to %s: %w", listenerPath, err)
	}
	return nil
}
