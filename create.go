package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"
	"golang.org/x/sys/unix"

	"github.com/vessel-runtime/vessel/libcontainer"
	"github.com/vessel-runtime/vessel/libcontainer/configs"
	"github.com/vessel-runtime/vessel/seccomp"
)

var createFlags = []cli.Flag{
	&cli.StringFlag{Name: "bundle", Aliases: []string{"b"}, Usage: "path to the bundle directory (default: current directory)"},
	&cli.StringFlag{Name: "console-socket", Usage: "unix socket that receives the pty master when process.terminal is set"},
	&cli.StringFlag{Name: "pid-file", Usage: "write the init's pid to this file (atomically)"},
	&cli.BoolFlag{Name: "no-pivot", Usage: "use MS_MOVE and chroot instead of pivot_root (for a rootfs on ramfs)"},
	&cli.BoolFlag{Name: "no-new-keyring", Usage: "keep the caller's session keyring instead of making a new one"},
	&cli.IntFlag{Name: "preserve-fds", Usage: "pass this many descriptors (from 3 on) to the container"},
}

var createCommand = &cli.Command{
	Name:      "create",
	Usage:     "create a container, ready to start",
	ArgsUsage: "<container-id>",
	Description: `Sets up the container described by the bundle's config.json and returns
once it is "created": namespaces, cgroup, root filesystem and init exist, and
the init waits for "vessel start" to exec process.args.

Example:
   vessel create --bundle ./mybundle --pid-file /run/demo.pid demo`,
	Flags: createFlags,
	Action: func(ctx *cli.Context) error {
		if err := checkArgs(ctx, 1); err != nil {
			return err
		}
		c, err := createContainer(ctx, nil)
		if err != nil {
			return err
		}
		c.Close()
		return nil
	},
}

// createContainer does create's work for create and run. internalConsole,
// when not nil, receives the pty master if the spec wants a terminal and
// no --console-socket was given (run in the foreground proxies it).
func createContainer(ctx *cli.Context, internalConsole *os.File) (*libcontainer.Container, error) {
	root, err := stateRoot(ctx)
	if err != nil {
		return nil, err
	}
	id, err := containerID(ctx)
	if err != nil {
		return nil, err
	}
	bundle, err := filepath.Abs(ctx.String("bundle"))
	if err != nil {
		return nil, fmt.Errorf("--bundle: %w", err)
	}
	spec, err := configs.LoadSpec(bundle)
	if err != nil {
		return nil, err
	}
	if err := configs.Validate(spec, bundle); err != nil {
		return nil, err
	}
	if spec.Linux != nil && spec.Linux.Seccomp != nil {
		if err := seccomp.Validate(spec.Linux.Seccomp); err != nil {
			return nil, err
		}
	}
	if spec.Process == nil {
		return nil, &codedError{errors.New("process: missing (create needs a process to run)"), "missing-field"}
	}
	for _, w := range configs.Warnings(spec) {
		warnf("%s", w)
	}
	opts := libcontainer.CreateOpts{
		ID: id, Bundle: bundle, Spec: spec,
		PidFile: ctx.String("pid-file"), NoPivot: ctx.Bool("no-pivot"),
		NoNewKeyring: ctx.Bool("no-new-keyring"), PreserveFDs: ctx.Int("preserve-fds"),
	}
	if opts.PidFile != "" {
		if opts.PidFile, err = filepath.Abs(opts.PidFile); err != nil {
			return nil, fmt.Errorf("--pid-file: %w", err)
		}
	}
	if opts.PreserveFDs < 0 {
		return nil, &codedError{errors.New("--preserve-fds: must not be negative"), "usage"}
	}
	sock := ctx.String("console-socket")
	switch {
	case spec.Process.Terminal && sock == "" && internalConsole != nil:
		opts.ConsoleSocket = internalConsole
	case spec.Process.Terminal && sock == "":
		return nil, &codedError{errors.New("process.terminal: a --console-socket is required to allocate a terminal"), "usage"}
	case !spec.Process.Terminal && sock != "":
		return nil, &codedError{errors.New("--console-socket: cannot be used when process.terminal is false"), "usage"}
	case sock != "":
		if opts.ConsoleSocket, err = connectConsole(sock); err != nil {
			return nil, err
		}
		defer opts.ConsoleSocket.Close()
	}
	return create(root, opts)
}

func create(root string, opts libcontainer.CreateOpts) (*libcontainer.Container, error) {
	c, err := libcontainer.Create(root, opts)
	if errors.Is(err, libcontainer.ErrExist) {
		return nil, &codedError{err, "exists"}
	}
	return c, err
}

// connectConsole connects to the --console-socket.
func connectConsole(path string) (*os.File, error) {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("--console-socket: %w", err)
	}
	if err := unix.Connect(fd, &unix.SockaddrUnix{Name: path}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("--console-socket: connect %s: %w", path, err)
	}
	return os.NewFile(uintptr(fd), path), nil
}
