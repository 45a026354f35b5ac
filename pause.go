package main

import (
	"github.com/urfave/cli/v2"
)

var pauseCommand = &cli.Command{
	Name:      "pause",
	Usage:     "freeze every process of a container",
	ArgsUsage: "<container-id>",
	Description: `Freezes the container's cgroup (v1 freezer, v2 cgroup.freeze) and returns
once every process is frozen; state and list then show "paused".

Example:
   vessel pause demo`,
	Action: func(ctx *cli.Context) error {
		if err := checkArgs(ctx, 1); err != nil {
			return err
		}
		c, err := openContainer(ctx, true)
		if err != nil {
			return err
		}
		defer c.Close()
		return c.Pause()
	},
}

var resumeCommand = &cli.Command{
	Name:      "resume",
	Usage:     "thaw a paused container",
	ArgsUsage: "<container-id>",
	Description: `Thaws the container's cgroup and returns once its processes run again.

Example:
   vessel resume demo`,
	Action: func(ctx *cli.Context) error {
		if err := checkArgs(ctx, 1); err != nil {
			return err
		}
		c, err := openContainer(ctx, true)
		if err != nil {
			return err
		}
		defer c.Close()
		return c.Resume()
	},
}
