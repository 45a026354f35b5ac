package cgroups

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// procCgroup maps each controller (or "name=x" hierarchy, or "" for the
// unified one) to the cgroup path of /proc/<pid>/cgroup.
func parseProcCgroup(r io.Reader) (map[string]string, error) {
	out := map[string]string{}
	s := bufio.NewScanner(r)
	for s.Scan() {
		parts := strings.SplitN(s.Text(), ":", 3)
		if len(parts) != 3 {
			return nil, fmt.Errorf("malformed /proc/self/cgroup line %q", s.Text())
		}
		if parts[1] == "" {
			out[""] = parts[2]
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			out[c] = parts[2]
		}
	}
	return out, s.Err()
}

// mountedHierarchy is one cgroup mount of /proc/self/mountinfo.
type mountedHierarchy struct {
	MountPoint string
	Root       string // the mount's root within the hierarchy
	Subsystems []string
	Unified    bool
}

// parseCgroupMounts reads mountinfo lines and returns cgroup and cgroup2
// mounts, the first one per hierarchy.
func parseCgroupMounts(r io.Reader) ([]mountedHierarchy, error) {
	var out []mountedHierarchy
	seen := map[string]bool{}
	s := bufio.NewScanner(r)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		sep := -1
		for i, f := range fields {
			if f == "-" {
				sep = i
				break
			}
		}
		if sep < 0 || sep+3 >= len(fields)+1 || len(fields) < 5 || sep+2 >= len(fields) {
			continue
		}
		fstype := fields[sep+1]
		if fstype != "cgroup" && fstype != "cgroup2" {
			continue
		}
		h := mountedHierarchy{MountPoint: unescape(fields[4]), Root: unescape(fields[3]), Unified: fstype == "cgroup2"}
		if !h.Unified && sep+3 < len(fields) {
			for _, o := range strings.Split(fields[sep+3], ",") {
				if o == "rw" || o == "ro" || o == "xattr" || o == "noprefix" || strings.HasPrefix(o, "release_agent=") ||
					o == "clone_children" || o == "cpuset_v2_mode" {
					continue
				}
				h.Subsystems = append(h.Subsystems, o)
			}
		}
		key := strings.Join(h.Subsystems, ",")
		if h.Unified {
			key = ""
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, h)
	}
	return out, s.Err()
}

// unescape undoes mountinfo's octal escapes (\040 for a space).
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			var c byte
			if _, err := fmt.Sscanf(s[i+1:i+4], "%03o", &c); err == nil {
				b.WriteByte(c)
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// hierarchyKey is how /proc/self/cgroup names a hierarchy: its subsystems
// joined, or "" for cgroup2.
func (h mountedHierarchy) key() string {
	if h.Unified {
		return ""
	}
	return strings.Join(h.Subsystems, ",")
}

// containerDir resolves a container cgroup path in a hierarchy. An absolute
// path is taken from the hierarchy root; a relative one is placed under
// the caller's own cgroup (own), as DEVELOPERS.md and runc want. The
// result is the host directory, below the mount point.
func containerDir(h mountedHierarchy, own, path string) (string, error) {
	var cg string
	if filepath.IsAbs(path) {
		cg = filepath.Clean(path)
	} else {
		cg = filepath.Join(own, path)
	}
	// The mount shows the hierarchy from h.Root down: cg must be below it.
	rel, err := filepath.Rel(h.Root, cg)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("cgroup %s is outside the part of the hierarchy mounted at %s", cg, h.MountPoint)
	}
	return filepath.Join(h.MountPoint, rel), nil
}
