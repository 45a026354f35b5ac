package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/urfave/cli/v2"

	"github.com/vessel-runtime/vessel/cgroups"
)

var updateCommand = &cli.Command{
	Name:      "update",
	Usage:     "change the resource limits of a running container",
	ArgsUsage: "<container-id>",
	Description: `Changes linux.resources of a running container. Only the values given
change. -r FILE (or - for stdin) takes a runtime-spec resources JSON, where
as with runc a limit of 0 (or an empty cpuset) leaves the current one. If the
kernel refuses a value (a memory limit below current usage, say) the old
limits are restored and update fails.

Examples:
   vessel update --memory 256m --pids-limit 100 demo
   echo '{"cpu":{"quota":50000,"period":100000}}' | vessel update -r - demo`,
	Flags: []cli.Flag{
		&cli.StringFlag{Name: "resources", Aliases: []string{"r"}, Usage: "resources JSON file, - for stdin"},
		&cli.StringFlag{Name: "memory", Usage: "memory limit (bytes, or with k, m, g suffix; -1: none)"},
		&cli.StringFlag{Name: "memory-swap", Usage: "memory plus swap limit (-1: none)"},
		&cli.StringFlag{Name: "memory-reservation", Usage: "memory soft limit"},
		&cli.StringFlag{Name: "kernel-memory-tcp", Usage: "kernel TCP buffer limit"},
		&cli.StringFlag{Name: "cpu-share", Aliases: []string{"cpu-shares"}, Usage: "CPU shares (relative weight)"},
		&cli.StringFlag{Name: "cpu-quota", Usage: "CPU CFS quota in µs per period"},
		&cli.StringFlag{Name: "cpu-period", Usage: "CPU CFS period in µs"},
		&cli.StringFlag{Name: "cpu-rt-period", Usage: "CPU realtime period in µs"},
		&cli.StringFlag{Name: "cpu-rt-runtime", Usage: "CPU realtime runtime in µs"},
		&cli.StringFlag{Name: "cpuset-cpus", Usage: "CPUs allowed (0-3,5)"},
		&cli.StringFlag{Name: "cpuset-mems", Usage: "memory nodes allowed"},
		&cli.StringFlag{Name: "pids-limit", Usage: "maximum number of processes (-1 or 0: none)"},
		&cli.StringFlag{Name: "blkio-weight", Usage: "block IO weight (10 to 1000)"},
	},
	Action: func(ctx *cli.Context) error {
		if err := checkArgs(ctx, 1); err != nil {
			return err
		}
		c, err := openContainer(ctx, true)
		if err != nil {
			return err
		}
		defer c.Close()
		r := c.CurrentResources()
		if err := readResources(ctx.String("resources"), r); err != nil {
			return err
		}
		if err := applyUpdateFlags(ctx, r); err != nil {
			return err
		}
		return c.Update(r)
	},
}

// readResources merges a resources JSON into r, runc's way: zero values
// leave the current limit (see cgroups.MergeUpdate).
func readResources(path string, r *specs.LinuxResources) error {
	if path == "" {
		return nil
	}
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, 16<<20))
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return fmt.Errorf("--resources: %w", err)
	}
	var upd specs.LinuxResources
	if err := json.Unmarshal(data, &upd); err != nil {
		return &codedError{fmt.Errorf("--resources: %s", jsonErrorPosition(data, err)), "bad-json"}
	}
	cgroups.MergeUpdate(r, &upd)
	return nil
}

func applyUpdateFlags(ctx *cli.Context, r *specs.LinuxResources) error {
	mem := func() *specs.LinuxMemory {
		if r.Memory == nil {
			r.Memory = &specs.LinuxMemory{}
		}
		return r.Memory
	}
	cpu := func() *specs.LinuxCPU {
		if r.CPU == nil {
			r.CPU = &specs.LinuxCPU{}
		}
		return r.CPU
	}
	sizes := []struct {
		flag string
		dst  func() **int64
	}{
		{"memory", func() **int64 { return &mem().Limit }},
		{"memory-swap", func() **int64 { return &mem().Swap }},
		{"memory-reservation", func() **int64 { return &mem().Reservation }},
		{"kernel-memory-tcp", func() **int64 { return &mem().KernelTCP }},
	}
	for _, s := range sizes {
		if v := ctx.String(s.flag); v != "" {
			n, err := parseSize(v)
			if err != nil {
				return &codedError{fmt.Errorf("--%s: %w", s.flag, err), "usage"}
			}
			*s.dst() = &n
		}
	}
	uints := []struct {
		flag string
		dst  func() **uint64
	}{
		{"cpu-share", func() **uint64 { return &cpu().Shares }},
		{"cpu-period", func() **uint64 { return &cpu().Period }},
		{"cpu-rt-period", func() **uint64 { return &cpu().RealtimePeriod }},
	}
	for _, u := range uints {
		if v := ctx.String(u.flag); v != "" {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return &codedError{fmt.Errorf("--%s: invalid value %q", u.flag, v), "usage"}
			}
			*u.dst() = &n
		}
	}
	ints := []struct {
		flag string
		dst  func() **int64
	}{
		{"cpu-quota", func() **int64 { return &cpu().Quota }},
		{"cpu-rt-runtime", func() **int64 { return &cpu().RealtimeRuntime }},
	}
	for _, i := range ints {
		if v := ctx.String(i.flag); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return &codedError{fmt.Errorf("--%s: invalid value %q", i.flag, v), "usage"}
			}
			*i.dst() = &n
		}
	}
	if v := ctx.String("cpuset-cpus"); v != "" {
		cpu().Cpus = v
	}
	if v := ctx.String("cpuset-mems"); v != "" {
		cpu().Mems = v
	}
	if v := ctx.String("pids-limit"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return &codedError{fmt.Errorf("--pids-limit: invalid value %q", v), "usage"}
		}
		r.Pids = &specs.LinuxPids{Limit: &n}
	}
	if v := ctx.String("blkio-weight"); v != "" {
		n, err := strconv.ParseUint(v, 10, 16)
		if err != nil {
			return &codedError{fmt.Errorf("--blkio-weight: invalid value %q", v), "usage"}
		}
		w := uint16(n)
		if r.BlockIO == nil {
			r.BlockIO = &specs.LinuxBlockIO{}
		}
		r.BlockIO.Weight = &w
	}
	return nil
}

// parseSize reads a byte count with an optional binary suffix (b, k, m, g,
// t, p, with or without a trailing b), as runc's units.RAMInBytes; -1 is
// "no limit".
func parseSize(s string) (int64, error) {
	if s == "-1" {
		return -1, nil
	}
	v := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	v = strings.TrimSuffix(v, "b")
	for i, suf := range []string{"k", "m", "g", "t", "p"} {
		if strings.HasSuffix(v, suf) {
			v = strings.TrimSuffix(v, suf)
			mult = int64(1) << (10 * uint(i+1))
			break
		}
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	return int64(n * float64(mult)), nil
}
