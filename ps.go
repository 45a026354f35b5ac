package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"
)

var psCommand = &cli.Command{
	Name:      "ps",
	Usage:     "list the processes of a container",
	ArgsUsage: "<container-id> [ps options]",
	Description: `Runs ps(1) on the host (default options -ef) and keeps the lines of the
container's processes, found in its cgroup. --format json prints their pids.

Example:
   vessel ps demo -o pid,user,args`,
	Flags: []cli.Flag{
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "table", Usage: "table or json"},
	},
	Action: func(ctx *cli.Context) error {
		c, err := openContainer(ctx, false)
		if err != nil {
			return err
		}
		mgr, err := c.Manager()
		if err != nil {
			return err
		}
		pids, err := mgr.Pids()
		if err != nil {
			return fmt.Errorf("list container processes: %w", err)
		}
		switch ctx.String("format") {
		case "json":
			if pids == nil {
				pids = []int{}
			}
			return json.NewEncoder(os.Stdout).Encode(pids)
		case "table":
		default:
			return &codedError{fmt.Errorf("--format: unknown format %q (want table or json)", ctx.String("format")), "usage"}
		}
		args := ctx.Args().Tail()
		if len(args) == 0 {
			args = []string{"-ef"}
		}
		out, err := exec.Command("ps", args...).Output()
		if err != nil {
			return fmt.Errorf("ps: %w", err)
		}
		return filterPs(os.Stdout, out, pids)
	},
}

// filterPs prints ps's header and the lines whose PID column is one of pids.
func filterPs(w io.Writer, out []byte, pids []int) error {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	col := -1
	for i, f := range strings.Fields(lines[0]) {
		if f == "PID" {
			col = i
		}
	}
	if col < 0 {
		return errors.New("ps: no PID column in its output")
	}
	want := map[int]bool{}
	for _, p := range pids {
		want[p] = true
	}
	var b bytes.Buffer
	b.WriteString(lines[0] + "\n")
	for _, l := range lines[1:] {
		fields := strings.Fields(l)
		if len(fields) <= col {
			continue
		}
		if pid, err := strconv.Atoi(fields[col]); err == nil && want[pid] {
			b.WriteString(l + "\n")
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}
