package configs

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestParseSignal(t *testing.T) {
	tests := []struct {
		in   string
		want unix.Signal
	}{
		{"KILL", unix.SIGKILL}, {"SIGKILL", unix.SIGKILL}, {"9", unix.SIGKILL}, {"term", unix.SIGTERM},
		{"SIGRTMIN", 34}, {"RTMIN+3", 37}, {"SIGRTMAX-1", 63}, {"RTMAX", 64}, {"64", 64},
	}
	for _, tt := range tests {
		got, err := ParseSignal(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSignal(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"FOO", "0", "65", "-1", "RTMIN-1", "RTMAX+1", "RTMIN+x", ""} {
		if _, err := ParseSignal(bad); err == nil {
			t.Errorf("ParseSignal(%q) accepted", bad)
		}
	}
}

func TestParseMountOptions(t *testing.T) {
	m, err := ParseMountOptions("tmpfs", []string{"nosuid", "ro", "rw", "noexec", "mode=755", "size=64k", "rprivate", "rro"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Flags != unix.MS_NOSUID|unix.MS_NOEXEC || m.ClearFlags != unix.MS_RDONLY {
		t.Errorf("flags %#x clear %#x", m.Flags, m.ClearFlags)
	}
	if m.Data != "mode=755,size=64k" {
		t.Errorf("data %q", m.Data)
	}
	if len(m.PropagationFlags) != 1 || m.PropagationFlags[0] != unix.MS_PRIVATE|unix.MS_REC {
		t.Errorf("propagation %v", m.PropagationFlags)
	}
	if m.RecAttrSet != unix.MOUNT_ATTR_RDONLY {
		t.Errorf("recursive attrs %#x", m.RecAttrSet)
	}
	b, _ := ParseMountOptions("none", []string{"rbind"})
	if !b.Bind || !b.Recursive {
		t.Errorf("rbind: %+v", b)
	}
	if b, _ := ParseMountOptions("bind", nil); !b.Bind || b.Recursive {
		t.Errorf("type bind: %+v", b)
	}
}

func TestTables(t *testing.T) {
	if n, err := Capability("CAP_SYS_ADMIN"); err != nil || n != 21 {
		t.Errorf("CAP_SYS_ADMIN = %d, %v", n, err)
	}
	if names := CapabilityNames(); len(names) != 41 || names[0] != "CAP_CHOWN" || names[40] != "CAP_CHECKPOINT_RESTORE" {
		t.Errorf("capability names %v", names)
	}
	if n, err := Rlimit("RLIMIT_NOFILE"); err != nil || n != unix.RLIMIT_NOFILE {
		t.Errorf("RLIMIT_NOFILE = %d, %v", n, err)
	}
	for _, ns := range NamespaceTypes() {
		if _, err := NamespaceFlag(specsNS(ns)); err != nil {
			t.Errorf("namespace %s listed but not known", ns)
		}
	}
	for _, o := range MountOptionNames() {
		m, _ := ParseMountOptions("tmpfs", []string{o})
		if m.Data != "" {
			t.Errorf("option %s listed but passed as data", o)
		}
	}
}
