package cgroups

import (
	"fmt"
	"path/filepath"
	"strconv"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// DefaultDevices are the device rules every container gets, as runc's
// AllowedDevices: mknod of any node, and use of the standard nodes.
func DefaultDevices() []specs.LinuxDeviceCgroup {
	rule := func(typ string, major, minor int64, access string) specs.LinuxDeviceCgroup {
		r := specs.LinuxDeviceCgroup{Allow: true, Type: typ, Access: access}
		if major >= 0 {
			r.Major = &major
		}
		if minor >= 0 {
			r.Minor = &minor
		}
		return r
	}
	return []specs.LinuxDeviceCgroup{
		rule("c", -1, -1, "m"), rule("b", -1, -1, "m"),
		rule("c", 1, 3, "rwm"), rule("c", 1, 8, "rwm"), rule("c", 1, 7, "rwm"), // null random full
		rule("c", 5, 0, "rwm"), rule("c", 5, 1, "rwm"), rule("c", 5, 2, "rwm"), // tty console ptmx
		rule("c", 1, 5, "rwm"), rule("c", 1, 9, "rwm"), // zero urandom
		rule("c", 136, -1, "rwm"), // /dev/pts/*
		rule("c", 10, 200, "rwm"), // /dev/net/tun
	}
}

// deviceRuleLine renders a rule for v1 devices.allow/deny: "c 1:3 rwm".
func deviceRuleLine(r specs.LinuxDeviceCgroup) string {
	typ := r.Type
	if typ == "" {
		typ = "a"
	}
	num := func(p *int64) string {
		if p == nil || *p < 0 {
			return "*"
		}
		return strconv.FormatInt(*p, 10)
	}
	access := r.Access
	if access == "" {
		access = "rwm"
	}
	return fmt.Sprintf("%s %s:%s %s", typ, num(r.Major), num(r.Minor), access)
}

func validateDeviceRule(i int, r specs.LinuxDeviceCgroup) error {
	switch r.Type {
	case "", "a", "c", "b":
	default:
		return fmt.Errorf("linux.resources.devices[%d].type: unknown type %q", i, r.Type)
	}
	for _, c := range r.Access {
		if c != 'r' && c != 'w' && c != 'm' {
			return fmt.Errorf("linux.resources.devices[%d].access: unknown access %q", i, r.Access)
		}
	}
	return nil
}

// setDevices applies the device rules: v1 devices.allow/deny in order,
// after a deny of everything; v2 an eBPF program replacing the old one.
func (m *manager) setDevices(r *specs.LinuxResources) error {
	if r.Devices == nil {
		return nil
	}
	for i, d := range r.Devices {
		if err := validateDeviceRule(i, d); err != nil {
			return err
		}
	}
	dir, v2, ok := m.dirFor("devices")
	if m.pureV2() {
		return setDevicesBPF(m.hs[0].Dir, r.Devices)
	}
	if !ok || v2 {
		return nil // no devices controller on this v1 host: nothing to enforce with
	}
	if err := writeFile(filepath.Join(dir, "devices.deny"), "a"); err != nil {
		return fmt.Errorf("linux.resources.devices: %w", err)
	}
	for i, d := range r.Devices {
		file := "devices.deny"
		if d.Allow {
			file = "devices.allow"
		}
		if err := writeFile(filepath.Join(dir, file), deviceRuleLine(d)); err != nil {
			return fmt.Errorf("linux.resources.devices[%d]: %w", i, err)
		}
	}
	return nil
}
