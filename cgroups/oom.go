package cgroups

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// OOMEvents reports each OOM kill in the container. v1: an eventfd
// registered on memory.oom_control through cgroup.event_control. v2: the
// oom_kill counter of memory.events, watched for increases.
func (m *manager) OOMEvents(ctx context.Context) (<-chan struct{}, error) {
	dir, v2, ok := m.dirFor("memory")
	if !ok {
		return nil, errors.New("the memory controller is not available")
	}
	ch := make(chan struct{}, 16)
	if v2 {
		go watchMemoryEvents(ctx, filepath.Join(dir, "memory.events"), ch)
		return ch, nil
	}
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("eventfd: %w", err)
	}
	ctl, err := os.Open(filepath.Join(dir, "memory.oom_control"))
	if err != nil {
		unix.Close(efd)
		return nil, err
	}
	reg := fmt.Sprintf("%d %d", efd, ctl.Fd())
	if err := writeFile(filepath.Join(dir, "cgroup.event_control"), reg); err != nil {
		unix.Close(efd)
		ctl.Close()
		return nil, err
	}
	go func() {
		defer ctl.Close()
		defer close(ch)
		ev := os.NewFile(uintptr(efd), "oom-eventfd")
		defer ev.Close()
		go func() { <-ctx.Done(); ev.Close() }()
		buf := make([]byte, 8)
		for {
			if _, err := ev.Read(buf); err != nil {
				return
			}
			// The eventfd also fires when the cgroup is removed.
			if _, err := os.Stat(dir); err != nil {
				return
			}
			ch <- struct{}{}
		}
	}()
	return ch, nil
}

func watchMemoryEvents(ctx context.Context, path string, ch chan<- struct{}) {
	defer close(ch)
	last := oomKills(path)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if _, err := os.Stat(path); err != nil {
			return
		}
		n := oomKills(path)
		for ; last < n; last++ {
			ch <- struct{}{}
		}
	}
}

func oomKills(path string) uint64 {
	return readKV(path)["oom_kill"]
}
