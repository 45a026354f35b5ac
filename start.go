package main

import (
	"github.com/urfave/cli/v2"
)

var startCommand = &cli.Command{
	Name:      "start",
	Usage:     "start a created container: exec its process",
	ArgsUsage: "<container-id>",
	Description: `Lets the init of a "created" container exec process.args, runs the
poststart hooks and returns; the container is then "running".

Example:
   vessel start demo`,
	Action: func(ctx *cli.Context) error {
		if err := checkArgs(ctx, 1); err != nil {
			return err
		}
		c, err := openContainer(ctx, true)
		if err != nil {
			return err
		}
		defer c.Close()
		warnings, err := c.Start()
		warnAll(warnings)
		return err
	},
}
