package libcontainer

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/vessel-runtime/vessel/cgroups"
)

// containerResources is linux.resources with the device rules every
// container gets, as runc builds them: deny all, the bundle's rules, then allow rules
// for the default devices and for each of linux.devices (later rules win).
func containerResources(spec *specs.Spec) *specs.LinuxResources {
	r := &specs.LinuxResources{}
	if spec.Linux == nil {
		return r
	}
	if spec.Linux.Resources != nil {
		copied := *spec.Linux.Resources
		r = &copied
	}
	// Default deny: a bundle that lists no rules gets only the defaults.
	devices := []specs.LinuxDeviceCgroup{{Allow: false, Access: "rwm"}}
	devices = append(devices, r.Devices...)
	devices = append(devices, cgroups.DefaultDevices()...)
	for _, d := range spec.Linux.Devices {
		major, minor := d.Major, d.Minor
		devices = append(devices, specs.LinuxDeviceCgroup{
			Allow: true, Type: deviceRuleType(d.Type), Major: &major, Minor: &minor, Access: "rwm",
		})
	}
	r.Devices = devices
	if Rootless() {
		// An unprivileged user cannot write device rules (v1 needs
		// CAP_SYS_ADMIN, v2 BPF programs too), and needs none: in its user
		// namespace no device node can be made, and those bound from the
		// host keep the host's permissions (runc skips them the same way).
		r.Devices = nil
	}
	return r
}

// deviceRuleType maps a device node type to its cgroup rule type ("u" is an
// unbuffered character device).
func deviceRuleType(t string) string {
	if t == "u" {
		return "c"
	}
	return t
}
