package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/urfave/cli/v2"
	"golang.org/x/sys/unix"

	"github.com/vessel-runtime/vessel/libcontainer"
	"github.com/vessel-runtime/vessel/libcontainer/configs"
)

var execCommand = &cli.Command{
	Name:      "exec",
	Usage:     "run another process in a running container",
	ArgsUsage: "<container-id> <command> [args...]",
	Description: `Runs a process in every namespace and the cgroup of the container, with
the container's process settings unless flags (or --process, a runtime-spec
process JSON) say otherwise. In the foreground vessel forwards signals and
exits with the process's status (128+N when killed by signal N).

Examples:
   vessel exec demo ps
   vessel exec -t --user 1000:1000 --cwd /tmp demo sh
   vessel exec --detach --pid-file /run/job.pid demo sleep 100`,
	Flags: []cli.Flag{
		&cli.StringFlag{Name: "console-socket", Usage: "unix socket that receives the pty master (with --tty)"},
		&cli.StringFlag{Name: "cwd", Usage: "working directory in the container"},
		&cli.StringSliceFlag{Name: "env", Aliases: []string{"e"}, Usage: "set an environment variable (KEY=VALUE)"},
		&cli.BoolFlag{Name: "tty", Aliases: []string{"t"}, Usage: "allocate a pseudo-terminal"},
		&cli.StringFlag{Name: "user", Aliases: []string{"u"}, Usage: "UID[:GID] to run as"},
		&cli.StringSliceFlag{Name: "additional-gids", Aliases: []string{"g"}, Usage: "additional group id"},
		&cli.StringFlag{Name: "process", Aliases: []string{"p"}, Usage: "path to a process.json (runtime-spec process)"},
		&cli.BoolFlag{Name: "detach", Aliases: []string{"d"}, Usage: "return once the process runs"},
		&cli.StringFlag{Name: "pid-file", Usage: "write the process's pid to this file (atomically)"},
		&cli.StringFlag{Name: "process-label", Usage: "SELinux label (not supported: must be empty)"},
		&cli.StringFlag{Name: "apparmor", Usage: "AppArmor profile for the process"},
		&cli.BoolFlag{Name: "no-new-privs", Usage: "set no_new_privs for the process"},
		&cli.StringSliceFlag{Name: "cap", Aliases: []string{"c"}, Usage: "add a capability (CAP_NAME)"},
		&cli.IntFlag{Name: "preserve-fds", Usage: "pass this many descriptors (from 3 on) to the process"},
		&cli.StringSliceFlag{Name: "cgroup", Usage: "run in a sub-cgroup: PATH, or CONTROLLER:PATH"},
		&cli.BoolFlag{Name: "ignore-paused", Usage: "allow exec in a paused container"},
	},
	Action: execAction,
}

func execAction(ctx *cli.Context) error {
	c, err := openContainer(ctx, false)
	if err != nil {
		return err
	}
	proc, err := execProcess(ctx, c.State.Config)
	if err != nil {
		return err
	}
	opts := libcontainer.ExecOpts{Process: proc, PreserveFDs: ctx.Int("preserve-fds"), IgnorePaused: ctx.Bool("ignore-paused")}
	if opts.SubCgroup, err = parseCgroupFlags(ctx.StringSlice("cgroup")); err != nil {
		return err
	}
	detach := ctx.Bool("detach")
	var tty *ttyProxy
	sock := ctx.String("console-socket")
	switch {
	case proc.Terminal && sock != "":
		if opts.ConsoleSocket, err = connectConsole(sock); err != nil {
			return err
		}
		defer opts.ConsoleSocket.Close()
	case proc.Terminal && detach:
		return &codedError{errors.New("--tty with --detach needs --console-socket"), "usage"}
	case proc.Terminal:
		if tty, err = newTTYProxy(); err != nil {
			return err
		}
		defer tty.close()
		opts.ConsoleSocket = tty.theirs
	case sock != "":
		return &codedError{errors.New("--console-socket: only with --tty"), "usage"}
	}
	var signals chan os.Signal
	if !detach {
		if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
			return err
		}
		signals = make(chan os.Signal, 128)
		signal.Notify(signals)
	}
	pid, err := c.Exec(opts)
	if err != nil {
		return err
	}
	if p := ctx.String("pid-file"); p != "" {
		if err := libcontainer.WriteFileAtomic(p, []byte(strconv.Itoa(pid)), 0o644); err != nil {
			return fmt.Errorf("--pid-file: %w", err)
		}
	}
	if detach {
		return nil
	}
	if tty != nil {
		if err := tty.attach(); err != nil {
			return err
		}
	}
	status := waitInit(pid, signals, tty)
	if tty != nil {
		tty.drain()
	}
	return exitCode(status)
}

// execProcess builds the process to run: --process, or the container's
// process with the command line's arguments and flags applied, as runc does.
func execProcess(ctx *cli.Context, spec *specs.Spec) (*specs.Process, error) {
	if path := ctx.String("process"); path != "" {
		return loadProcess(path)
	}
	if ctx.NArg() < 2 {
		return nil, &codedError{errors.New("exec: missing command (usage: vessel exec <container-id> <command> [args...])"), "usage"}
	}
	p := &specs.Process{}
	if spec.Process != nil {
		data, _ := json.Marshal(spec.Process)
		json.Unmarshal(data, p)
	}
	p.Args = ctx.Args().Tail()
	p.Terminal = ctx.Bool("tty")
	p.Env = append(p.Env, ctx.StringSlice("env")...)
	if cwd := ctx.String("cwd"); cwd != "" {
		p.Cwd = cwd
	}
	if ctx.Bool("no-new-privs") {
		p.NoNewPrivileges = true
	}
	if a := ctx.String("apparmor"); a != "" {
		p.ApparmorProfile = a
	}
	if l := ctx.String("process-label"); l != "" {
		return nil, &codedError{errors.New("--process-label: SELinux is not supported"), "unsupported"}
	}
	if u := ctx.String("user"); u != "" {
		uid, gid, err := parseUser(u)
		if err != nil {
			return nil, err
		}
		p.User.UID, p.User.GID = uid, gid
	}
	for _, g := range ctx.StringSlice("additional-gids") {
		n, err := strconv.ParseUint(g, 10, 32)
		if err != nil {
			return nil, &codedError{fmt.Errorf("--additional-gids: invalid gid %q", g), "usage"}
		}
		p.User.AdditionalGids = append(p.User.AdditionalGids, uint32(n))
	}
	if caps := ctx.StringSlice("cap"); len(caps) > 0 {
		if p.Capabilities == nil {
			p.Capabilities = &specs.LinuxCapabilities{}
		}
		for _, name := range caps {
			if _, err := configs.Capability(name); err != nil {
				return nil, &codedError{fmt.Errorf("--cap: %w", err), "invalid-capability"}
			}
			pc := p.Capabilities
			pc.Bounding, pc.Effective, pc.Permitted = append(pc.Bounding, name), append(pc.Effective, name), append(pc.Permitted, name)
			// Ambient needs inheritable, which --cap does not set (as runc).
			if pc.Inheritable != nil {
				pc.Ambient = append(pc.Ambient, name)
			}
		}
	}
	return p, nil
}

func parseUser(u string) (uint32, uint32, error) {
	us, gs, hasGid := strings.Cut(u, ":")
	uid, err := strconv.ParseUint(us, 10, 32)
	if err != nil {
		return 0, 0, &codedError{fmt.Errorf("--user: invalid uid %q (want UID[:GID])", us), "usage"}
	}
	var gid uint64
	if hasGid {
		if gid, err = strconv.ParseUint(gs, 10, 32); err != nil {
			return 0, 0, &codedError{fmt.Errorf("--user: invalid gid %q (want UID[:GID])", gs), "usage"}
		}
	}
	return uint32(uid), uint32(gid), nil
}

// loadProcess reads a --process file, reporting JSON errors with line and
// column.
func loadProcess(path string) (*specs.Process, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &codedError{fmt.Errorf("--process: %w", err), "not-found"}
	}
	p := &specs.Process{}
	if err := json.Unmarshal(data, p); err != nil {
		return nil, &codedError{fmt.Errorf("--process: %s: %s", filepath.Base(path), jsonErrorPosition(data, err)), "bad-json"}
	}
	if len(p.Args) == 0 {
		return nil, &codedError{errors.New("--process: args: must not be empty"), "missing-field"}
	}
	return p, nil
}

// jsonErrorPosition turns a decoding error into "line L, column C: msg".
func jsonErrorPosition(data []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	if errors.As(err, &se) {
		off = se.Offset
	} else if errors.As(err, &te) {
		off = te.Offset
	}
	if off < 0 {
		return err.Error()
	}
	// Offset counts the bytes read, the offending one included.
	line, col := 1, 1
	for _, b := range data[:min(max(int(off)-1, 0), len(data))] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("line %d, column %d: %v", line, col, err)
}

// parseCgroupFlags reads --cgroup values: PATH for every controller, or
// CONTROLLER[,CONTROLLER]:PATH.
func parseCgroupFlags(values []string) (map[string]string, error) {
	if len(values) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, v := range values {
		ctrls, p, ok := strings.Cut(v, ":")
		if !ok {
			out[""] = v
			continue
		}
		for _, c := range strings.Split(ctrls, ",") {
			out[c] = p
		}
	}
	return out, nil
}
