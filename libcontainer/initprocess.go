package libcontainer

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/vessel-runtime/vessel/cgroups"
	"github.com/vessel-runtime/vessel/seccomp"
)

// initConfig is msgConfig: everything the Go init needs beyond what the
// stub already did. Descriptor numbers are as seen by the init.
type initConfig struct {
	ID           string              `json:"id"`
	Spec         *specs.Spec         `json:"spec"`
	Rootfs       string              `json:"rootfs"`
	Bundle       string              `json:"bundle"`
	NoPivot      bool                `json:"no_pivot"`
	NoNewKeyring bool                `json:"no_new_keyring"`
	PreserveFDs  int                 `json:"preserve_fds"`
	FifoFd       int                 `json:"fifo_fd"`
	ConsoleFd    int                 `json:"console_fd"` // -1: no terminal
	Cgroups      []cgroups.Hierarchy `json:"cgroups"`
	// LastCap is the host's cap_last_cap, read by the parent: a value read
	// from a /proc the container controls could hide capabilities.
	LastCap int `json:"last_cap"`
	// Exec is set for `vessel exec`: the stub joined the container's
	// namespaces and the init runs Process (no rootfs setup, no fifo).
	Exec    bool           `json:"exec,omitempty"`
	Process *specs.Process `json:"process,omitempty"`
	// WaitGo: exec into a paused container joins its (frozen) cgroup only
	// after setup, so the init waits for msgGo after msgReady.
	WaitGo bool `json:"wait_go,omitempty"`
	// HookState is the state createContainer hooks receive (the init does
	// not know its own pid as the host sees it).
	HookState *specs.State `json:"hook_state"`
}

// initProcess is the parent's side of one container init being born.
type initProcess struct {
	c      *Container
	mgr    cgroups.Manager
	opts   CreateOpts
	cmd    *exec.Cmd
	ch     *channel
	child  *os.File // the init's end of the socketpair
	exe    *os.File // sealed copy of vessel
	fifo   *os.File // O_PATH handle of the exec fifo
	extras int      // descriptors before ours in ExtraFiles (preserved ones)
}

func newInitProcess(c *Container, mgr cgroups.Manager, o CreateOpts) (*initProcess, error) {
	p := &initProcess{c: c, mgr: mgr, opts: o, extras: o.PreserveFDs}
	fifoPath := filepath.Join(c.Dir, fifoName)
	if err := unix.Mkfifo(fifoPath, 0o600); err != nil {
		return nil, fmt.Errorf("create exec fifo: %w", err)
	}
	// In a user namespace the init is the container's root, an ordinary
	// host uid: it must be able to open the fifo for writing (as runc).
	uid, gid := hostRootIDs(o.Spec)
	if err := os.Chown(fifoPath, uid, gid); err != nil {
		return nil, fmt.Errorf("chown exec fifo: %w", err)
	}
	fifo, err := os.OpenFile(fifoPath, unix.O_PATH|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open exec fifo: %w", err)
	}
	p.fifo = fifo
	if p.exe, err = protectedSelf(filepath.Dir(p.c.Dir)); err != nil {
		p.close()
		return nil, err
	}
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		p.close()
		return nil, fmt.Errorf("socketpair: %w", err)
	}
	p.ch = &channel{f: os.NewFile(uintptr(fds[0]), "init-parent")}
	p.child = os.NewFile(uintptr(fds[1]), "init-child")
	return p, nil
}

func (p *initProcess) close() {
	for _, f := range []*os.File{p.child, p.exe, p.fifo} {
		if f != nil {
			f.Close()
		}
	}
	if p.ch != nil {
		p.ch.f.Close()
	}
}

// dropCgroup runs the container without a cgroup (rootless, no limits):
// whatever Apply created before it was refused is removed, and the state
// records no cgroup, so that cgroup commands say so.
func (p *initProcess) dropCgroup() error {
	if err := p.mgr.Destroy(); err != nil {
		return fmt.Errorf("remove partial cgroup: %w", err)
	}
	p.mgr = cgroups.None()
	p.c.State.Cgroups = nil
	return p.c.save()
}

// fd numbers in the init: preserved descriptors keep 3..3+N-1, ours follow.
func (p *initProcess) sockFd() int    { return 3 + p.extras }
func (p *initProcess) fifoFd() int    { return 4 + p.extras }
func (p *initProcess) consoleFd() int { return 5 + p.extras }

func (p *initProcess) run() error {
	if err := p.start(); err != nil {
		return err
	}
	if err := p.bootstrap(); err != nil {
		return err
	}
	return p.configure()
}

// start execs the sealed binary as "vessel init"; the stub in its
// constructor then waits for the bootstrap message.
func (p *initProcess) start() error {
	extra := make([]*os.File, 0, p.extras+3)
	for i := 0; i < p.extras; i++ {
		extra = append(extra, os.NewFile(uintptr(3+i), "preserved-"+strconv.Itoa(3+i)))
	}
	extra = append(extra, p.child)
	if p.fifo != nil {
		extra = append(extra, p.fifo)
	}
	if p.opts.ConsoleSocket != nil {
		extra = append(extra, p.opts.ConsoleSocket)
	}
	p.cmd = &exec.Cmd{
		Path:       "/proc/self/fd/" + strconv.Itoa(int(p.exe.Fd())),
		Args:       []string{"vessel", "init"},
		Env:        []string{"_VESSEL_INITSOCK=" + strconv.Itoa(p.sockFd())},
		ExtraFiles: extra,
	}
	// With a terminal the workload's stdio is the pty; the init gets
	// /dev/null (as runc's does). Holding our stdio would keep the pipes
	// of whoever runs `create` open until the container exits:
	// containerd's shim reads `create`'s output to EOF and would hang.
	if p.opts.ConsoleSocket == nil {
		p.cmd.Stdin, p.cmd.Stdout, p.cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	}
	if err := p.cmd.Start(); err != nil {
		return fmt.Errorf("start init: %w", err)
	}
	p.child.Close()
	p.child = nil
	return nil
}

// bootstrap places the stub in the cgroup (so a new cgroup namespace is
// rooted there), sends the namespace plan, writes id maps when asked, and
// learns the init's pid.
func (p *initProcess) bootstrap() error {
	stubPid := p.cmd.Process.Pid
	defer p.cmd.Wait() // the stub's first process exits once it forked the init
	if err := p.mgr.Apply(stubPid); err != nil {
		if err := cgroupOptional(err, p.opts.Spec); err != nil {
			p.cmd.Process.Kill()
			return err
		}
		if err := p.dropCgroup(); err != nil {
			p.cmd.Process.Kill()
			return err
		}
	}
	// Limits are in place before the stub does anything in the cgroup.
	if err := p.mgr.Set(containerResources(p.opts.Spec)); err != nil {
		p.cmd.Process.Kill()
		return err
	}
	data, err := bootstrapData(p.opts.Spec)
	if err != nil {
		p.cmd.Process.Kill()
		return err
	}
	if err := p.ch.send(msgBootstrap, data); err != nil {
		p.cmd.Process.Kill()
		return err
	}
	for {
		typ, payload, err := p.ch.recv()
		if err != nil {
			p.cmd.Process.Kill()
			return fmt.Errorf("container init: %w", err)
		}
		switch typ {
		case msgUsermapReq:
			if err := writeIDMaps(stubPid, p.opts.Spec.Linux); err != nil {
				p.cmd.Process.Kill()
				return err
			}
			if err := p.ch.send(msgUsermapAck, nil); err != nil {
				return err
			}
		case msgChildPid:
			if len(payload) != 4 {
				return fmt.Errorf("container init: bad pid message")
			}
			return p.recordInit(int(uint32(payload[0]) | uint32(payload[1])<<8 | uint32(payload[2])<<16 | uint32(payload[3])<<24))
		default:
			return fmt.Errorf("container init: unexpected message %d", typ)
		}
	}
}

func (p *initProcess) recordInit(pid int) error {
	st, err := readProcStat(pid)
	if err != nil {
		return fmt.Errorf("container init %d: %w", pid, err)
	}
	s := p.c.State
	s.InitPid, s.InitStart = pid, st.start
	if p.opts.Spec.Linux != nil {
		for _, ns := range p.opts.Spec.Linux.Namespaces {
			path := ns.Path
			if path == "" {
				path = fmt.Sprintf("/proc/%d/ns/%s", pid, procNsName(ns.Type))
			}
			s.Namespaces[ns.Type] = path
		}
	}
	if err := p.c.save(); err != nil {
		return err
	}
	if proc := p.opts.Spec.Process; proc != nil && proc.OOMScoreAdj != nil {
		path := fmt.Sprintf("/proc/%d/oom_score_adj", pid)
		if err := os.WriteFile(path, []byte(strconv.Itoa(*proc.OOMScoreAdj)), 0); err != nil {
			return fmt.Errorf("process.oomScoreAdj: %w", err)
		}
	}
	return nil
}

// procNsName maps a spec namespace type to its name under /proc/<pid>/ns.
func procNsName(t specs.LinuxNamespaceType) string {
	switch t {
	case specs.NetworkNamespace:
		return "net"
	case specs.MountNamespace:
		return "mnt"
	}
	return string(t)
}

// configure sends the init its configuration and serves its requests
// until it is ready to wait for start.
func (p *initProcess) configure() error {
	cfg := &initConfig{
		ID: p.c.ID, Spec: p.opts.Spec, Rootfs: p.c.State.Rootfs, Bundle: p.c.State.Bundle,
		NoPivot: p.opts.NoPivot, NoNewKeyring: p.opts.NoNewKeyring,
		PreserveFDs: p.opts.PreserveFDs, FifoFd: p.fifoFd(), ConsoleFd: -1,
		Cgroups: p.mgr.Hierarchies(), HookState: p.c.ociState(Creating),
	}
	var err error
	if cfg.LastCap, err = readLastCap(); err != nil {
		return err
	}
	if p.opts.ConsoleSocket != nil {
		cfg.ConsoleFd = p.consoleFd()
	}
	if err := p.ch.sendJSON(msgConfig, cfg); err != nil {
		return err
	}
	for {
		typ, _, err := p.ch.recv()
		if err != nil {
			return err
		}
		switch typ {
		case msgHooks:
			h := hooksOf(p.opts.Spec)
			state := p.c.ociState(Creating)
			//nolint:staticcheck // prestart is deprecated but still part of the spec.
			if err := runHooks("prestart", h.Prestart, state); err != nil {
				return err
			}
			if err := runHooks("createRuntime", h.CreateRuntime, state); err != nil {
				return err
			}
			if err := p.ch.send(msgHooksDone, nil); err != nil {
				return err
			}
		case msgSeccompFd:
			if err := p.forwardListener(); err != nil {
				return err
			}
		case msgReady:
			return nil
		default:
			return fmt.Errorf("container init: unexpected message %d", typ)
		}
	}
}

// writeIDMaps writes the stub's uid_map and gid_map from the parent, which
// holds CAP_SETUID/CAP_SETGID over the new user namespace. An unprivileged
// parent may map only its own uid and gid, and must deny setgroups(2) in
// the namespace before it writes gid_map (user_namespaces(7)).
func writeIDMaps(pid int, linux *specs.Linux) error {
	write := func(file string, maps []specs.LinuxIDMapping) error {
		var b strings.Builder
		for _, m := range maps {
			fmt.Fprintf(&b, "%d %d %d\n", m.ContainerID, m.HostID, m.Size)
		}
		path := fmt.Sprintf("/proc/%d/%s", pid, file)
		if err := os.WriteFile(path, []byte(b.String()), 0); err != nil {
			return fmt.Errorf("linux.%s: write %s: %w", map[string]string{"uid_map": "uidMappings", "gid_map": "gidMappings"}[file], path, err)
		}
		return nil
	}
	if linux == nil {
		return nil
	}
	if err := write("uid_map", linux.UIDMappings); err != nil {
		return err
	}
	if Rootless() {
		path := fmt.Sprintf("/proc/%d/setgroups", pid)
		if err := os.WriteFile(path, []byte("deny"), 0); err != nil {
			return fmt.Errorf("linux.gidMappings: deny setgroups: %w", err)
		}
	}
	return write("gid_map", linux.GIDMappings)
}

// forwardListener sends the init's seccomp listener to the agent at
// linux.seccomp.listenerPath, with the container state, as the
// runtime-spec's seccomp section describes.
func (p *initProcess) forwardListener() error {
	fd, err := p.ch.takeFd()
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	sc := p.c.State.Config.Linux.Seccomp
	if sc.ListenerPath == "" {
		return nil
	}
	state, err := json.Marshal(p.c.ociState(Creating))
	if err != nil {
		return err
	}
	if err := seccomp.SendListener(fd, sc.ListenerPath, sc.ListenerMetadata, state); err != nil {
		return fmt.Errorf("linux.seccomp.listenerPath: %w", err)
	}
	return nil
}

// hostRootIDs is the host uid and gid of the container's root: 0 without a
// user namespace, else what uidMappings and gidMappings map 0 to.
func hostRootIDs(spec *specs.Spec) (int, int) {
	uid, gid := 0, 0
	if spec.Linux == nil {
		return uid, gid
	}
	for _, m := range spec.Linux.UIDMappings {
		if m.ContainerID == 0 {
			uid = int(m.HostID)
		}
	}
	for _, m := range spec.Linux.GIDMappings {
		if m.ContainerID == 0 {
			gid = int(m.HostID)
		}
	}
	return uid, gid
}
