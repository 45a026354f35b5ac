package main

import (
	"os"
	"path/filepath"
	"testing"
)

// The committed docs/commands pages are what the CLI says: a help text or
// flag changed without `make docs` fails here.
func TestCommandDocsCurrent(t *testing.T) {
	pages := commandPages(newApp())
	if len(pages) < 16 {
		t.Fatalf("only %d pages generated", len(pages))
	}
	for name, want := range pages {
		got, err := os.ReadFile(filepath.Join("docs", "commands", name))
		if err != nil {
			t.Errorf("%v: run make docs", err)
			continue
		}
		if string(got) != want {
			t.Errorf("docs/commands/%s is stale: run make docs", name)
		}
	}
	files, _ := filepath.Glob(filepath.Join("docs", "commands", "*.md"))
	if len(files) != len(pages) {
		t.Errorf("docs/commands has %d pages, the CLI %d: remove the stale ones", len(files), len(pages))
	}
}
