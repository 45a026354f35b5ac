package cgroups

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// newTestManager makes a cgroup nested under the test process's own cgroup
// (a relative path) and removes it when the test ends.
func newTestManager(t *testing.T) Manager {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	m, err := New(fmt.Sprintf("vessel-test-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "_")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		m.Thaw()
		if pids, _ := m.Pids(); len(pids) > 0 {
			for _, p := range pids {
				if proc, err := os.FindProcess(p); err == nil {
					proc.Kill()
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err := m.Destroy(); err != nil {
			t.Errorf("destroy: %v", err)
		}
		if m.Exists() {
			t.Errorf("cgroup left behind: %v", m.Paths())
		}
	})
	return m
}

func startSleep(t *testing.T, m Manager) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if err := m.Apply(cmd.Process.Pid); err != nil {
		t.Fatal(err)
	}
	return cmd
}

func TestApplySetPidsDestroy(t *testing.T) {
	m := newTestManager(t)
	cmd := startSleep(t, m)
	pids, err := m.Pids()
	if err != nil || len(pids) != 1 || pids[0] != cmd.Process.Pid {
		t.Fatalf("Pids = %v, %v; want [%d]", pids, err, cmd.Process.Pid)
	}
	limit := int64(10)
	mem := int64(64 << 20)
	if err := m.Set(&specs.LinuxResources{Pids: &specs.LinuxPids{Limit: &limit}, Memory: &specs.LinuxMemory{Limit: &mem}}); err != nil {
		t.Fatal(err)
	}
	dir, _, _ := m.(*manager).dirFor("pids")
	if got, _ := readFile(filepath.Join(dir, "pids.max")); got != "10" {
		t.Errorf("pids.max = %q", got)
	}
	mdir, v2, _ := m.(*manager).dirFor("memory")
	file := map[bool]string{true: "memory.max", false: "memory.limit_in_bytes"}[v2]
	if got, _ := readFile(filepath.Join(mdir, file)); got != "67108864" {
		t.Errorf("%s = %q", file, got)
	}
	st, err := m.Stats()
	if err != nil || st.Pids.Current != 1 {
		t.Errorf("stats: %+v %v", st.Pids, err)
	}
}

func TestFreezeThaw(t *testing.T) {
	m := newTestManager(t)
	startSleep(t, m)
	if err := m.Freeze(); err != nil {
		t.Fatal(err)
	}
	if f, err := m.Frozen(); err != nil || !f {
		t.Fatalf("Frozen = %v, %v after Freeze", f, err)
	}
	if err := m.Thaw(); err != nil {
		t.Fatal(err)
	}
	if f, _ := m.Frozen(); f {
		t.Fatal("still frozen after Thaw")
	}
}

func TestUpdateBelowUsageRefused(t *testing.T) {
	m := newTestManager(t)
	// Memory is charged to the cgroup where it is allocated: the process
	// joins first, then fills 4 MiB of shm.
	shm := filepath.Join("/dev/shm", fmt.Sprintf("vessel-test-%d", os.Getpid()))
	t.Cleanup(func() { os.Remove(shm) })
	cmd := exec.Command("sh", "-c", "read x; head -c 4194304 /dev/zero > "+shm+"; echo done; sleep 60")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if err := m.Apply(cmd.Process.Pid); err != nil {
		t.Fatal(err)
	}
	stdin.Write([]byte("go\n"))
	if _, err := stdout.Read(make([]byte, 4)); err != nil {
		t.Fatal(err)
	}
	tiny, check := int64(4096), true
	err := m.Set(&specs.LinuxResources{Memory: &specs.LinuxMemory{Limit: &tiny, CheckBeforeUpdate: &check}})
	if err == nil || !strings.Contains(err.Error(), "below the current usage") {
		t.Fatalf("got %v", err)
	}
}

func TestUnknownUnifiedKeyRefused(t *testing.T) {
	m := newTestManager(t)
	startSleep(t, m)
	err := m.Set(&specs.LinuxResources{Unified: map[string]string{"nosuch.file": "1"}})
	if err == nil {
		t.Fatal("want an error")
	}
}

// TestOOMEvent runs a memory hog under a small limit and waits for the OOM
// event (needs the memory controller; runs on the host and in the VMs).
func TestOOMEvent(t *testing.T) {
	m := newTestManager(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.Command("sh", "-c", "read x; exec dd if=/dev/zero of=/dev/null bs=64M count=4")
	stdin, _ := cmd.StdinPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	if err := m.Apply(cmd.Process.Pid); err != nil {
		t.Fatal(err)
	}
	limit, swap := int64(16<<20), int64(16<<20)
	r := &specs.LinuxResources{Memory: &specs.LinuxMemory{Limit: &limit}}
	if _, v2, _ := m.(*manager).dirFor("memory"); v2 || exists(filepath.Join(m.Paths()["memory"], "memory.memsw.limit_in_bytes")) {
		r.Memory.Swap = &swap
	}
	if err := m.Set(r); err != nil {
		t.Fatal(err)
	}
	events, err := m.OOMEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stdin.Write([]byte("go\n"))
	select {
	case <-events:
	case <-ctx.Done():
		t.Fatal("no OOM event")
	}
}
