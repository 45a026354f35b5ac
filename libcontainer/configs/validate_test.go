package configs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

func validSpec(t *testing.T) (*specs.Spec, string) {
	t.Helper()
	bundle := t.TempDir()
	if err := os.Mkdir(filepath.Join(bundle, "rootfs"), 0o755); err != nil {
		t.Fatal(err)
	}
	return &specs.Spec{
		Version: "1.2.0",
		Root:    &specs.Root{Path: "rootfs"},
		Process: &specs.Process{Args: []string{"sh"}, Cwd: "/"},
		Linux:   &specs.Linux{Namespaces: []specs.LinuxNamespace{{Type: "pid"}, {Type: "mount"}}},
	}, bundle
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(s *specs.Spec)
		wantMsg string // first problem, "" for valid
		pointer string
	}{
		{"valid", func(s *specs.Spec) {}, "", ""},
		{"unknown namespace", func(s *specs.Spec) {
			s.Linux.Namespaces = append(s.Linux.Namespaces, specs.LinuxNamespace{Type: "foo"})
		},
			`linux.namespaces[2].type: unknown namespace "foo"`, "/linux/namespaces/2/type"},
		{"duplicate namespace", func(s *specs.Spec) {
			s.Linux.Namespaces = append(s.Linux.Namespaces, specs.LinuxNamespace{Type: "pid"})
		},
			`linux.namespaces[2].type: duplicate namespace "pid"`, "/linux/namespaces/2/type"},
		{"namespace path of wrong type", func(s *specs.Spec) { s.Linux.Namespaces[0].Path = "/proc/self/ns/net" },
			`linux.namespaces[0].path: "/proc/self/ns/net" is not a pid namespace`, "/linux/namespaces/0/path"},
		{"namespace path not a namespace", func(s *specs.Spec) { s.Linux.Namespaces[0].Path = "/proc/self/status" },
			`linux.namespaces[0].path: "/proc/self/status" is not a namespace`, "/linux/namespaces/0/path"},
		{"unsupported version", func(s *specs.Spec) { s.Version = "2.0.0" },
			`ociVersion: unsupported version "2.0.0" (vessel supports 1.0.0 to ` + specs.Version + `)`, "/ociVersion"},
		{"missing version", func(s *specs.Spec) { s.Version = "" }, "ociVersion: missing", "/ociVersion"},
		{"empty args", func(s *specs.Spec) { s.Process.Args = nil }, "process.args: must not be empty", "/process/args"},
		{"relative cwd", func(s *specs.Spec) { s.Process.Cwd = "tmp" }, `process.cwd: "tmp" is not an absolute path`, "/process/cwd"},
		{"unknown capability", func(s *specs.Spec) {
			s.Process.Capabilities = &specs.LinuxCapabilities{Bounding: []string{"CAP_KILL", "CAP_FOO"}}
		}, `process.capabilities.bounding[1]: unknown capability "CAP_FOO"`, "/process/capabilities/bounding/1"},
		{"mount without destination", func(s *specs.Spec) { s.Mounts = []specs.Mount{{Type: "tmpfs"}} },
			"mounts[0].destination: missing", "/mounts/0/destination"},
		{"bind without source", func(s *specs.Spec) { s.Mounts = []specs.Mount{{Destination: "/x", Type: "bind"}} },
			"mounts[0].source: a bind mount needs a source", "/mounts/0/source"},
		{"uid mappings without user namespace", func(s *specs.Spec) {
			s.Linux.UIDMappings = []specs.LinuxIDMapping{{HostID: 1000, Size: 1}}
		}, "linux.uidMappings: requires a user namespace", "/linux/uidMappings"},
		{"user namespace without mappings", func(s *specs.Spec) {
			s.Linux.Namespaces = append(s.Linux.Namespaces, specs.LinuxNamespace{Type: "user"})
		}, "linux.uidMappings: a new user namespace needs uidMappings and gidMappings", "/linux/uidMappings"},
		{"missing rootfs", func(s *specs.Spec) { s.Root.Path = "nope" }, "root.path: rootfs", "/root/path"},
		{"hostname without uts", func(s *specs.Spec) { s.Hostname = "x" }, "hostname: requires a private UTS namespace", "/hostname"},
		{"sysctl without netns", func(s *specs.Spec) { s.Linux.Sysctl = map[string]string{"net.ipv4.ip_forward": "1"} },
			"linux.sysctl.net.ipv4.ip_forward: requires a private network namespace: it would change the host", "/linux/sysctl/net/ipv4/ip_forward"},
		{"sysctl not namespaced", func(s *specs.Spec) { s.Linux.Sysctl = map[string]string{"vm.swappiness": "1"} },
			"linux.sysctl.vm.swappiness: not namespaced: it would change the host", "/linux/sysctl/vm/swappiness"},
		{"time offsets without time ns", func(s *specs.Spec) {
			s.Linux.TimeOffsets = map[string]specs.LinuxTimeOffset{"monotonic": {Secs: 1}}
		}, "linux.timeOffsets: requires a time namespace", "/linux/timeOffsets"},
		{"rlimit soft over hard", func(s *specs.Spec) {
			s.Process.Rlimits = []specs.POSIXRlimit{{Type: "RLIMIT_NOFILE", Soft: 10, Hard: 5}}
		}, "process.rlimits[0]: soft limit 10 exceeds hard limit 5", "/process/rlimits/0"},
		{"unknown rlimit", func(s *specs.Spec) { s.Process.Rlimits = []specs.POSIXRlimit{{Type: "RLIMIT_FOO"}} },
			`process.rlimits[0].type: unknown rlimit "RLIMIT_FOO"`, "/process/rlimits/0/type"},
		{"relative hook", func(s *specs.Spec) { s.Hooks = &specs.Hooks{Poststop: []specs.Hook{{Path: "x"}}} },
			`hooks.poststop[0].path: "x" is not an absolute path`, "/hooks/poststop/0/path"},
		{"bad device type", func(s *specs.Spec) { s.Linux.Devices = []specs.LinuxDevice{{Path: "/dev/x", Type: "z"}} },
			`linux.devices[0].type: unknown device type "z"`, "/linux/devices/0/type"},
		{"systemd cgroups path", func(s *specs.Spec) { s.Linux.CgroupsPath = "system.slice:vessel:x" },
			`linux.cgroupsPath: "system.slice:vessel:x": the systemd cgroup driver (slice:prefix:name) is not supported`, "/linux/cgroupsPath"},
		{"cgroups path escape", func(s *specs.Spec) { s.Linux.CgroupsPath = "/a/../../b" },
			`linux.cgroupsPath: "/a/../../b" must not contain ..`, "/linux/cgroupsPath"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec, bundle := validSpec(t)
			tt.mutate(spec)
			err := Validate(spec, bundle)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var ve *Error
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want *Error", err)
			}
			if !strings.HasPrefix(err.Error(), tt.wantMsg) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %q, want one line starting %q", err.Error(), tt.wantMsg)
			}
			if ve.Pointer() != tt.pointer || ve.Code() == "" {
				t.Fatalf("pointer %q code %q, want pointer %q", ve.Pointer(), ve.Code(), tt.pointer)
			}
		})
	}
}

func TestLoadSpecErrors(t *testing.T) {
	bundle := t.TempDir()
	if _, err := LoadSpec(filepath.Join(bundle, "missing")); err == nil || !strings.Contains(err.Error(), "no such file or directory") {
		t.Fatalf("missing bundle: %v", err)
	}
	if _, err := LoadSpec(bundle); err == nil || !strings.Contains(err.Error(), "config.json: not found") {
		t.Fatalf("missing config: %v", err)
	}
	os.WriteFile(filepath.Join(bundle, "config.json"), []byte("{\n  \"ociVersion\": \"1.0.0\",\n  \"process\": {\n    \"args\": [\"sh\"\n  }\n}\n"), 0o644)
	_, err := LoadSpec(bundle)
	if err == nil || !strings.HasPrefix(err.Error(), "config.json: line 5, column 3:") {
		t.Fatalf("syntax error: %v", err)
	}
	os.WriteFile(filepath.Join(bundle, "config.json"), []byte(`{"ociVersion": "1.0.0", "process": {"args": "sh"}}`), 0o644)
	_, err = LoadSpec(bundle)
	if err == nil || !strings.Contains(err.Error(), "line 1, column 48") || !strings.Contains(err.Error(), "process.args") {
		t.Fatalf("type error: %v", err)
	}
	var ve *Error
	if !errors.As(err, &ve) || ve.Pointer() != "/process/args" {
		t.Fatalf("type error pointer: %v", err)
	}
}

func TestValidateID(t *testing.T) {
	for _, ok := range []string{"a", "my-container_1.2+x", strings.Repeat("a", MaxIDLength)} {
		if err := ValidateID(ok); err != nil {
			t.Errorf("ValidateID(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", ".", "..", "a/b", "a b", "ä", strings.Repeat("a", MaxIDLength+1)} {
		if err := ValidateID(bad); err == nil {
			t.Errorf("ValidateID(%q) accepted", bad)
		}
	}
}

// A fifo as namespace path must not block validation (a hostile bundle).
func TestNamespacePathFifoDoesNotBlock(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- CheckNamespacePath("network", fifo) }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a fifo accepted as namespace")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("CheckNamespacePath blocked on a fifo")
	}
}

func TestLoadSpecFifoDoesNotBlock(t *testing.T) {
	bundle := t.TempDir()
	if err := unix.Mkfifo(filepath.Join(bundle, "config.json"), 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := LoadSpec(bundle); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("LoadSpec blocked on a fifo")
	}
}
