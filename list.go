package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/vessel-runtime/vessel/libcontainer"
)

var listCommand = &cli.Command{
	Name:    "list",
	Aliases: []string{"ls"},
	Usage:   "list the containers under --root",
	Description: `Prints one line per container (ID, PID, STATUS, BUNDLE, CREATED, OWNER),
their JSON states with --format json, or only their IDs with -q.

Example:
   vessel list --format json`,
	Flags: []cli.Flag{
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "table", Usage: "table or json"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only container IDs"},
	},
	Action: func(ctx *cli.Context) error {
		if err := checkArgs(ctx, 0); err != nil {
			return err
		}
		root, err := stateRoot(ctx)
		if err != nil {
			return err
		}
		ids, err := libcontainer.List(root)
		if err != nil {
			return err
		}
		var states []containerState
		for _, id := range ids {
			c, err := libcontainer.Open(root, id)
			if errors.Is(err, libcontainer.ErrNotExist) {
				continue // deleted meanwhile, or an aborted create
			}
			if err != nil {
				return err
			}
			states = append(states, stateOf(c))
		}
		return printList(ctx, states)
	},
}

func printList(ctx *cli.Context, states []containerState) error {
	if ctx.Bool("quiet") {
		for _, s := range states {
			fmt.Println(s.ID)
		}
		return nil
	}
	switch f := ctx.String("format"); f {
	case "table":
		w := tabwriter.NewWriter(os.Stdout, 12, 1, 3, ' ', 0)
		fmt.Fprint(w, "ID\tPID\tSTATUS\tBUNDLE\tCREATED\tOWNER\n")
		for _, s := range states {
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\n", s.ID, s.Pid, s.Status, s.Bundle,
				s.Created.Format(time.RFC3339Nano), s.Owner)
		}
		return w.Flush()
	case "json":
		// runc prints null, not [], when there is no container.
		return json.NewEncoder(os.Stdout).Encode(states)
	default:
		return &codedError{fmt.Errorf("--format: unknown format %q (want table or json)", f), "usage"}
	}
}
