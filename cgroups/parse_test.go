package cgroups

import (
	"strings"
	"testing"
)

const hybridMountinfo = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
35 31 0:32 /docker/x /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate
42 31 0:38 / /mnt/other\040dir rw,relatime - cgroup2 cgroup2 rw
`

func TestParseCgroupMounts(t *testing.T) {
	hs, err := parseCgroupMounts(strings.NewReader(hybridMountinfo))
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 4 {
		t.Fatalf("got %d hierarchies: %+v", len(hs), hs)
	}
	if hs[0].MountPoint != "/sys/fs/cgroup/cpu,cpuacct" || strings.Join(hs[0].Subsystems, ",") != "cpu,cpuacct" {
		t.Errorf("cpu: %+v", hs[0])
	}
	if hs[1].Root != "/docker/x" {
		t.Errorf("memory root: %+v", hs[1])
	}
	if strings.Join(hs[2].Subsystems, ",") != "name=systemd" {
		t.Errorf("systemd: %+v", hs[2])
	}
	if !hs[3].Unified || hs[3].MountPoint != "/sys/fs/cgroup/unified" {
		t.Errorf("unified: %+v", hs[3])
	}
}

func TestParseProcCgroup(t *testing.T) {
	m, err := parseProcCgroup(strings.NewReader("4:memory:/a/b\n1:cpu,cpuacct:/\n9:name=systemd:/s\n0::/u\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"memory": "/a/b", "cpu": "/", "cpuacct": "/", "name=systemd": "/s", "": "/u"}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%q = %q, want %q", k, m[k], v)
		}
	}
	if _, err := parseProcCgroup(strings.NewReader("garbage\n")); err == nil {
		t.Error("garbage accepted")
	}
}

func TestContainerDir(t *testing.T) {
	h := mountedHierarchy{MountPoint: "/sys/fs/cgroup/memory", Root: "/docker/x"}
	tests := []struct {
		own, path, want string
		ok              bool
	}{
		{"/docker/x/job", "ctr", "/sys/fs/cgroup/memory/job/ctr", true},
		{"/docker/x", "/docker/x/abs", "/sys/fs/cgroup/memory/abs", true},
		{"/docker/x", "/elsewhere", "", false},
	}
	for _, tt := range tests {
		got, err := containerDir(h, tt.own, tt.path)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("containerDir(%q, %q) = %q, %v", tt.own, tt.path, got, err)
		}
	}
}
