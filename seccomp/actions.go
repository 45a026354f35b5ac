package seccomp

import (
	"fmt"
	"sort"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// SECCOMP_RET_* (linux/seccomp.h).
const (
	retKillProcess = 0x80000000
	retKillThread  = 0x00000000
	retTrap        = 0x00030000
	retErrno       = 0x00050000
	retUserNotif   = 0x7fc00000
	retTrace       = 0x7ff00000
	retLog         = 0x7ffc0000
	retAllow       = 0x7fff0000
)

// actionRet returns the filter's return value for an action; errnoRet is
// the rule's (or the profile's default) errno, EPERM when unset, as runc.
func actionRet(a specs.LinuxSeccompAction, errnoRet *uint) (uint32, error) {
	errno := uint32(unix.EPERM)
	if errnoRet != nil {
		errno = uint32(*errnoRet) & 0xffff
	}
	switch a {
	case specs.ActKill, specs.ActKillThread:
		return retKillThread, nil
	case specs.ActKillProcess:
		return retKillProcess, nil
	case specs.ActTrap:
		return retTrap, nil
	case specs.ActErrno:
		return retErrno | errno, nil
	case specs.ActTrace:
		return retTrace | errno, nil
	case specs.ActAllow:
		return retAllow, nil
	case specs.ActLog:
		return retLog, nil
	case specs.ActNotify:
		return retUserNotif, nil
	}
	return 0, fmt.Errorf("unknown action %q", a)
}

// permissive actions get no ENOSYS stub: a tracer or logger must see new
// syscalls, and an allow-list default needs none (runc's isAllowAction).
func permissive(a specs.LinuxSeccompAction) bool {
	return a == specs.ActAllow || a == specs.ActLog || a == specs.ActTrace
}

var actionNames = []specs.LinuxSeccompAction{
	specs.ActKill, specs.ActKillProcess, specs.ActKillThread, specs.ActTrap, specs.ActErrno,
	specs.ActTrace, specs.ActAllow, specs.ActLog, specs.ActNotify,
}

// Actions lists the actions Compile accepts.
func Actions() []string {
	out := make([]string, len(actionNames))
	for i, a := range actionNames {
		out[i] = string(a)
	}
	sort.Strings(out)
	return out
}

// Operators lists the argument operators Compile accepts.
func Operators() []string {
	return []string{"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"}
}

// SECCOMP_FILTER_FLAG_* (linux/seccomp.h).
const (
	flagTsync            = 1
	flagLog              = 2
	flagSpecAllow        = 4
	flagNewListener      = 8
	flagTsyncESRCH       = 16
	flagWaitKillableRecv = 32
)

var flagNames = map[specs.LinuxSeccompFlag]uint{
	"SECCOMP_FILTER_FLAG_TSYNC":              flagTsync,
	"SECCOMP_FILTER_FLAG_LOG":                flagLog,
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW":         flagSpecAllow,
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV": flagWaitKillableRecv,
}

// SupportedFlags lists the filter flags Compile accepts.
func SupportedFlags() []string {
	out := make([]string, 0, len(flagNames))
	for n := range flagNames {
		out = append(out, string(n))
	}
	sort.Strings(out)
	return out
}
