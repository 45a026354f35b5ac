package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"-1", -1, true}, {"1024", 1024, true}, {"1k", 1024, true}, {"512m", 512 << 20, true},
		{"2G", 2 << 30, true}, {"1gb", 1 << 30, true}, {"1.5k", 1536, true},
		{"", 0, false}, {"abc", 0, false}, {"-5", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseSize(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("parseSize(%q) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestJSONErrorPosition(t *testing.T) {
	data := []byte("{\n  \"args\": [\"sh\",\n  }\n")
	var v map[string]any
	err := json.Unmarshal(data, &v)
	if got := jsonErrorPosition(data, err); got[:len("line 3, column 3")] != "line 3, column 3" {
		t.Fatalf("got %q", got)
	}
	if got := jsonErrorPosition(nil, errors.New("x")); got != "x" {
		t.Fatalf("got %q", got)
	}
}

func TestParseUser(t *testing.T) {
	if u, g, err := parseUser("1000:100"); err != nil || u != 1000 || g != 100 {
		t.Fatalf("got %d %d %v", u, g, err)
	}
	if u, g, err := parseUser("5"); err != nil || u != 5 || g != 0 {
		t.Fatalf("got %d %d %v", u, g, err)
	}
	for _, bad := range []string{"root", "1:x", ""} {
		if _, _, err := parseUser(bad); err == nil {
			t.Fatalf("parseUser(%q) accepted", bad)
		}
	}
}

func TestFilterPs(t *testing.T) {
	out := []byte("UID PID PPID C STIME TTY TIME CMD\nroot 1 0 0 10:00 ? 00:00:01 init\nroot 42 1 0 10:00 ? 00:00:00 sleep 9\nroot 420 1 0 10:00 ? 00:00:00 x\n")
	var b strings.Builder
	if err := filterPs(&b, out, []int{42}); err != nil {
		t.Fatal(err)
	}
	if want := "UID PID PPID C STIME TTY TIME CMD\nroot 42 1 0 10:00 ? 00:00:00 sleep 9\n"; b.String() != want {
		t.Fatalf("got %q", b.String())
	}
	if err := filterPs(&b, []byte("NOPE\n"), nil); err == nil {
		t.Fatal("want an error without a PID column")
	}
}
