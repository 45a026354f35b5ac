package libcontainer

import (
	"encoding/binary"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// planFixedLen is FIXED_LEN of nsenter/execplan.c: seven u32, five u64
// capability masks, three u32 counts.
const planFixedLen = 7*4 + 5*8 + 3*4

type record struct {
	typ uint16
	val []byte
}

func records(t *testing.T, data []byte) []record {
	t.Helper()
	var out []record
	for len(data) > 0 {
		if len(data) < 4 {
			t.Fatalf("truncated record header")
		}
		typ, n := binary.LittleEndian.Uint16(data), int(binary.LittleEndian.Uint16(data[2:]))
		if len(data) < 4+n {
			t.Fatalf("record %d: %d bytes, %d left", typ, n, len(data)-4)
		}
		out = append(out, record{typ, data[4 : 4+n]})
		data = data[4+n:]
	}
	return out
}

// The layout the C stub parses: field offsets, lengths, string records.
func TestExecPlanLayout(t *testing.T) {
	umask := uint32(0o077)
	proc := &specs.Process{
		Args: []string{"sh", "-c", "true"}, Env: []string{"A=1"}, Cwd: "/tmp", NoNewPrivileges: true,
		User:         specs.User{UID: 1000, GID: 1001, AdditionalGids: []uint32{5, 6}, Umask: &umask},
		Capabilities: &specs.LinuxCapabilities{Bounding: []string{"CAP_KILL"}, Ambient: []string{"CAP_KILL"}},
		Rlimits:      []specs.POSIXRlimit{{Type: "RLIMIT_NOFILE", Soft: 100, Hard: 200}},
	}
	spec := &specs.Spec{Linux: &specs.Linux{Seccomp: &specs.LinuxSeccomp{DefaultAction: specs.ActAllow,
		Syscalls: []specs.LinuxSyscall{{Names: []string{"mknod"}, Action: specs.ActErrno}}}}}
	data, ok, err := execPlan(proc, spec, 40, 2)
	if err != nil || !ok {
		t.Fatalf("execPlan: ok=%v err=%v", ok, err)
	}
	recs := records(t, data)
	if recs[0].typ != recExecPlan {
		t.Fatalf("first record %d, want the plan", recs[0].typ)
	}
	f := recs[0].val
	le := binary.LittleEndian
	u32 := func(off int) uint32 { return le.Uint32(f[off:]) }
	if u32(0) != planNoNewPrivs || u32(4) != 1000 || u32(8) != 1001 || u32(12) != 0o077 || u32(16) != 40 || u32(20) != 2 || u32(24) != 2 {
		t.Errorf("fixed fields: % x", f[:28])
	}
	if le.Uint64(f[28:]) != 1<<5 || le.Uint64(f[60:]) != 1<<5 {
		t.Errorf("bounding %#x, ambient %#x, want CAP_KILL", le.Uint64(f[28:]), le.Uint64(f[60:]))
	}
	nrl, ninsns := int(u32(68)), int(u32(76))
	if nrl != 1 || ninsns == 0 {
		t.Errorf("%d rlimits, %d instructions", nrl, ninsns)
	}
	if want := planFixedLen + 2*4 + nrl*20 + ninsns*8; len(f) != want {
		t.Errorf("plan is %d bytes, the stub expects %d", len(f), want)
	}
	if g := le.Uint32(f[planFixedLen+4:]); g != 6 {
		t.Errorf("second group %d", g)
	}
	rl := f[planFixedLen+8:]
	if le.Uint32(rl) != 7 || le.Uint64(rl[4:]) != 100 || le.Uint64(rl[12:]) != 200 {
		t.Errorf("rlimit record % x", rl[:20])
	}
	var strs []string
	for _, r := range recs[1:] {
		if r.val[len(r.val)-1] != 0 {
			t.Errorf("record %d not NUL-terminated", r.typ)
		}
		strs = append(strs, string(r.val[:len(r.val)-1]))
	}
	if got := len(strs); got != 5 || strs[0] != "/tmp" || strs[1] != "sh" || strs[4] != "A=1" {
		t.Errorf("strings %q", strs)
	}
}

// What the plan cannot carry goes to the Go init.
func TestExecPlanFallsBack(t *testing.T) {
	spec := &specs.Spec{Linux: &specs.Linux{}}
	for name, proc := range map[string]*specs.Process{
		"terminal": {Args: []string{"sh"}, Terminal: true},
		"apparmor": {Args: []string{"sh"}, ApparmorProfile: "p"},
		"selinux":  {Args: []string{"sh"}, SelinuxLabel: "l"},
		"huge env": {Args: []string{"sh"}, Env: []string{string(make([]byte, 70000))}},
	} {
		if _, ok, err := execPlan(proc, spec, 40, 0); ok || err != nil {
			t.Errorf("%s: ok=%v err=%v, want the Go init", name, ok, err)
		}
	}
	notify := &specs.Spec{Linux: &specs.Linux{Seccomp: &specs.LinuxSeccomp{DefaultAction: specs.ActAllow,
		ListenerPath: "/run/agent.sock",
		Syscalls:     []specs.LinuxSyscall{{Names: []string{"mknod"}, Action: specs.ActNotify}}}}}
	if _, ok, err := execPlan(&specs.Process{Args: []string{"sh"}}, notify, 40, 0); ok || err != nil {
		t.Errorf("notify: ok=%v err=%v, want the Go init", ok, err)
	}
	if _, _, err := execPlan(&specs.Process{Args: []string{"sh"}, Rlimits: []specs.POSIXRlimit{{Type: "RLIMIT_FOO"}}}, spec, 40, 0); err == nil {
		t.Errorf("unknown rlimit accepted")
	}
}
