package libcontainer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/vessel-runtime/vessel/cgroups"
	"github.com/vessel-runtime/vessel/libcontainer/configs"
)

// ExecOpts is what `vessel exec` passes to Exec.
type ExecOpts struct {
	Process       *specs.Process
	ConsoleSocket *os.File
	PreserveFDs   int
	// SubCgroup is --cgroup: a sub-cgroup of the container's (per
	// controller "ctrl:path" entries map to all when the key is "").
	SubCgroup map[string]string
	// IgnorePaused allows exec into a paused container.
	IgnorePaused bool
}

// Exec starts one more process in the container: the stub joins each of
// its namespaces (user first, then a fork into the PID namespace), the
// parent puts it in the container's cgroup, the Go init sets up the process
// and execs it. Exec returns the new process's pid once execve succeeded.
func (c *Container) Exec(o ExecOpts) (int, error) {
	switch s := c.Status(); {
	case s == Stopped || s == Creating:
		return 0, fmt.Errorf("cannot exec in a %s container", s)
	case s == Paused && !o.IgnorePaused:
		return 0, errors.New("cannot exec in a paused container (use --ignore-paused to override)")
	}
	mgr := cgroups.None()
	if len(c.State.Cgroups) > 0 {
		var err error
		if mgr, err = cgroups.Load(c.execCgroup(o.SubCgroup)); err != nil {
			return 0, err
		}
	} else if len(o.SubCgroup) > 0 {
		return 0, fmt.Errorf("--cgroup: %w", errNoCgroup)
	}
	lastCap, err := readLastCap()
	if err != nil {
		return 0, err
	}
	p := &initProcess{c: c, mgr: mgr, extras: o.PreserveFDs, opts: CreateOpts{ConsoleSocket: o.ConsoleSocket}}
	if err := p.openExecChannel(); err != nil {
		return 0, err
	}
	defer p.close()
	if err := p.start(); err != nil {
		return 0, err
	}
	// A frozen cgroup would freeze the stub before it is set up: in a
	// paused container the process joins the cgroup only when ready.
	late := c.Status() == Paused
	// The tests run every exec both ways and compare what the process sees:
	// _VESSEL_EXEC_GO_INIT=1 forces the Go init.
	var plan []byte
	fast := false
	if !late && os.Getenv("_VESSEL_EXEC_GO_INIT") != "1" {
		if plan, fast, err = execPlan(o.Process, c.State.Config, lastCap, o.PreserveFDs); err != nil {
			return 0, err
		}
	}
	if fast {
		// The stub sets the process up and execs it (nsenter/execplan.c).
		pid, err := p.bootstrapExec(append(c.joinRecords(), plan...), true)
		if err != nil {
			return 0, err
		}
		return pid, waitExecEOF(p.ch)
	}
	pid, err := p.bootstrapExec(c.joinRecords(), !late)
	if err != nil {
		return 0, err
	}
	cfg := &initConfig{
		ID: c.ID, Spec: c.State.Config, Exec: true, Process: o.Process,
		PreserveFDs: o.PreserveFDs, ConsoleFd: -1, LastCap: lastCap, WaitGo: late,
	}
	if o.ConsoleSocket != nil {
		cfg.ConsoleFd = p.consoleFd() - 1 // no fifo in exec
	}
	if err := p.ch.sendJSON(msgConfig, cfg); err != nil {
		return 0, err
	}
	typ, _, err := p.ch.recv()
	if err == nil && typ == msgSeccompFd {
		if err := p.forwardListener(); err != nil {
			return 0, err
		}
		typ, _, err = p.ch.recv()
	}
	if err != nil {
		return 0, err
	}
	if typ != msgReady {
		return 0, fmt.Errorf("exec: protocol error: got message %d", typ)
	}
	if late {
		// The process freezes as it joins; it execs once resumed, so
		// there is no EOF to wait for.
		if err := mgr.Apply(pid); err != nil {
			return 0, fmt.Errorf("join cgroup: %w", err)
		}
		return pid, p.ch.send(msgGo, nil)
	}
	return pid, waitExecEOF(p.ch)
}

// waitExecEOF waits for the init socket to close: it is close-on-exec, so
// EOF means execve succeeded. Anything else is the exec's error.
func waitExecEOF(ch *channel) error {
	if _, _, err := ch.recv(); !errors.Is(err, errPeerGone) {
		if err == nil {
			err = errors.New("protocol error after ready")
		}
		return err
	}
	return nil
}

// execCgroup is the container's cgroup, or a sub-cgroup of it (--cgroup).
func (c *Container) execCgroup(sub map[string]string) map[string]string {
	paths := make(map[string]string, len(c.State.Cgroups))
	for ctrl, dir := range c.State.Cgroups {
		if s, ok := sub[ctrl]; ok {
			dir = path.Join(dir, path.Clean("/"+s))
		} else if s, ok := sub[""]; ok {
			dir = path.Join(dir, path.Clean("/"+s))
		}
		paths[ctrl] = dir
	}
	return paths
}

// joinRecords is the bootstrap joining every namespace of the container.
func (c *Container) joinRecords() []byte {
	var out []byte
	for _, ns := range c.State.Config.Linux.Namespaces {
		p, ok := c.State.Namespaces[ns.Type]
		if !ok {
			continue
		}
		flag, err := configs.NamespaceFlag(ns.Type)
		if err != nil {
			continue
		}
		val := binary.LittleEndian.AppendUint32(nil, uint32(flag))
		out = appendRecord(out, recJoin, append(append(val, p...), 0))
	}
	return appendRecord(out, recCloneFlags, binary.LittleEndian.AppendUint32(nil, 0))
}

// openExecChannel prepares the sealed binary and the socketpair; exec has
// no fifo, so the console socket follows the init socket directly.
func (p *initProcess) openExecChannel() error {
	var err error
	if p.exe, err = protectedSelf(filepath.Dir(p.c.Dir)); err != nil {
		return err
	}
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("socketpair: %w", err)
	}
	p.ch = &channel{f: os.NewFile(uintptr(fds[0]), "init-parent")}
	p.child = os.NewFile(uintptr(fds[1]), "init-child")
	return nil
}

func (p *initProcess) bootstrapExec(data []byte, joinCgroup bool) (int, error) {
	stubPid := p.cmd.Process.Pid
	defer p.cmd.Wait()
	if joinCgroup {
		if err := p.mgr.Apply(stubPid); err != nil {
			p.cmd.Process.Kill()
			return 0, fmt.Errorf("join cgroup: %w", err)
		}
	}
	if err := p.ch.send(msgBootstrap, data); err != nil {
		p.cmd.Process.Kill()
		return 0, err
	}
	payload, err := p.ch.expect(msgChildPid)
	if err != nil {
		p.cmd.Process.Kill()
		return 0, fmt.Errorf("exec: %w", err)
	}
	if len(payload) != 4 {
		return 0, errors.New("exec: bad pid message")
	}
	return int(binary.LittleEndian.Uint32(payload)), nil
}
