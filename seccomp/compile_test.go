package seccomp

import (
	"encoding/json"
	"math/rand"
	"os"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

func u(v uint) *uint { return &v }

func mustCompile(t testing.TB, cfg *specs.LinuxSeccomp) *Filter {
	t.Helper()
	f, err := Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func nrOf(t testing.TB, arch, name string) uint32 {
	t.Helper()
	nr, ok := archs[arch].lookup(name)
	if !ok {
		t.Fatalf("%s has no %s", arch, name)
	}
	return nr
}

func TestActions(t *testing.T) {
	x86_64 := archs["SCMP_ARCH_X86_64"]
	tests := []struct {
		action specs.LinuxSeccompAction
		errno  *uint
		want   uint32
	}{
		{specs.ActKill, nil, retKillThread}, {specs.ActKillThread, nil, retKillThread},
		{specs.ActKillProcess, nil, retKillProcess}, {specs.ActTrap, nil, retTrap},
		{specs.ActErrno, nil, retErrno | uint32(unix.EPERM)}, {specs.ActErrno, u(5), retErrno | 5},
		{specs.ActTrace, u(7), retTrace | 7}, {specs.ActAllow, nil, retAllow},
		{specs.ActLog, nil, retLog}, {specs.ActNotify, nil, retUserNotif},
	}
	for _, tt := range tests {
		t.Run(string(tt.action), func(t *testing.T) {
			cfg := &specs.LinuxSeccomp{DefaultAction: specs.ActAllow, Architectures: []specs.Arch{"SCMP_ARCH_X86_64"},
				Syscalls: []specs.LinuxSyscall{{Names: []string{"getppid"}, Action: tt.action, ErrnoRet: tt.errno}}}
			if tt.errno != nil && tt.action != specs.ActErrno && tt.action != specs.ActTrace {
				cfg.Syscalls[0].ErrnoRet = nil
			}
			f := mustCompile(t, cfg)
			if got := run(t, f.Program, call{arch: x86_64, nr: nrOf(t, "SCMP_ARCH_X86_64", "getppid")}); got != tt.want {
				t.Fatalf("got %#x, want %#x", got, tt.want)
			}
			if got := run(t, f.Program, call{arch: x86_64, nr: nrOf(t, "SCMP_ARCH_X86_64", "getpid")}); got != retAllow {
				t.Fatalf("other syscall: got %#x", got)
			}
			if f.Notify != (tt.action == specs.ActNotify) {
				t.Fatalf("Notify = %v", f.Notify)
			}
		})
	}
}

func TestOperators64(t *testing.T) {
	x := archs["SCMP_ARCH_X86_64"]
	const big = uint64(1)<<32 | 5
	tests := []struct {
		op          specs.LinuxSeccompOperator
		value, two  uint64
		match, miss []uint64
	}{
		{specs.OpEqualTo, big, 0, []uint64{big}, []uint64{5, 1 << 32, big + 1}},
		{specs.OpNotEqual, big, 0, []uint64{5, 1 << 32, 0}, []uint64{big}},
		{specs.OpGreaterThan, big, 0, []uint64{big + 1, 2 << 32}, []uint64{big, 6, 1<<32 | 4}},
		{specs.OpGreaterEqual, big, 0, []uint64{big, 2 << 32}, []uint64{1<<32 | 4, 0xffffffff}},
		{specs.OpLessThan, big, 0, []uint64{1<<32 | 4, 0xffffffff}, []uint64{big, big + 1, 2 << 32}},
		{specs.OpLessEqual, big, 0, []uint64{big, 7}, []uint64{big + 1, 2 << 32}},
		{specs.OpMaskedEqual, 0xff000000ff, 0x1000000002, []uint64{0x1000000102, 0x1000000002}, []uint64{0x2, 0x1000000003}},
	}
	for _, tt := range tests {
		t.Run(string(tt.op), func(t *testing.T) {
			cfg := &specs.LinuxSeccomp{DefaultAction: specs.ActAllow, Architectures: []specs.Arch{"SCMP_ARCH_X86_64"},
				Syscalls: []specs.LinuxSyscall{{Names: []string{"personality"}, Action: specs.ActErrno,
					Args: []specs.LinuxSeccompArg{{Index: 2, Op: tt.op, Value: tt.value, ValueTwo: tt.two}}}}}
			f := mustCompile(t, cfg)
			nr := nrOf(t, "SCMP_ARCH_X86_64", "personality")
			for _, v := range tt.match {
				if got := run(t, f.Program, call{arch: x, nr: nr, args: [6]uint64{2: v}}); got != retErrno|1 {
					t.Errorf("%#x should match: got %#x", v, got)
				}
			}
			for _, v := range tt.miss {
				if got := run(t, f.Program, call{arch: x, nr: nr, args: [6]uint64{2: v}}); got != retAllow {
					t.Errorf("%#x should not match: got %#x", v, got)
				}
			}
		})
	}
}

func TestArchitecturesAndX32(t *testing.T) {
	cfg := &specs.LinuxSeccomp{DefaultAction: specs.ActErrno,
		Architectures: []specs.Arch{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_AARCH64", "SCMP_ARCH_PPC64"},
		Syscalls:      []specs.LinuxSyscall{{Names: []string{"read", "write", "futex", "nosuch_call"}, Action: specs.ActAllow}}}
	f := mustCompile(t, cfg)
	for _, arch := range []string{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_AARCH64", "SCMP_ARCH_PPC64"} {
		a := archs[arch]
		if got := run(t, f.Program, call{arch: a, nr: nrOf(t, arch, "futex")}); got != retAllow {
			t.Errorf("%s futex: %#x", arch, got)
		}
		if got := run(t, f.Program, call{arch: a, nr: nrOf(t, arch, "close")}); got != retErrno|1 {
			t.Errorf("%s close: %#x", arch, got)
		}
	}
	// x32 syscalls are another ABI: not listed, so the bad-arch action.
	if got := run(t, f.Program, call{arch: archs["SCMP_ARCH_X86_64"], nr: 0 | x32SyscallBit}); got != retKillThread {
		t.Errorf("x32 read without SCMP_ARCH_X32: %#x", got)
	}
	// An architecture the profile does not list.
	if got := run(t, f.Program, call{arch: archs["SCMP_ARCH_ARM"], nr: 3}); got != retKillThread {
		t.Errorf("arm: %#x", got)
	}
	cfg.Architectures = append(cfg.Architectures, "SCMP_ARCH_X32")
	f = mustCompile(t, cfg)
	if got := run(t, f.Program, call{arch: archs["SCMP_ARCH_X32"], nr: nrOf(t, "SCMP_ARCH_X32", "read")}); got != retAllow {
		t.Errorf("x32 read: %#x", got)
	}
}

func TestENOSYSAboveKnownSyscalls(t *testing.T) {
	x := archs["SCMP_ARCH_X86_64"]
	cfg := &specs.LinuxSeccomp{DefaultAction: specs.ActErrno, Architectures: []specs.Arch{"SCMP_ARCH_X86_64"},
		Syscalls: []specs.LinuxSyscall{{Names: []string{"read", "openat"}, Action: specs.ActAllow}}}
	f := mustCompile(t, cfg)
	openat := nrOf(t, "SCMP_ARCH_X86_64", "openat")
	clone3 := nrOf(t, "SCMP_ARCH_X86_64", "clone3")
	if got := run(t, f.Program, call{arch: x, nr: clone3}); got != retErrno|uint32(unix.ENOSYS) {
		t.Errorf("clone3 (newer than openat): %#x, want ENOSYS", got)
	}
	if got := run(t, f.Program, call{arch: x, nr: openat - 1}); got != retErrno|1 {
		t.Errorf("a known-era syscall gets the default: %#x", got)
	}
	cfg.DefaultAction = specs.ActAllow
	cfg.Syscalls[0].Action = specs.ActErrno
	f = mustCompile(t, cfg)
	if got := run(t, f.Program, call{arch: x, nr: clone3}); got != retAllow {
		t.Errorf("permissive default gets no ENOSYS stub: %#x", got)
	}
}

func TestFlagsAndErrors(t *testing.T) {
	cfg := &specs.LinuxSeccomp{DefaultAction: specs.ActAllow, Flags: []specs.LinuxSeccompFlag{"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"},
		Syscalls: []specs.LinuxSyscall{{Names: []string{"getppid"}, Action: specs.ActNotify}}}
	f := mustCompile(t, cfg)
	want := uint(flagTsync | flagLog | flagSpecAllow | flagWaitKillableRecv | flagNewListener | flagTsyncESRCH)
	if f.Flags != want {
		t.Errorf("flags %#x, want %#x", f.Flags, want)
	}
	bad := []struct {
		cfg  specs.LinuxSeccomp
		want string
	}{
		{specs.LinuxSeccomp{DefaultAction: "SCMP_ACT_NOPE"}, `linux.seccomp.defaultAction: unknown action "SCMP_ACT_NOPE"`},
		{specs.LinuxSeccomp{DefaultAction: specs.ActAllow, Architectures: []specs.Arch{"SCMP_ARCH_VAX"}}, `linux.seccomp.architectures[0]: unknown architecture "SCMP_ARCH_VAX"`},
		{specs.LinuxSeccomp{DefaultAction: specs.ActAllow, Flags: []specs.LinuxSeccompFlag{"X"}}, `linux.seccomp.flags[0]: unknown flag "X"`},
		{specs.LinuxSeccomp{DefaultAction: specs.ActAllow, Syscalls: []specs.LinuxSyscall{{Action: specs.ActAllow}}}, "linux.seccomp.syscalls[0].names: must not be empty"},
		{specs.LinuxSeccomp{DefaultAction: specs.ActAllow, Syscalls: []specs.LinuxSyscall{{Names: []string{"read"}, Action: "X"}}}, `linux.seccomp.syscalls[0].action: unknown action "X"`},
		{specs.LinuxSeccomp{DefaultAction: specs.ActAllow, Syscalls: []specs.LinuxSyscall{{Names: []string{"read"}, Action: specs.ActErrno, Args: []specs.LinuxSeccompArg{{Index: 6, Op: specs.OpEqualTo}}}}}, "linux.seccomp.syscalls[0].args[0].index: 6 is over 5"},
		{specs.LinuxSeccomp{DefaultAction: specs.ActAllow, Syscalls: []specs.LinuxSyscall{{Names: []string{"read"}, Action: specs.ActErrno, Args: []specs.LinuxSeccompArg{{Op: "X"}}}}}, `linux.seccomp.syscalls[0].args[0].op: unknown operator "X"`},
		{specs.LinuxSeccomp{DefaultAction: specs.ActAllow, Syscalls: []specs.LinuxSyscall{{Names: []string{"read"}, Action: specs.ActErrno, Args: make([]specs.LinuxSeccompArg, 7)}}}, "linux.seccomp.syscalls[0].args: 7 conditions: at most 6"},
		{specs.LinuxSeccomp{DefaultAction: specs.ActAllow, Syscalls: []specs.LinuxSyscall{{Names: []string{"read"}, Action: specs.ActAllow, ErrnoRet: u(1)}}}, "linux.seccomp.syscalls[0].errnoRet: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE"},
	}
	for _, b := range bad {
		_, err := Compile(&b.cfg)
		if err == nil || err.Error() != b.want {
			t.Errorf("got %v, want %q", err, b.want)
		}
		var fe *FieldError
		if err != nil && (!asFieldError(err, &fe) || !strings.HasPrefix(fe.Pointer(), "/linux/seccomp/")) {
			t.Errorf("%v: no JSON pointer", err)
		}
	}
}

func asFieldError(err error, fe **FieldError) bool {
	e, ok := err.(*FieldError)
	*fe = e
	return ok
}

func loadDefaultProfile(t testing.TB) *specs.LinuxSeccomp {
	data, err := os.ReadFile("testdata/seccomp-default-oci.json")
	if err != nil {
		t.Fatal(err)
	}
	var cfg specs.LinuxSeccomp
	if err := json.Unmarshal(data, &cfg); err != nil {
		// the file may be a whole config.json or a linux.seccomp object
		var spec specs.Spec
		if err2 := json.Unmarshal(data, &spec); err2 != nil || spec.Linux == nil {
			t.Fatal(err)
		}
		return spec.Linux.Seccomp
	}
	return &cfg
}

func TestDefaultProfile(t *testing.T) {
	cfg := loadDefaultProfile(t)
	f := mustCompile(t, cfg)
	t.Logf("default profile: %d instructions", len(f.Program))
	x := archs["SCMP_ARCH_X86_64"]
	for _, name := range []string{"read", "write", "futex", "openat", "clone"} {
		if got, want := run(t, f.Program, call{arch: x, nr: nrOf(t, "SCMP_ARCH_X86_64", name)}), reference(cfg, call{arch: x, nr: nrOf(t, "SCMP_ARCH_X86_64", name)}); got != want || got != retAllow {
			t.Errorf("%s: got %#x, reference %#x", name, got, want)
		}
	}
	// personality(0xffffffff) is allowed by an argument rule, other values are not.
	pers := nrOf(t, "SCMP_ARCH_X86_64", "personality")
	if got := run(t, f.Program, call{arch: x, nr: pers, args: [6]uint64{0xffffffff}}); got != retAllow {
		t.Errorf("personality(0xffffffff): %#x", got)
	}
	if got := run(t, f.Program, call{arch: x, nr: pers, args: [6]uint64{0x1234}}); got == retAllow {
		t.Errorf("personality(0x1234) allowed")
	}
}

// TestMatchesReference is the property test: for random profiles and
// random calls, the compiled filter decides as the reference evaluator.
func TestMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 300; i++ {
		cfg := randomProfile(rng)
		f, err := Compile(cfg)
		if err != nil {
			t.Fatalf("profile %d: %v", i, err)
		}
		for j := 0; j < 200; j++ {
			c := randomCall(rng, cfg)
			if got, want := run(t, f.Program, c), reference(cfg, c); got != want {
				b, _ := json.Marshal(cfg)
				t.Fatalf("profile %s\ncall %+v: filter %#x, reference %#x", b, c, got, want)
			}
		}
	}
}

var (
	testNames  = []string{"read", "write", "openat", "close", "personality", "clone", "clone3", "futex", "getpid", "mount", "ptrace", "kill", "socket", "nosuch", "open"}
	testArchs  = []specs.Arch{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_PPC64", "SCMP_ARCH_S390X", "SCMP_ARCH_ARM"}
	testValues = []uint64{0, 1, 2, 5, 0xffffffff, 1 << 32, 1<<32 | 5, ^uint64(0), 0x80000000}
	testOps    = []specs.LinuxSeccompOperator{specs.OpEqualTo, specs.OpNotEqual, specs.OpLessThan, specs.OpLessEqual, specs.OpGreaterThan, specs.OpGreaterEqual, specs.OpMaskedEqual}
)

func randomProfile(rng *rand.Rand) *specs.LinuxSeccomp {
	cfg := &specs.LinuxSeccomp{DefaultAction: actionNames[rng.Intn(len(actionNames))]}
	if cfg.DefaultAction == specs.ActErrno && rng.Intn(2) == 0 {
		cfg.DefaultErrnoRet = u(uint(rng.Intn(40)))
	}
	for _, a := range testArchs {
		if rng.Intn(2) == 0 {
			cfg.Architectures = append(cfg.Architectures, a)
		}
	}
	for n := rng.Intn(8); n > 0; n-- {
		s := specs.LinuxSyscall{Action: actionNames[rng.Intn(len(actionNames))]}
		for k := 1 + rng.Intn(3); k > 0; k-- {
			s.Names = append(s.Names, testNames[rng.Intn(len(testNames))])
		}
		for k := rng.Intn(3); k > 0; k-- {
			s.Args = append(s.Args, specs.LinuxSeccompArg{Index: uint(rng.Intn(3)), Op: testOps[rng.Intn(len(testOps))],
				Value: testValues[rng.Intn(len(testValues))], ValueTwo: testValues[rng.Intn(len(testValues))]})
		}
		cfg.Syscalls = append(cfg.Syscalls, s)
	}
	return cfg
}

func randomCall(rng *rand.Rand, cfg *specs.LinuxSeccomp) call {
	arch := archs[string(testArchs[rng.Intn(len(testArchs))])]
	c := call{arch: arch}
	if nr, ok := arch.lookup(testNames[rng.Intn(len(testNames))]); ok && rng.Intn(4) != 0 {
		c.nr = nr
	} else {
		c.nr = uint32(rng.Intn(500))
		if arch.x32 {
			c.nr |= x32SyscallBit
		}
	}
	for i := range c.args {
		c.args[i] = testValues[rng.Intn(len(testValues))]
	}
	return c
}

func FuzzCompile(f *testing.F) {
	f.Add([]byte(`{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}`))
	f.Add([]byte(`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":4294967295,"op":"SCMP_CMP_NE"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var cfg specs.LinuxSeccomp
		if json.Unmarshal(data, &cfg) != nil {
			return
		}
		filter, err := Compile(&cfg)
		if err != nil || filter == nil {
			return
		}
		if len(filter.Program) > maxInsns {
			t.Fatalf("%d instructions", len(filter.Program))
		}
		for i, in := range filter.Program {
			if in.Code&0x07 == unix.BPF_JMP {
				if in.Code == opJa && i+1+int(in.K) >= len(filter.Program) || i+1+int(in.Jt) >= len(filter.Program) || i+1+int(in.Jf) >= len(filter.Program) {
					t.Fatalf("jump out of the program at %d", i)
				}
			}
		}
	})
}

func BenchmarkCompileDefault(b *testing.B) {
	cfg := loadDefaultProfile(b)
	for i := 0; i < b.N; i++ {
		if _, err := Compile(cfg); err != nil {
			b.Fatal(err)
		}
	}
}
