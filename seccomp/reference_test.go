package seccomp

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// reference decides a syscall straight from the runtime-spec and
// libseccomp/runc semantics, without any BPF: it is what Compile's output
// must agree with.
func reference(cfg *specs.LinuxSeccomp, c call) uint32 {
	listed := cfg.Architectures
	if len(listed) == 0 {
		listed = []specs.Arch{specs.Arch(nativeArch())}
	}
	var arch *archInfo
	for _, name := range listed {
		a := archs[string(name)]
		if a.audit != c.arch.audit {
			continue
		}
		if a.audit == auditX86_64 && a.x32 != (c.nr&x32SyscallBit != 0) {
			continue
		}
		arch = &a
	}
	if arch == nil {
		return retKillThread
	}
	defRet, _ := actionRet(cfg.DefaultAction, cfg.DefaultErrnoRet)
	var maxNr uint32
	known := false
	for _, s := range cfg.Syscalls {
		for _, name := range s.Names {
			if nr, ok := arch.lookup(name); ok {
				known = true
				maxNr = max(maxNr, nr)
			}
		}
	}
	enosys := !permissive(cfg.DefaultAction) && !(cfg.DefaultErrnoRet != nil && *cfg.DefaultErrnoRet == uint(unix.ENOSYS))
	if enosys && known && c.nr > maxNr {
		return retErrno | uint32(unix.ENOSYS)
	}
	for _, s := range cfg.Syscalls {
		named := false
		for _, name := range s.Names {
			if nr, ok := arch.lookup(name); ok && nr == c.nr {
				named = true
			}
		}
		if !named {
			continue
		}
		ret, _ := actionRet(s.Action, s.ErrnoRet)
		for _, r := range splitRules(ret, s.Args) {
			if refMatch(r.args, *arch, c) {
				return r.ret
			}
		}
	}
	return defRet
}

func refMatch(args []specs.LinuxSeccompArg, arch archInfo, c call) bool {
	for _, a := range args {
		x, v, v2 := c.args[a.Index], a.Value, a.ValueTwo
		if arch.bits32 {
			x, v, v2 = uint64(uint32(x)), uint64(uint32(v)), uint64(uint32(v2))
		}
		var ok bool
		switch a.Op {
		case specs.OpEqualTo:
			ok = x == v
		case specs.OpNotEqual:
			ok = x != v
		case specs.OpLessThan:
			ok = x < v
		case specs.OpLessEqual:
			ok = x <= v
		case specs.OpGreaterThan:
			ok = x > v
		case specs.OpGreaterEqual:
			ok = x >= v
		case specs.OpMaskedEqual:
			ok = x&v == v2
		}
		if !ok {
			return false
		}
	}
	return true
}
