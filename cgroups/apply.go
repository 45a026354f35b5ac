package cgroups

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Apply creates the container's directories and moves pid into them.
func (m *manager) Apply(pid int) error {
	for _, h := range m.hs {
		if err := m.create(h); err != nil {
			return err
		}
		procs := filepath.Join(h.Dir, "cgroup.procs")
		if err := writeFile(procs, strconv.Itoa(pid)); err != nil {
			return err
		}
	}
	return nil
}

// create makes h.Dir and its missing parents. A new v1 cpuset starts with
// empty cpus and mems, which refuse any task: copy them from the parent.
// On v2, the controllers of the parent are enabled for the new child.
func (m *manager) create(h Hierarchy) error {
	var missing []string
	for d := h.Dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
		if d == "/" {
			break
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		d := missing[i]
		if h.Unified {
			enableControllers(filepath.Dir(d))
		}
		if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("create cgroup %s: %w", d, err)
		}
	}
	if !h.Unified && hasSubsystem(h, "cpuset") {
		fillCpuset(h.Dir)
	}
	return nil
}

// fillCpuset gives an empty v1 cpuset (new, or made by someone else, as a
// sub-cgroup for exec --cgroup) its parent's cpus and mems, top down.
func fillCpuset(dir string) {
	if dir == "/" || dir == "." {
		return
	}
	cpus, _ := readFile(filepath.Join(dir, "cpuset.cpus"))
	if cpus != "" {
		return
	}
	parent := filepath.Dir(dir)
	fillCpuset(parent)
	for _, f := range []string{"cpuset.cpus", "cpuset.mems"} {
		if v, err := readFile(filepath.Join(parent, f)); err == nil {
			writeFile(filepath.Join(dir, f), v)
		}
	}
}

// enableControllers enables in dir's subtree_control every controller dir
// has but its children do not get yet (pure v2 hosts; best effort: a
// parent with processes of its own cannot enable domain controllers).
func enableControllers(dir string) {
	avail, err := os.ReadFile(filepath.Join(dir, "cgroup.controllers"))
	if err != nil {
		return
	}
	enabled, _ := os.ReadFile(filepath.Join(dir, "cgroup.subtree_control"))
	on := map[string]bool{}
	for _, c := range strings.Fields(string(enabled)) {
		on[c] = true
	}
	for _, c := range strings.Fields(string(avail)) {
		if !on[c] {
			writeFile(filepath.Join(dir, "cgroup.subtree_control"), "+"+c)
		}
	}
}

func hasSubsystem(h Hierarchy, s string) bool {
	for _, x := range h.Subsystems {
		if x == s {
			return true
		}
	}
	return false
}

// Pids lists every process in the container's cgroup and the cgroups the
// workload made below it.
func (m *manager) Pids() ([]int, error) {
	dir := m.pidsDir()
	seen := map[int]bool{}
	var pids []int
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(filepath.Join(p, "cgroup.procs"))
		if err != nil {
			return nil // removed meanwhile
		}
		for _, f := range strings.Fields(string(data)) {
			if n, err := strconv.Atoi(f); err == nil && !seen[n] {
				seen[n] = true
				pids = append(pids, n)
			}
		}
		return nil
	})
	sort.Ints(pids)
	return pids, err
}

// pidsDir picks the hierarchy to list processes from: the unified one on
// v2, else a v1 one every task is in (pids, freezer, memory, ...).
func (m *manager) pidsDir() string {
	if m.pureV2() {
		return m.hs[0].Dir
	}
	for _, want := range []string{"pids", "freezer", "memory", "cpu", "devices"} {
		if dir, v2, ok := m.dirFor(want); ok && !v2 {
			return dir
		}
	}
	return m.hs[0].Dir
}

// Destroy removes the container's directories, deepest first. rmdir of a
// cgroup whose last task just exited can fail with EBUSY for a moment.
func (m *manager) Destroy() error {
	var errs []error
	for _, h := range m.hs {
		if err := removeTree(h.Dir); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func removeTree(dir string) error {
	var dirs []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		var err error
		for try := 0; try < 100; try++ {
			err = unix.Rmdir(dirs[i])
			if err != unix.EBUSY {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err != nil && err != unix.ENOENT {
			return fmt.Errorf("remove cgroup %s: %w", dirs[i], err)
		}
	}
	return nil
}

// writeFile writes a cgroupfs file; the error names the file.
func writeFile(path, value string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	if _, err := f.WriteString(value); err != nil {
		return fmt.Errorf("%s: write %q: %w", path, value, unwrap(err))
	}
	return nil
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func readFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(data)), nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
