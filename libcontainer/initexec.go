package libcontainer

import (
	"fmt"
	"os"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// runExec is the init side of `vessel exec`: the stub has joined every
// namespace of the container (setns into its mount namespace also moved our
// root and working directory into it), the parent put us in its cgroup.
// What is left is the process itself.
func runExec(ch *channel, cfg *initConfig) error {
	var console *os.File
	if cfg.Process.Terminal {
		var err error
		if console, err = execConsole(cfg.ConsoleFd, cfg.Process); err != nil {
			return err
		}
	}
	ps, err := newProcessSetup(cfg.Process, cfg, console)
	if err != nil {
		return err
	}
	if err := ps.installNotifyFilter(ch); err != nil {
		return err
	}
	if err := ch.send(msgReady, nil); err != nil {
		return err
	}
	if cfg.WaitGo {
		if _, err := ch.expect(msgGo); err != nil {
			return err
		}
	}
	// The socket is close-on-exec: the parent reads EOF when execve
	// succeeds, or the error sent below when it fails.
	return ps.exec()
}

// execConsole opens a new pty in the container's devpts and sends its
// master to the console socket.
func execConsole(consoleFd int, proc *specs.Process) (*os.File, error) {
	if consoleFd < 0 {
		return nil, fmt.Errorf("process.terminal: a console socket is required")
	}
	sock := os.NewFile(uintptr(consoleFd), "console-socket")
	defer sock.Close()
	ptmx, err := os.OpenFile("/dev/pts/ptmx", unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("process.terminal: open /dev/pts/ptmx: %w", err)
	}
	defer ptmx.Close()
	return openPty(ptmx, sock, proc.ConsoleSize)
}
