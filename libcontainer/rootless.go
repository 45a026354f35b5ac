package libcontainer

import (
	"errors"
	"fmt"
	"os"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// errNoCgroup is what cgroup commands return for a container that runs
// without a cgroup (rootless, without a delegated cgroup).
var errNoCgroup = errors.New("the container has no cgroup: it was created by an unprivileged user without a delegated cgroup")

// Rootless reports whether vessel runs as an unprivileged user, where
// creating cgroups, mounting and device nodes depend on what the kernel
// lets a user namespace do (and state lives in $XDG_RUNTIME_DIR).
func Rootless() bool { return os.Geteuid() != 0 }

// cgroupOptional decides what a failure to create or join the container's
// cgroup means. Unprivileged, without a cgroup the user may write, a
// container that asks for no limits runs without one, as runc does;
// one that asks for limits fails, naming them.
func cgroupOptional(err error, spec *specs.Spec) error {
	if !Rootless() || !(errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM) || errors.Is(err, unix.EROFS)) {
		return fmt.Errorf("join cgroup: %w", err)
	}
	if f := limitField(spec); f != "" {
		return fmt.Errorf("linux.resources.%s: limits need a cgroup this user may write (delegate one, e.g. with systemd's Delegate=yes, and set linux.cgroupsPath below it): %w", f, err)
	}
	return nil
}

// limitField names the first resource limit the spec sets ("" for none).
// Device rules are not limits here: without privileges no device node can
// be created or opened beyond what the user already may.
func limitField(spec *specs.Spec) string {
	if spec.Linux == nil || spec.Linux.Resources == nil {
		return ""
	}
	r := spec.Linux.Resources
	switch {
	case r.Memory != nil && (r.Memory.Limit != nil || r.Memory.Reservation != nil || r.Memory.Swap != nil || r.Memory.KernelTCP != nil):
		return "memory"
	case r.CPU != nil && (r.CPU.Shares != nil || r.CPU.Quota != nil || r.CPU.Period != nil || r.CPU.Cpus != "" || r.CPU.Mems != "" || r.CPU.RealtimeRuntime != nil):
		return "cpu"
	case r.Pids != nil && r.Pids.Limit != nil && *r.Pids.Limit > 0:
		return "pids"
	case r.BlockIO != nil && (r.BlockIO.Weight != nil || len(r.BlockIO.WeightDevice) > 0 || len(r.BlockIO.ThrottleReadBpsDevice) > 0 ||
		len(r.BlockIO.ThrottleWriteBpsDevice) > 0 || len(r.BlockIO.ThrottleReadIOPSDevice) > 0 || len(r.BlockIO.ThrottleWriteIOPSDevice) > 0):
		return "blockIO"
	case len(r.HugepageLimits) > 0:
		return "hugepageLimits"
	case r.Network != nil:
		return "network"
	case len(r.Rdma) > 0:
		return "rdma"
	case len(r.Unified) > 0:
		return "unified"
	}
	return ""
}

// checkRootless refuses, before anything is made, what an unprivileged
// user cannot do: run without a user namespace of its own, or map ids
// other than its own uid and gid (that takes newuidmap(1), which vessel
// does not use).
func checkRootless(spec *specs.Spec) error {
	if !Rootless() {
		return nil
	}
	return checkRootlessSpec(spec, uint32(os.Geteuid()), uint32(os.Getegid()))
}

func checkRootlessSpec(spec *specs.Spec, uid, gid uint32) error {
	const hint = " (vessel spec --rootless writes such a config)"
	newUserNS := false
	if spec.Linux != nil {
		for _, ns := range spec.Linux.Namespaces {
			if ns.Type == specs.UserNamespace && ns.Path == "" {
				newUserNS = true
			}
		}
	}
	if !newUserNS {
		return fmt.Errorf("linux.namespaces: an unprivileged user needs a new user namespace%s", hint)
	}
	check := func(field string, maps []specs.LinuxIDMapping, own uint32) error {
		if len(maps) != 1 || maps[0].HostID != own || maps[0].Size != 1 {
			return fmt.Errorf("linux.%s: an unprivileged user may map only its own id %d, with size 1%s", field, own, hint)
		}
		return nil
	}
	if err := check("uidMappings", spec.Linux.UIDMappings, uid); err != nil {
		return err
	}
	return check("gidMappings", spec.Linux.GIDMappings, gid)
}
