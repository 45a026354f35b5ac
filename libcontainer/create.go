package libcontainer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/vessel-runtime/vessel/cgroups"
)

// CreateOpts is what `vessel create` passes to Create.
type CreateOpts struct {
	ID     string
	Bundle string // absolute
	Spec   *specs.Spec
	// ConsoleSocket is the connected --console-socket, or nil.
	ConsoleSocket *os.File
	PidFile       string
	NoPivot       bool
	NoNewKeyring  bool
	PreserveFDs   int
}

// Create makes the container: state directory, cgroup, init process with its
// namespaces and root filesystem, blocked until Start. On any failure it
// removes everything it made. The returned container holds its lock.
func Create(root string, o CreateOpts) (c *Container, err error) {
	if err := checkRootless(o.Spec); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(root, 0o711); err != nil {
		return nil, fmt.Errorf("create state root: %w", err)
	}
	dir := filepath.Join(root, o.ID)
	if err := os.Mkdir(dir, 0o711); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("container %q: %w", o.ID, ErrExist)
		}
		return nil, fmt.Errorf("create state directory: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	rootfs := o.Spec.Root.Path
	if !filepath.IsAbs(rootfs) {
		rootfs = filepath.Join(o.Bundle, rootfs)
	}
	c = &Container{ID: o.ID, Dir: dir, lock: lock, State: &State{
		ID: o.ID, Phase: PhaseCreating, Created: time.Now().UTC(),
		Bundle: o.Bundle, Rootfs: rootfs, Config: o.Spec,
		Namespaces: map[specs.LinuxNamespaceType]string{},
	}}
	defer func() {
		if err != nil {
			c.abort()
		}
	}()
	mgr, err := cgroups.New(cgroupPath(o.ID, o.Spec))
	if err != nil {
		return c, fmt.Errorf("linux.cgroupsPath: %w", err)
	}
	c.State.Cgroups = mgr.Paths()
	// Saved before anything is started: from here on delete --force can
	// find the cgroup and the init even if this process is killed.
	if err := c.save(); err != nil {
		return c, err
	}
	p, err := newInitProcess(c, mgr, o)
	if err != nil {
		return c, err
	}
	defer p.close()
	if err := p.run(); err != nil {
		return c, err
	}
	c.State.Phase = PhaseCreated
	if err := c.save(); err != nil {
		return c, err
	}
	if o.PidFile != "" {
		if err := writeFileAtomic(o.PidFile, []byte(strconv.Itoa(c.State.InitPid)), 0o644); err != nil {
			return c, fmt.Errorf("--pid-file: %w", err)
		}
	}
	return c, nil
}

// cgroupPath is linux.cgroupsPath, or the ID: a relative path, which the
// cgroups package places under the caller's own cgroup.
func cgroupPath(id string, spec *specs.Spec) string {
	if spec.Linux != nil && spec.Linux.CgroupsPath != "" {
		return spec.Linux.CgroupsPath
	}
	return id
}

// abort undoes a failed create: kill whatever runs in the cgroup, remove the
// cgroup and the state directory.
func (c *Container) abort() {
	c.killAndRemoveCgroup()
	os.RemoveAll(c.Dir)
	c.Close()
}

// killAndRemoveCgroup kills every process of the container and removes
// its cgroup, waiting briefly for the processes to die.
func (c *Container) killAndRemoveCgroup() error {
	if pid := c.State.InitPid; pid > 0 && initAlive(pid, c.State.InitStart) {
		unix.Kill(pid, unix.SIGKILL)
	}
	if len(c.State.Cgroups) == 0 {
		return nil
	}
	mgr, err := cgroups.Load(c.State.Cgroups)
	if err != nil {
		return err
	}
	if !mgr.Exists() {
		return nil
	}
	for i := 0; i < 500; i++ {
		pids, err := mgr.Pids()
		if err != nil || len(pids) == 0 {
			break
		}
		for _, pid := range pids {
			unix.Kill(pid, unix.SIGKILL)
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := mgr.Destroy(); err != nil {
		return fmt.Errorf("remove cgroup: %w", err)
	}
	return nil
}
