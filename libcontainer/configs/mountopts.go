package configs

import (
	"sort"
	"strings"

	"golang.org/x/sys/unix"
)

// MountOptions is a mount's options split the way mount(2) wants them.
type MountOptions struct {
	Flags            uintptr   // MS_* to set
	ClearFlags       uintptr   // MS_* explicitly cleared (rw, suid, ...)
	PropagationFlags []uintptr // applied one by one after the mount
	// RecAttrSet and RecAttrClr are MOUNT_ATTR_* for mount_setattr(2)
	// with AT_RECURSIVE (rro, rnosuid, ...).
	RecAttrSet, RecAttrClr uint64
	Data                   string // filesystem options, comma-joined
	Recursive              bool   // rbind
	Bind                   bool
	IDMap                  bool
}

type flagOpt struct {
	clear bool
	flag  uintptr
}

var mountFlags = map[string]flagOpt{
	"async": {true, unix.MS_SYNCHRONOUS}, "atime": {true, unix.MS_NOATIME}, "bind": {false, unix.MS_BIND},
	"defaults": {false, 0}, "dev": {true, unix.MS_NODEV}, "diratime": {true, unix.MS_NODIRATIME},
	"dirsync": {false, unix.MS_DIRSYNC}, "exec": {true, unix.MS_NOEXEC}, "mand": {false, unix.MS_MANDLOCK},
	"noatime": {false, unix.MS_NOATIME}, "nodev": {false, unix.MS_NODEV}, "nodiratime": {false, unix.MS_NODIRATIME},
	"noexec": {false, unix.MS_NOEXEC}, "nomand": {true, unix.MS_MANDLOCK}, "norelatime": {true, unix.MS_RELATIME},
	"nostrictatime": {true, unix.MS_STRICTATIME}, "nosuid": {false, unix.MS_NOSUID},
	"rbind": {false, unix.MS_BIND | unix.MS_REC}, "relatime": {false, unix.MS_RELATIME},
	"remount": {false, unix.MS_REMOUNT}, "ro": {false, unix.MS_RDONLY}, "rw": {true, unix.MS_RDONLY},
	"strictatime": {false, unix.MS_STRICTATIME}, "suid": {true, unix.MS_NOSUID}, "sync": {false, unix.MS_SYNCHRONOUS},
}

var propagationOpts = map[string]uintptr{
	"private": unix.MS_PRIVATE, "rprivate": unix.MS_PRIVATE | unix.MS_REC,
	"shared": unix.MS_SHARED, "rshared": unix.MS_SHARED | unix.MS_REC,
	"slave": unix.MS_SLAVE, "rslave": unix.MS_SLAVE | unix.MS_REC,
	"unbindable": unix.MS_UNBINDABLE, "runbindable": unix.MS_UNBINDABLE | unix.MS_REC,
}

type recAttr struct {
	clear bool
	attr  uint64
}

var recAttrs = map[string]recAttr{
	"rro": {false, unix.MOUNT_ATTR_RDONLY}, "rrw": {true, unix.MOUNT_ATTR_RDONLY},
	"rnosuid": {false, unix.MOUNT_ATTR_NOSUID}, "rsuid": {true, unix.MOUNT_ATTR_NOSUID},
	"rnodev": {false, unix.MOUNT_ATTR_NODEV}, "rdev": {true, unix.MOUNT_ATTR_NODEV},
	"rnoexec": {false, unix.MOUNT_ATTR_NOEXEC}, "rexec": {true, unix.MOUNT_ATTR_NOEXEC},
	"rnodiratime": {false, unix.MOUNT_ATTR_NODIRATIME}, "rdiratime": {true, unix.MOUNT_ATTR_NODIRATIME},
	"rrelatime": {false, unix.MOUNT_ATTR_RELATIME}, "rnorelatime": {true, unix.MOUNT_ATTR_RELATIME},
	"rnoatime": {false, unix.MOUNT_ATTR_NOATIME}, "ratime": {true, unix.MOUNT_ATTR_NOATIME},
	"rstrictatime": {false, unix.MOUNT_ATTR_STRICTATIME}, "rnostrictatime": {true, unix.MOUNT_ATTR_STRICTATIME},
}

// ParseMountOptions splits a mount's options into flags, propagation,
// recursive attributes and filesystem data, as runc does: an option it
// does not know is passed to the filesystem.
func ParseMountOptions(typ string, opts []string) (MountOptions, error) {
	var m MountOptions
	var data []string
	for _, o := range opts {
		if f, ok := mountFlags[o]; ok {
			if f.clear {
				m.Flags &^= f.flag
				m.ClearFlags |= f.flag
			} else {
				m.Flags |= f.flag
			}
			switch o {
			case "bind":
				m.Bind = true
			case "rbind":
				m.Bind, m.Recursive = true, true
			}
			continue
		}
		if p, ok := propagationOpts[o]; ok {
			m.PropagationFlags = append(m.PropagationFlags, p)
			continue
		}
		if a, ok := recAttrs[o]; ok {
			if a.clear {
				m.RecAttrClr |= a.attr
				m.RecAttrSet &^= a.attr
			} else {
				m.RecAttrSet |= a.attr
				m.RecAttrClr &^= a.attr
			}
			continue
		}
		switch o {
		case "idmap", "ridmap":
			m.IDMap = true
			continue
		case "tmpcopyup":
			continue // a runc extension with no effect here
		}
		data = append(data, o)
	}
	if typ == "bind" {
		m.Bind = true
	}
	m.Data = strings.Join(data, ",")
	return m, nil
}

// MountOptionNames lists every option ParseMountOptions understands.
func MountOptionNames() []string {
	var names []string
	for n := range mountFlags {
		names = append(names, n)
	}
	for n := range propagationOpts {
		names = append(names, n)
	}
	for n := range recAttrs {
		names = append(names, n)
	}
	names = append(names, "idmap", "ridmap", "tmpcopyup")
	sort.Strings(names)
	return names
}

// MountTypes lists the filesystem types vessel mounts specially or checks.
func MountTypes() []string {
	return []string{"bind", "cgroup", "cgroup2", "devpts", "mqueue", "proc", "sysfs", "tmpfs"}
}
