package libcontainer

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteStateAtomicLeavesNoTemporaries(t *testing.T) {
	dir := t.TempDir()
	st := &State{ID: "a", Phase: PhaseCreated, InitPid: 7}
	if err := writeState(dir, st); err != nil {
		t.Fatal(err)
	}
	st.InitPid = 8
	if err := writeState(dir, st); err != nil {
		t.Fatal(err)
	}
	got, err := readState(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.InitPid != 8 || got.ID != "a" {
		t.Fatalf("read back %+v", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != stateFile {
		t.Fatalf("directory holds %v, want only %s", entries, stateFile)
	}
	info, _ := os.Stat(filepath.Join(dir, stateFile))
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", info.Mode().Perm())
	}
}

func TestOpenMissingContainer(t *testing.T) {
	if _, err := Open(t.TempDir(), "nope"); err == nil {
		t.Fatal("want an error for a missing container")
	}
	if _, err := OpenLocked(t.TempDir(), "nope"); err == nil {
		t.Fatal("want an error for a missing container")
	}
}
