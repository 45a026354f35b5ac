package configs

import (
	"fmt"
	"path"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func validateLinux(p *problems, spec *specs.Spec) {
	l := spec.Linux
	has := validateNamespaces(p, l.Namespaces)
	if !has[specs.UserNamespace] && (len(l.UIDMappings) > 0 || len(l.GIDMappings) > 0) {
		field := "linux.uidMappings"
		if len(l.UIDMappings) == 0 {
			field = "linux.gidMappings"
		}
		p.add("invalid-namespace", field, "requires a user namespace")
	}
	if has[specs.UserNamespace] && userNSIsNew(l.Namespaces) && (len(l.UIDMappings) == 0 || len(l.GIDMappings) == 0) {
		p.add("invalid-namespace", "linux.uidMappings", "a new user namespace needs uidMappings and gidMappings")
	}
	if len(l.TimeOffsets) > 0 && !has[specs.TimeNamespace] {
		p.add("invalid-namespace", "linux.timeOffsets", "requires a time namespace")
	}
	for clock := range l.TimeOffsets {
		if clock != "monotonic" && clock != "boottime" {
			p.add("invalid-field", "linux.timeOffsets."+clock, "unknown clock (want monotonic or boottime)")
		}
	}
	if (spec.Hostname != "" || spec.Domainname != "") && !has[specs.UTSNamespace] {
		field := "hostname"
		if spec.Hostname == "" {
			field = "domainname"
		}
		p.add("invalid-namespace", field, "requires a private UTS namespace")
	}
	validateSysctl(p, l.Sysctl, has)
	for i, d := range l.Devices {
		field := fmt.Sprintf("linux.devices[%d]", i)
		switch d.Type {
		case "c", "b", "u", "p":
		default:
			p.add("invalid-device", field+".type", fmt.Sprintf("unknown device type %q", d.Type))
		}
		if !path.IsAbs(d.Path) {
			p.add("invalid-device", field+".path", fmt.Sprintf("%q is not an absolute path", d.Path))
		}
	}
	for i, m := range l.MaskedPaths {
		if !path.IsAbs(m) {
			p.add("invalid-field", fmt.Sprintf("linux.maskedPaths[%d]", i), fmt.Sprintf("%q is not an absolute path", m))
		}
	}
	for i, m := range l.ReadonlyPaths {
		if !path.IsAbs(m) {
			p.add("invalid-field", fmt.Sprintf("linux.readonlyPaths[%d]", i), fmt.Sprintf("%q is not an absolute path", m))
		}
	}
	switch l.RootfsPropagation {
	case "", "private", "rprivate", "slave", "rslave", "shared", "rshared", "unbindable", "runbindable":
	default:
		p.add("invalid-field", "linux.rootfsPropagation", fmt.Sprintf("unknown propagation %q", l.RootfsPropagation))
	}
	if cp := l.CgroupsPath; cp != "" {
		if strings.Contains(cp, ":") && !strings.HasPrefix(cp, "/") {
			p.add("unsupported", "linux.cgroupsPath", fmt.Sprintf("%q: the systemd cgroup driver (slice:prefix:name) is not supported", cp))
		}
		for _, part := range strings.Split(cp, "/") {
			if part == ".." {
				p.add("invalid-field", "linux.cgroupsPath", fmt.Sprintf("%q must not contain ..", cp))
				break
			}
		}
	}
}

// validateNamespaces checks types, duplicates and paths; it returns the
// set of namespace types present.
func validateNamespaces(p *problems, nss []specs.LinuxNamespace) map[specs.LinuxNamespaceType]bool {
	has := map[specs.LinuxNamespaceType]bool{}
	for i, ns := range nss {
		field := fmt.Sprintf("linux.namespaces[%d]", i)
		if _, err := NamespaceFlag(ns.Type); err != nil {
			p.add("invalid-namespace", field+".type", err.Error())
			continue
		}
		if has[ns.Type] {
			p.add("invalid-namespace", field+".type", fmt.Sprintf("duplicate namespace %q", ns.Type))
			continue
		}
		has[ns.Type] = true
		if ns.Path == "" {
			continue
		}
		if !path.IsAbs(ns.Path) {
			p.add("invalid-namespace", field+".path", fmt.Sprintf("%q is not an absolute path", ns.Path))
			continue
		}
		if err := CheckNamespacePath(ns.Type, ns.Path); err != nil {
			p.add("invalid-namespace", field+".path", err.Error())
		}
	}
	return has
}

func userNSIsNew(nss []specs.LinuxNamespace) bool {
	for _, ns := range nss {
		if ns.Type == specs.UserNamespace {
			return ns.Path == ""
		}
	}
	return false
}

// validateSysctl allows only keys of namespaces the container does not
// share with the host, as runc does: writing any other would change the
// host.
func validateSysctl(p *problems, sysctl map[string]string, has map[specs.LinuxNamespaceType]bool) {
	for key := range sysctl {
		field := "linux.sysctl." + key
		if strings.Contains(key, "/") || strings.Contains(key, "..") || key == "" {
			p.add("invalid-sysctl", field, "invalid key")
			continue
		}
		ns, ok := sysctlNamespace(key)
		switch {
		case !ok:
			p.add("invalid-sysctl", field, "not namespaced: it would change the host")
		case !has[ns]:
			p.add("invalid-sysctl", field, fmt.Sprintf("requires a private %s namespace: it would change the host", ns))
		}
	}
}

func sysctlNamespace(key string) (specs.LinuxNamespaceType, bool) {
	switch {
	case strings.HasPrefix(key, "net."):
		return specs.NetworkNamespace, true
	case strings.HasPrefix(key, "fs.mqueue."), key == "kernel.msgmax", key == "kernel.msgmnb", key == "kernel.msgmni",
		key == "kernel.sem", key == "kernel.shmall", key == "kernel.shmmax", key == "kernel.shmmni",
		key == "kernel.shm_rmid_forced":
		return specs.IPCNamespace, true
	case key == "kernel.hostname", key == "kernel.domainname":
		return specs.UTSNamespace, true
	}
	return "", false
}

// Warnings lists what is accepted but deprecated.
func Warnings(spec *specs.Spec) []string {
	var out []string
	for i, m := range spec.Mounts {
		if m.Destination != "" && !path.IsAbs(m.Destination) {
			out = append(out, fmt.Sprintf("mounts[%d].destination: relative path %q taken relative to \"/\" (deprecated)", i, m.Destination))
		}
	}
	return out
}
