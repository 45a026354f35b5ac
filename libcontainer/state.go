package libcontainer

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// stateFile is the name of the container's state inside its directory.
const stateFile = "state.json"

// Phase says how far create got. A container whose state says "creating"
// belongs to a create that has not finished (or was killed): only
// delete --force may touch it.
type Phase string

const (
	PhaseCreating Phase = "creating"
	PhaseCreated  Phase = "created"
)

// State is what vessel keeps on disk for one container. It is the only
// link between the commands that act on a container, so it records
// everything needed to find and clean up what create made.
type State struct {
	ID        string            `json:"id"`
	Phase     Phase             `json:"phase"`
	InitPid   int               `json:"init_process_pid"`
	InitStart uint64            `json:"init_process_start"`
	Created   time.Time         `json:"created"`
	Bundle    string            `json:"bundle"`
	Rootfs    string            `json:"rootfs"`
	Owner     string            `json:"owner"`
	Cgroups   map[string]string `json:"cgroup_paths"`
	// Namespaces maps a namespace type to the path exec joins (the init's
	// /proc/<pid>/ns/<type>, or the path it joined).
	Namespaces map[specs.LinuxNamespaceType]string `json:"namespace_paths"`
	Config     *specs.Spec                         `json:"config"`
}

// writeState replaces dir/state.json atomically: readers see the old or the
// new state, never a torn one, even if vessel is killed mid-write.
func writeState(dir string, st *State) error {
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	return writeFileAtomic(filepath.Join(dir, stateFile), data, 0o600)
}

func readState(dir string) (*State, error) {
	data, err := os.ReadFile(filepath.Join(dir, stateFile))
	if err != nil {
		return nil, err
	}
	st := &State{}
	if err := json.Unmarshal(data, st); err != nil {
		return nil, fmt.Errorf("decode %s: %w", filepath.Join(dir, stateFile), err)
	}
	return st, nil
}

// writeFileAtomic writes data to a temporary file beside path, syncs it and
// renames it over path.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteFileAtomic is writeFileAtomic for the commands (pid files).
func WriteFileAtomic(path string, data []byte, mode os.FileMode) error {
	return writeFileAtomic(path, data, mode)
}
