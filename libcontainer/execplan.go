package libcontainer

import (
	"encoding/binary"
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/vessel-runtime/vessel/libcontainer/configs"
	"github.com/vessel-runtime/vessel/seccomp"
)

// Exec plan records of msgBootstrap (nsenter/nsexec.h). With a plan the
// stub's child sets the process up and execs it in C (nsenter/execplan.c)
// instead of starting the Go runtime a second time: `exec` is what health
// checks run, and the Go start was half of its cost.
const (
	recExecPlan uint16 = 4 // fixed fields, groups, rlimits, seccomp program
	recExecCwd  uint16 = 5 // NUL-terminated
	recExecArg  uint16 = 6 // one per argv entry, NUL-terminated
	recExecEnv  uint16 = 7 // one per environment entry, NUL-terminated
)

const planNoNewPrivs = 1

// planString is one string record of the plan.
type planString struct {
	typ uint16
	s   string
}

// maxPlanBytes keeps the whole bootstrap frame inside the stub's buffer
// (MAX_BOOTSTRAP) with room for the join records.
const maxPlanBytes = 60 << 10

// execPlan encodes a process for the C stub, or returns ok=false when the
// process needs the Go init: a terminal (the pty is opened and sent from
// inside), an AppArmor or SELinux label, a seccomp filter with NOTIFY rules
// (its listener goes back to the parent), or more data than fits.
// Everything the plan holds was resolved by the parent: capability masks,
// rlimit numbers, the compiled filter. What only the container's view can
// answer (the executable on its PATH, HOME from its /etc/passwd) the stub
// looks up after joining its mount namespace.
func execPlan(proc *specs.Process, spec *specs.Spec, lastCap, preserveFDs int) (data []byte, ok bool, err error) {
	if proc.Terminal || proc.ApparmorProfile != "" || proc.SelinuxLabel != "" {
		return nil, false, nil
	}
	caps, err := parseCapSets(proc.Capabilities)
	if err != nil {
		return nil, false, err
	}
	var filter *seccomp.Filter
	if spec.Linux != nil && spec.Linux.Seccomp != nil {
		if filter, err = seccomp.Compile(spec.Linux.Seccomp); err != nil {
			return nil, false, err
		}
		if filter.Notify {
			return nil, false, nil
		}
	}
	le := binary.LittleEndian
	var flags uint32
	if proc.NoNewPrivileges {
		flags |= planNoNewPrivs
	}
	umask := uint32(0o022)
	if proc.User.Umask != nil {
		umask = *proc.User.Umask
	}
	fixed := le.AppendUint32(nil, flags)
	for _, v := range []uint32{proc.User.UID, proc.User.GID, umask, uint32(lastCap), uint32(preserveFDs), uint32(len(proc.User.AdditionalGids))} {
		fixed = le.AppendUint32(fixed, v)
	}
	for _, v := range []uint64{caps.bounding, caps.effective, caps.permitted, caps.inheritable, caps.ambient} {
		fixed = le.AppendUint64(fixed, v)
	}
	var insns []byte
	var filterFlags uint32
	if filter != nil {
		filterFlags = uint32(filter.Flags)
		for _, in := range filter.Program {
			insns = le.AppendUint16(insns, in.Code)
			insns = append(insns, in.Jt, in.Jf)
			insns = le.AppendUint32(insns, in.K)
		}
	}
	fixed = le.AppendUint32(fixed, uint32(len(proc.Rlimits)))
	fixed = le.AppendUint32(fixed, filterFlags)
	fixed = le.AppendUint32(fixed, uint32(len(insns)/8))
	for _, g := range proc.User.AdditionalGids {
		fixed = le.AppendUint32(fixed, g)
	}
	for i, rl := range proc.Rlimits {
		res, err := configs.Rlimit(rl.Type)
		if err != nil {
			return nil, false, fmt.Errorf("process.rlimits[%d].type: %w", i, err)
		}
		fixed = le.AppendUint32(fixed, uint32(res))
		fixed = le.AppendUint64(fixed, rl.Soft)
		fixed = le.AppendUint64(fixed, rl.Hard)
	}
	fixed = append(fixed, insns...)
	if len(fixed) > 0xffff {
		return nil, false, nil
	}
	out := appendRecord(nil, recExecPlan, fixed)
	cwd := proc.Cwd
	if cwd == "" {
		cwd = "/"
	}
	strs := []planString{{recExecCwd, cwd}}
	for _, a := range proc.Args {
		strs = append(strs, planString{recExecArg, a})
	}
	for _, e := range proc.Env {
		strs = append(strs, planString{recExecEnv, e})
	}
	for _, s := range strs {
		if len(s.s)+1 > 0xffff {
			return nil, false, nil
		}
		out = appendRecord(out, s.typ, append([]byte(s.s), 0))
	}
	if len(out) > maxPlanBytes {
		return nil, false, nil
	}
	return out, true, nil
}
