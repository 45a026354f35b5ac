package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/vessel-runtime/vessel/libcontainer"
)

// event is runc's events line: {"type":"stats"|"oom","id":...,"data":...}.
type event struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Data any    `json:"data,omitempty"`
}

var eventsCommand = &cli.Command{
	Name:      "events",
	Usage:     "print a container's resource statistics and OOM events as JSON",
	ArgsUsage: "<container-id>",
	Description: `Prints one JSON object per line, as runc: {"type":"stats",...} every
--interval with cpu, memory, pids, blkio and hugetlb figures, and
{"type":"oom",...} whenever the kernel's OOM killer acts in the container.
--stats prints the statistics once and exits. Ends when the container stops.

Example:
   vessel events --interval 1s demo`,
	Flags: []cli.Flag{
		&cli.DurationFlag{Name: "interval", Value: 5 * time.Second, Usage: "time between statistics"},
		&cli.BoolFlag{Name: "stats", Usage: "print statistics once and exit"},
	},
	Action: func(ctx *cli.Context) error {
		if err := checkArgs(ctx, 1); err != nil {
			return err
		}
		c, err := openContainer(ctx, false)
		if err != nil {
			return err
		}
		if c.Status() == libcontainer.Stopped {
			return errors.New("container not running")
		}
		if ctx.Duration("interval") <= 0 {
			return &codedError{errors.New("--interval: must be positive"), "usage"}
		}
		mgr, err := c.Manager()
		if err != nil {
			return err
		}
		enc := json.NewEncoder(os.Stdout)
		printStats := func() error {
			st, err := mgr.Stats()
			if err != nil {
				return err
			}
			return enc.Encode(event{Type: "stats", ID: c.ID, Data: st})
		}
		if ctx.Bool("stats") {
			return printStats()
		}
		cctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ooms, err := mgr.OOMEvents(cctx)
		if err != nil {
			return err
		}
		tick := time.NewTicker(ctx.Duration("interval"))
		defer tick.Stop()
		alive := time.NewTicker(100 * time.Millisecond)
		defer alive.Stop()
		for {
			select {
			case _, ok := <-ooms:
				if !ok {
					ooms = nil
					continue
				}
				if err := enc.Encode(event{Type: "oom", ID: c.ID}); err != nil {
					return err
				}
			case <-tick.C:
				if err := printStats(); err != nil {
					return err
				}
			case <-alive.C:
				if c.Status() == libcontainer.Stopped {
					return nil
				}
			}
		}
	},
}
