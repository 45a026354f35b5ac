package cgroups

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// Mode is the host's cgroup layout.
type Mode int

const (
	Legacy  Mode = iota // v1 controllers only
	Hybrid              // v1 controllers plus a cgroup2 mount at /sys/fs/cgroup/unified
	Unified             // pure cgroup v2 at /sys/fs/cgroup
)

func (m Mode) String() string {
	return [...]string{"legacy", "hybrid", "unified"}[m]
}

// DetectMode looks at what is mounted at /sys/fs/cgroup.
func DetectMode() Mode {
	var st unix.Statfs_t
	if unix.Statfs("/sys/fs/cgroup", &st) == nil && st.Type == unix.CGROUP2_SUPER_MAGIC {
		return Unified
	}
	if unix.Statfs("/sys/fs/cgroup/unified", &st) == nil && st.Type == unix.CGROUP2_SUPER_MAGIC {
		return Hybrid
	}
	return Legacy
}

// Hierarchy is the container's directory in one mounted hierarchy.
type Hierarchy struct {
	MountPoint string   `json:"mount_point"`
	Root       string   `json:"root"`
	Subsystems []string `json:"subsystems,omitempty"`
	Unified    bool     `json:"unified,omitempty"`
	Dir        string   `json:"dir"`
}

// Manager is one container's cgroup in every hierarchy.
type Manager interface {
	Apply(pid int) error
	Set(r *specs.LinuxResources) error
	Freeze() error
	Thaw() error
	Frozen() (bool, error)
	Pids() ([]int, error)
	Stats() (*Stats, error)
	OOMEvents(ctx context.Context) (<-chan struct{}, error)
	Destroy() error
	Exists() bool
	Paths() map[string]string
	Hierarchies() []Hierarchy
}

// manager implements Manager over a list of hierarchies; on a pure v2 host
// that list has one unified entry.
type manager struct {
	hs []Hierarchy
}

// New resolves a container's cgroup path (linux.cgroupsPath, or a relative
// name) in every mounted hierarchy. Nothing is created until Apply.
func New(path string) (Manager, error) {
	if path == "" {
		return nil, errors.New("empty cgroup path")
	}
	if strings.Contains(path, ":") && !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("%q: systemd cgroup driver not supported", path)
	}
	mi, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer mi.Close()
	mounts, err := parseCgroupMounts(mi)
	if err != nil {
		return nil, err
	}
	pc, err := os.Open("/proc/self/cgroup")
	if err != nil {
		return nil, err
	}
	defer pc.Close()
	own, err := parseProcCgroup(pc)
	if err != nil {
		return nil, err
	}
	m := &manager{}
	mode := DetectMode()
	for _, h := range mounts {
		if h.Unified && mode == Legacy {
			continue
		}
		if !h.Unified && mode == Unified {
			continue
		}
		ownPath, ok := own[firstKey(h)]
		if !ok {
			continue
		}
		dir, err := containerDir(h, ownPath, path)
		if err != nil {
			return nil, err
		}
		m.hs = append(m.hs, Hierarchy{MountPoint: h.MountPoint, Root: h.Root, Subsystems: h.Subsystems, Unified: h.Unified, Dir: dir})
	}
	if len(m.hs) == 0 {
		return nil, errors.New("no cgroup hierarchy is mounted")
	}
	return m, nil
}

func firstKey(h mountedHierarchy) string {
	if h.Unified || len(h.Subsystems) == 0 {
		return ""
	}
	return h.Subsystems[0]
}

// None is the manager of a container without a cgroup (rootless without a
// delegated one): every operation does nothing. Callers that would report
// on or change a cgroup check for it first.
func None() Manager { return &manager{} }

// Load rebuilds a manager from Paths() as saved in the container state.
func Load(paths map[string]string) (Manager, error) {
	m := &manager{}
	for key, dir := range paths {
		h := Hierarchy{Dir: dir}
		if key == "" {
			h.Unified = true
		} else {
			h.Subsystems = strings.Split(key, ",")
		}
		m.hs = append(m.hs, h)
	}
	if len(m.hs) == 0 {
		return nil, errors.New("container has no cgroup")
	}
	return m, nil
}

// Paths maps each hierarchy ("cpu,cpuacct", "name=systemd", "" for
// cgroup2) to the container's directory.
func (m *manager) Paths() map[string]string {
	out := make(map[string]string, len(m.hs))
	for _, h := range m.hs {
		key := strings.Join(h.Subsystems, ",")
		if h.Unified {
			key = ""
		}
		out[key] = h.Dir
	}
	return out
}

func (m *manager) Hierarchies() []Hierarchy { return append([]Hierarchy(nil), m.hs...) }

// pureV2 reports a pure cgroup v2 host (one unified hierarchy, all
// controllers there).
func (m *manager) pureV2() bool { return len(m.hs) == 1 && m.hs[0].Unified }

// dirFor is the directory of the hierarchy holding a controller: a v1 one
// that lists it, or the unified one when it is enabled there (pure v2, or
// hugetlb on this project's hybrid hosts).
func (m *manager) dirFor(ctrl string) (dir string, v2 bool, ok bool) {
	for _, h := range m.hs {
		if !h.Unified {
			for _, s := range h.Subsystems {
				if s == ctrl {
					return h.Dir, false, true
				}
			}
		}
	}
	for _, h := range m.hs {
		if h.Unified && v2Has(h.Dir, ctrl) {
			return h.Dir, true, true
		}
	}
	return "", false, false
}

// v2Has reports whether a v2 controller is enabled for the cgroup (listed
// in its cgroup.controllers, which the parent's subtree_control decides).
func v2Has(dir, ctrl string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "cgroup.controllers"))
	if err != nil {
		return false
	}
	for _, c := range strings.Fields(string(data)) {
		if c == ctrl {
			return true
		}
	}
	return false
}

func (m *manager) Exists() bool {
	for _, h := range m.hs {
		if _, err := os.Stat(h.Dir); err == nil {
			return true
		}
	}
	return false
}
