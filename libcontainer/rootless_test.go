package libcontainer

import (
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func rootlessSpec(uid, gid uint32) *specs.Spec {
	return &specs.Spec{Linux: &specs.Linux{
		Namespaces:  []specs.LinuxNamespace{{Type: specs.PIDNamespace}, {Type: specs.UserNamespace}},
		UIDMappings: []specs.LinuxIDMapping{{ContainerID: 0, HostID: uid, Size: 1}},
		GIDMappings: []specs.LinuxIDMapping{{ContainerID: 0, HostID: gid, Size: 1}},
	}}
}

func TestCheckRootlessSpec(t *testing.T) {
	if err := checkRootlessSpec(rootlessSpec(4242, 4243), 4242, 4243); err != nil {
		t.Fatalf("own ids refused: %v", err)
	}
	noUser := rootlessSpec(4242, 4243)
	noUser.Linux.Namespaces = noUser.Linux.Namespaces[:1]
	wide := rootlessSpec(4242, 4243)
	wide.Linux.UIDMappings[0].Size = 65536
	other := rootlessSpec(4242, 100000)
	for _, c := range []struct {
		spec  *specs.Spec
		field string
	}{
		{noUser, "linux.namespaces:"},
		{wide, "linux.uidMappings:"},
		{other, "linux.gidMappings:"},
	} {
		err := checkRootlessSpec(c.spec, 4242, 4243)
		if err == nil || !strings.HasPrefix(err.Error(), c.field) {
			t.Errorf("want an error on %s, got %v", c.field, err)
		}
	}
}

func TestLimitField(t *testing.T) {
	s := rootlessSpec(1, 1)
	if f := limitField(s); f != "" {
		t.Errorf("no resources: got %q", f)
	}
	limit := int64(20)
	s.Linux.Resources = &specs.LinuxResources{Devices: []specs.LinuxDeviceCgroup{{Allow: false, Access: "rwm"}}}
	if f := limitField(s); f != "" {
		t.Errorf("device rules are not limits: got %q", f)
	}
	s.Linux.Resources.Pids = &specs.LinuxPids{Limit: &limit}
	if f := limitField(s); f != "pids" {
		t.Errorf("pids limit: got %q", f)
	}
}
