package configs

import (
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

var namespaceFlags = map[specs.LinuxNamespaceType]int{
	specs.PIDNamespace: unix.CLONE_NEWPID, specs.NetworkNamespace: unix.CLONE_NEWNET,
	specs.MountNamespace: unix.CLONE_NEWNS, specs.IPCNamespace: unix.CLONE_NEWIPC,
	specs.UTSNamespace: unix.CLONE_NEWUTS, specs.UserNamespace: unix.CLONE_NEWUSER,
	specs.CgroupNamespace: unix.CLONE_NEWCGROUP, specs.TimeNamespace: unix.CLONE_NEWTIME,
}

// NamespaceFlag returns the CLONE_NEW* flag of a namespace type.
func NamespaceFlag(t specs.LinuxNamespaceType) (int, error) {
	if f, ok := namespaceFlags[t]; ok {
		return f, nil
	}
	return 0, fmt.Errorf("unknown namespace %q", t)
}

// NamespaceTypes lists the namespace types vessel supports.
func NamespaceTypes() []string {
	return []string{"cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"}
}

// CheckNamespacePath verifies that path is a namespace file of type t
// (ioctl NS_GET_NSTYPE), so a wrong path fails validation, not setns.
func CheckNamespacePath(t specs.LinuxNamespaceType, path string) error {
	// Look before opening: a hostile bundle could name a fifo (open would
	// block forever) or a device with side effects on open.
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return fmt.Errorf("%q: %w", path, err)
	}
	if st.Type != unix.NSFS_MAGIC {
		return fmt.Errorf("%q is not a namespace", path)
	}
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return fmt.Errorf("%q: %w", path, err)
	}
	defer unix.Close(fd)
	got, err := unix.IoctlRetInt(fd, unix.NS_GET_NSTYPE)
	if err != nil {
		return fmt.Errorf("%q is not a namespace", path)
	}
	if want := namespaceFlags[t]; got != want {
		return fmt.Errorf("%q is not a %s namespace", path, t)
	}
	return nil
}
