package main

import (
	"github.com/urfave/cli/v2"

	"github.com/vessel-runtime/vessel/libcontainer/configs"
)

var killCommand = &cli.Command{
	Name:      "kill",
	Usage:     "send a signal to a container's init (default SIGTERM)",
	ArgsUsage: "<container-id> [signal]",
	Description: `The signal is a name with or without SIG (TERM, SIGKILL, RTMIN+3) or a
number. With --all, or when the container shares the host's PID namespace,
every process of the container's cgroup gets it.

Example:
   vessel kill demo KILL`,
	Flags: []cli.Flag{
		&cli.BoolFlag{Name: "all", Aliases: []string{"a"}, Usage: "signal every process of the container"},
	},
	Action: func(ctx *cli.Context) error {
		if err := checkArgs(ctx, 2); err != nil {
			return err
		}
		c, err := openContainer(ctx, true)
		if err != nil {
			return err
		}
		defer c.Close()
		sigName := "SIGTERM"
		if ctx.NArg() == 2 {
			sigName = ctx.Args().Get(1)
		}
		sig, err := configs.ParseSignal(sigName)
		if err != nil {
			return &codedError{err, "usage"}
		}
		return c.Signal(sig, ctx.Bool("all"))
	},
}
