package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/vessel-runtime/vessel/libcontainer"
	"github.com/vessel-runtime/vessel/libcontainer/configs"
)

// codedError gives an error a stable code for the JSON log.
type codedError struct {
	err  error
	code string
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }
func (e *codedError) Code() string  { return e.code }

// stateRoot is --root, made absolute.
func stateRoot(ctx *cli.Context) (string, error) {
	root := ctx.String("root")
	// As runc: an unprivileged user without --root keeps state in its own
	// runtime directory, not in /run, which it cannot write.
	if !ctx.IsSet("root") && libcontainer.Rootless() {
		if xdg := os.Getenv("XDG_RUNTIME_DIR"); xdg != "" {
			root = filepath.Join(xdg, "vessel")
		}
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return "", fmt.Errorf("--root: %w", err)
	}
	return root, nil
}

// containerID takes the single ID argument every container command has.
func containerID(ctx *cli.Context) (string, error) {
	if ctx.NArg() < 1 {
		return "", &codedError{fmt.Errorf("%s: missing container ID (usage: vessel %s %s)", ctx.Command.Name, ctx.Command.Name, ctx.Command.ArgsUsage), "usage"}
	}
	id := ctx.Args().First()
	if err := configs.ValidateID(id); err != nil {
		return "", err
	}
	return id, nil
}

// openContainer opens (and with lock, locks) the container named on the
// command line.
func openContainer(ctx *cli.Context, lock bool) (*libcontainer.Container, error) {
	root, err := stateRoot(ctx)
	if err != nil {
		return nil, err
	}
	id, err := containerID(ctx)
	if err != nil {
		return nil, err
	}
	var c *libcontainer.Container
	if lock {
		c, err = libcontainer.OpenLocked(root, id)
	} else {
		c, err = libcontainer.Open(root, id)
	}
	if errors.Is(err, libcontainer.ErrNotExist) {
		return nil, &codedError{err, "not-found"}
	}
	return c, err
}

// checkArgs fails when a command gets more positional arguments than it takes.
func checkArgs(ctx *cli.Context, max int) error {
	if ctx.NArg() > max {
		return &codedError{fmt.Errorf("%s: too many arguments (usage: vessel %s %s)", ctx.Command.Name, ctx.Command.Name, ctx.Command.ArgsUsage), "usage"}
	}
	return nil
}

func warnAll(errs []error) {
	for _, err := range errs {
		warnf("%v", err)
	}
}
