package main

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/vessel-runtime/vessel/libcontainer"
)

var deleteCommand = &cli.Command{
	Name:      "delete",
	Aliases:   []string{"rm"},
	Usage:     "delete a stopped container and everything vessel made for it",
	ArgsUsage: "<container-id>",
	Description: `Removes the container's cgroup and state and runs its poststop hooks.
A created container is killed first; a running one only with --force.
--force on an unknown ID succeeds, as with runc.

Example:
   vessel delete --force demo`,
	Flags: []cli.Flag{
		&cli.BoolFlag{Name: "force", Aliases: []string{"f"}, Usage: "kill the container first if it runs"},
	},
	Action: func(ctx *cli.Context) error {
		if err := checkArgs(ctx, 1); err != nil {
			return err
		}
		c, err := openContainer(ctx, true)
		var ce *codedError
		if errors.As(err, &ce) && ce.code == "not-found" && ctx.Bool("force") {
			// A create killed before its first state write leaves an
			// empty state directory: remove it too.
			return removeStaleDir(ctx)
		}
		if err != nil {
			return err
		}
		defer c.Close()
		warnings, err := c.Destroy(ctx.Bool("force"))
		warnAll(warnings)
		return err
	},
}

// removeStaleDir removes <root>/<id> when it holds no state (a create that
// was killed right after making it), under the directory's lock.
func removeStaleDir(ctx *cli.Context) error {
	root, err := stateRoot(ctx)
	if err != nil {
		return err
	}
	return libcontainer.RemoveStale(root, ctx.Args().First())
}
