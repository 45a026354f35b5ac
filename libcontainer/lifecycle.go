package libcontainer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// Start lets a created container exec its workload: it opens the exec fifo
// the init is blocked on and reads its byte, then runs the poststart hooks.
// Failures of poststart hooks are returned as warnings, as the spec says.
func (c *Container) Start() (warnings []error, err error) {
	switch s := c.Status(); s {
	case Created:
	case Stopped:
		return nil, errors.New("cannot start a container that has stopped")
	default:
		return nil, fmt.Errorf("cannot start an already %s container", s)
	}
	fifoPath := filepath.Join(c.Dir, fifoName)
	fd, err := unix.Open(fifoPath, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open exec fifo: %w", err)
	}
	defer unix.Close(fd)
	if err := c.awaitFifo(fd); err != nil {
		return nil, err
	}
	os.Remove(fifoPath)
	if err := runHooks("poststart", hooksOf(c.State.Config).Poststart, c.ociState(Running)); err != nil {
		warnings = append(warnings, err)
	}
	return warnings, nil
}

// awaitFifo waits for the init's byte. poll(2) on a fifo that never had a
// writer does not report a hangup, so a dead init is noticed by checking
// it between short waits.
func (c *Container) awaitFifo(fd int) error {
	buf := make([]byte, 1)
	for {
		n, err := unix.Read(fd, buf)
		if n == 1 {
			return nil
		}
		if err != nil && err != unix.EAGAIN && err != unix.EINTR {
			return fmt.Errorf("read exec fifo: %w", err)
		}
		if !initAlive(c.State.InitPid, c.State.InitStart) {
			return errors.New("container init exited before start")
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		if _, err := unix.Poll(fds, 100); err != nil && err != unix.EINTR {
			return fmt.Errorf("poll exec fifo: %w", err)
		}
	}
}

// Signal sends sig to the init, or to every process of the container with
// all set. Without a private PID namespace the workload's children would
// survive the init, so every process is signalled, as runc 1.2+ does.
func (c *Container) Signal(sig unix.Signal, all bool) error {
	status := c.Status()
	if status == Stopped {
		return errors.New("container not running")
	}
	if all || !c.hasPrivatePidNS() {
		return c.signalAll(sig)
	}
	return signalPid(c.State.InitPid, c.State.InitStart, sig)
}

// signalPid signals a process through a pidfd, after checking the pid
// still names the process vessel started: a recycled pid is never hit.
func signalPid(pid int, start uint64, sig unix.Signal) error {
	pidfd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return fmt.Errorf("container not running: %w", err)
	}
	defer unix.Close(pidfd)
	if !initAlive(pid, start) {
		return errors.New("container not running")
	}
	if err := unix.PidfdSendSignal(pidfd, sig, nil, 0); err != nil {
		return fmt.Errorf("signal %d: %w", sig, err)
	}
	return nil
}

func (c *Container) signalAll(sig unix.Signal) error {
	if len(c.State.Cgroups) == 0 {
		// No cgroup lists the processes (rootless without delegation): in a
		// private PID namespace the init stands for them all, as SIGKILL
		// of it ends the namespace.
		if c.hasPrivatePidNS() {
			return signalPid(c.State.InitPid, c.State.InitStart, sig)
		}
		return errNoCgroup
	}
	mgr, err := c.Manager()
	if err != nil {
		return err
	}
	pids, err := mgr.Pids()
	if err != nil {
		return fmt.Errorf("list container processes: %w", err)
	}
	for _, pid := range pids {
		if err := unix.Kill(pid, sig); err != nil && err != unix.ESRCH {
			return fmt.Errorf("signal %d to %d: %w", sig, pid, err)
		}
	}
	return nil
}

func (c *Container) hasPrivatePidNS() bool {
	if c.State.Config == nil || c.State.Config.Linux == nil {
		return false
	}
	for _, ns := range c.State.Config.Linux.Namespaces {
		if ns.Type == specs.PIDNamespace {
			return ns.Path == ""
		}
	}
	return false
}

// Destroy removes a container: with force a live one is killed first;
// without it only stopped (or still created) containers go, as with runc.
func (c *Container) Destroy(force bool) (warnings []error, err error) {
	status := c.Status()
	switch {
	case status == Stopped:
	case status == Created || force:
		c.signalAll(unix.SIGKILL)
		if status == Paused {
			if mgr, err := c.Manager(); err == nil {
				mgr.Thaw()
			}
		}
		c.waitStopped(5 * time.Second)
	default:
		return nil, fmt.Errorf("cannot delete container %s that is not stopped: %s", c.ID, status)
	}
	if err := c.killAndRemoveCgroup(); err != nil {
		return nil, err
	}
	if c.State.Phase == PhaseCreated {
		if err := runHooks("poststop", hooksOf(c.State.Config).Poststop, c.ociState(Stopped)); err != nil {
			warnings = append(warnings, err)
		}
	}
	if err := os.RemoveAll(c.Dir); err != nil {
		return warnings, fmt.Errorf("remove state: %w", err)
	}
	return warnings, nil
}

func (c *Container) waitStopped(timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for initAlive(c.State.InitPid, c.State.InitStart) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}
