package main

import (
	"errors"
	"os"
	"os/signal"

	"github.com/urfave/cli/v2"
	"golang.org/x/sys/unix"

	"github.com/vessel-runtime/vessel/libcontainer"
)

var runCommand = &cli.Command{
	Name:      "run",
	Usage:     "create and start a container, and wait for it",
	ArgsUsage: "<container-id>",
	Description: `Creates and starts the container, forwards the signals vessel receives
to it, waits for it to exit, deletes it and exits with its status (128+N
when killed by signal N). With --detach it returns once the container runs.
With process.terminal and no --console-socket, vessel connects the
container's terminal to its own.

Example:
   vessel run --bundle ./mybundle demo; echo "exit status $?"`,
	Flags: append(append([]cli.Flag{}, createFlags...),
		&cli.BoolFlag{Name: "detach", Aliases: []string{"d"}, Usage: "return once the container runs"},
		&cli.BoolFlag{Name: "keep", Usage: "do not delete the container after it exits"},
		&cli.BoolFlag{Name: "no-subreaper", Usage: "do not make vessel a subreaper (the init may not be reaped by it)"},
	),
	Action: func(ctx *cli.Context) error {
		if err := checkArgs(ctx, 1); err != nil {
			return err
		}
		if ctx.Bool("detach") {
			c, err := createContainer(ctx, nil)
			if err != nil {
				return err
			}
			defer c.Close()
			return startOrDestroy(c)
		}
		return runForeground(ctx)
	},
}

// startOrDestroy starts a container just created; if that fails the
// container is removed, so a failed run leaves nothing.
func startOrDestroy(c *libcontainer.Container) error {
	warnings, err := c.Start()
	warnAll(warnings)
	if err != nil {
		c.Destroy(true)
	}
	return err
}

func runForeground(ctx *cli.Context) error {
	if !ctx.Bool("no-subreaper") {
		// The init is a grandchild (the stub forks): as a subreaper we
		// inherit it and can wait for it.
		if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
			return err
		}
	}
	signals := make(chan os.Signal, 128)
	signal.Notify(signals)
	var tty *ttyProxy
	var internal *os.File
	if ctx.String("console-socket") == "" {
		var err error
		if tty, err = newTTYProxy(); err != nil {
			return err
		}
		defer tty.close()
		internal = tty.theirs
	}
	c, err := createContainer(ctx, internal)
	if err != nil {
		return err
	}
	if tty != nil && !c.State.Config.Process.Terminal {
		tty = nil
	}
	if tty != nil {
		if err := tty.attach(); err != nil {
			c.Destroy(true)
			c.Close()
			return err
		}
	}
	if err := startOrDestroy(c); err != nil {
		c.Close()
		return err
	}
	c.Close()
	status := waitInit(c.State.InitPid, signals, tty)
	if tty != nil {
		tty.drain()
	}
	if !ctx.Bool("keep") {
		if d, err := openContainer(ctx, true); err == nil {
			warnings, err := d.Destroy(true)
			warnAll(warnings)
			d.Close()
			if err != nil {
				warnf("delete: %v", err)
			}
		}
	}
	return exitCode(status)
}

// waitInit forwards signals to the init and reaps children (orphans of the
// container come to us as subreaper) until the init exits; it returns the
// shell-style status.
func waitInit(pid int, signals chan os.Signal, tty *ttyProxy) int {
	for {
		if status, done := reap(pid); done {
			return status
		}
		sig := (<-signals).(unix.Signal)
		switch sig {
		case unix.SIGCHLD:
		case unix.SIGWINCH:
			if tty != nil {
				tty.resize()
			}
		case unix.SIGURG, unix.SIGPIPE:
			// SIGURG is the Go runtime's preemption signal, not the user's.
		default:
			if err := unix.Kill(pid, sig); err != nil && !errors.Is(err, unix.ESRCH) {
				warnf("forward signal %d: %v", sig, err)
			}
		}
	}
}

// reap collects every exited child; done reports the init's exit.
func reap(initPid int) (status int, done bool) {
	for {
		var ws unix.WaitStatus
		pid, err := unix.Wait4(-1, &ws, unix.WNOHANG, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil || pid <= 0 {
			return 0, false
		}
		if pid != initPid {
			continue
		}
		if ws.Signaled() {
			return 128 + int(ws.Signal()), true
		}
		return ws.ExitStatus(), true
	}
}
