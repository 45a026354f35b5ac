package libcontainer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"golang.org/x/sys/unix"
)

// ErrNotExist is returned for an ID that has no state directory.
var ErrNotExist = errors.New("container does not exist")

// ErrExist is returned by Create for an ID already in use.
var ErrExist = errors.New("container with given ID already exists")

// Container is one container's state directory, locked for the life of the
// value when opened with Lock. Every mutating command holds that lock, so
// two commands on one container are serialized.
type Container struct {
	ID    string
	Dir   string
	State *State
	lock  *os.File
}

// Open reads the state of container id under root without locking it
// (for state, list and ps, which only read).
func Open(root, id string) (*Container, error) {
	dir := filepath.Join(root, id)
	st, err := readState(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("container %q: %w", id, ErrNotExist)
	}
	if err != nil {
		return nil, err
	}
	return &Container{ID: id, Dir: dir, State: st}, nil
}

// OpenLocked opens container id and takes its lock, waiting for any other
// command that holds it. The state is read after the lock is held, so a
// concurrent delete is seen as a missing container.
func OpenLocked(root, id string) (*Container, error) {
	dir := filepath.Join(root, id)
	lock, err := lockDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("container %q: %w", id, ErrNotExist)
	}
	if err != nil {
		return nil, err
	}
	c, err := Open(root, id)
	if err != nil {
		lock.Close()
		return nil, err
	}
	c.lock = lock
	return c, nil
}

// Close releases the lock, if held.
func (c *Container) Close() {
	if c.lock != nil {
		c.lock.Close()
		c.lock = nil
	}
}

func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(dir, os.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	return f, nil
}

// List returns the IDs of every container under root, sorted.
func List(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		if e.IsDir() {
			ids = append(ids, e.Name())
		}
	}
	sort.Strings(ids)
	return ids, nil
}

func (c *Container) save() error { return writeState(c.Dir, c.State) }

// RemoveStale removes the state directory of id if it has no state file:
// what a create killed before its first state write leaves. Nothing else
// can exist then (the state is written before any process or cgroup).
func RemoveStale(root, id string) error {
	dir := filepath.Join(root, id)
	lock, err := lockDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer lock.Close()
	if _, err := os.Stat(filepath.Join(dir, stateFile)); err == nil {
		return nil // a real container appeared meanwhile
	}
	return os.RemoveAll(dir)
}
