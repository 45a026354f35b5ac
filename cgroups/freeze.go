package cgroups

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Freeze stops every process of the container and returns once the kernel
// reports the cgroup frozen.
func (m *manager) Freeze() error { return m.setFrozen(true) }

// Thaw resumes the container's processes.
func (m *manager) Thaw() error { return m.setFrozen(false) }

func (m *manager) setFrozen(frozen bool) error {
	if m.pureV2() {
		dir := m.hs[0].Dir
		val := map[bool]string{true: "1", false: "0"}[frozen]
		if err := writeFile(filepath.Join(dir, "cgroup.freeze"), val); err != nil {
			return err
		}
		return waitFor(func() (bool, error) {
			f, err := m.Frozen()
			return f == frozen, err
		})
	}
	dir, _, ok := m.dirFor("freezer")
	if !ok {
		return errors.New("the freezer controller is not mounted")
	}
	state := map[bool]string{true: "FROZEN", false: "THAWED"}[frozen]
	return waitFor(func() (bool, error) {
		// Writing again is how v1 retries a freeze stuck in FREEZING.
		if err := writeFile(filepath.Join(dir, "freezer.state"), state); err != nil {
			return false, err
		}
		got, err := readFile(filepath.Join(dir, "freezer.state"))
		return got == state, err
	})
}

// Frozen reports whether the container is frozen.
func (m *manager) Frozen() (bool, error) {
	if m.pureV2() {
		events, err := readFile(filepath.Join(m.hs[0].Dir, "cgroup.events"))
		if err != nil {
			return false, err
		}
		for _, l := range strings.Split(events, "\n") {
			if l == "frozen 1" {
				return true, nil
			}
		}
		return false, nil
	}
	dir, _, ok := m.dirFor("freezer")
	if !ok {
		return false, nil
	}
	got, err := readFile(filepath.Join(dir, "freezer.state"))
	return got == "FROZEN", err
}

func waitFor(done func() (bool, error)) error {
	deadline := time.Now().Add(10 * time.Second)
	for delay := 100 * time.Microsecond; ; delay = min(delay*2, 10*time.Millisecond) {
		ok, err := done()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cgroup freezer: timed out")
		}
		time.Sleep(delay)
	}
}
