package seccomp

import (
	"testing"

	"golang.org/x/sys/unix"
)

// steps counts the instructions the kernel executes for one call: a tiny
// interpreter for the subset of classic BPF the compiler emits.
func steps(t testing.TB, prog []unix.SockFilter, c call) int {
	t.Helper()
	var a uint32
	word := func(off uint32) uint32 {
		switch {
		case off == offNr:
			return c.nr
		case off == offArch:
			return c.arch.audit
		case off >= offArgs:
			i, hi := (off-offArgs)/8, (off-offArgs)%8 == 4
			if c.arch.bigEndian {
				hi = !hi
			}
			if hi {
				return uint32(c.args[i] >> 32)
			}
			return uint32(c.args[i])
		}
		t.Fatalf("load of offset %d", off)
		return 0
	}
	n := 0
	for pc := 0; pc < len(prog); pc++ {
		n++
		in := prog[pc]
		switch in.Code {
		case opLdAbs:
			a = word(in.K)
		case opAnd:
			a &= in.K
		case opRet:
			return n
		case opJa:
			pc += int(in.K)
		default:
			var cond bool
			switch in.Code {
			case opJeq:
				cond = a == in.K
			case opJgt:
				cond = a > in.K
			case opJge:
				cond = a >= in.K
			case opJset:
				cond = a&in.K != 0
			default:
				t.Fatalf("opcode %#x", in.Code)
			}
			if cond {
				pc += int(in.Jt)
			} else {
				pc += int(in.Jf)
			}
		}
	}
	t.Fatal("fell off the program")
	return 0
}

// TestDefaultProfileCost bounds the instructions run per syscall with the
// Docker default profile: a binary search, not a linear chain. The figures
// are logged for docs/seccomp.md.
func TestDefaultProfileCost(t *testing.T) {
	cfg := loadDefaultProfile(t)
	f := mustCompile(t, cfg)
	x := archs["SCMP_ARCH_X86_64"]
	worst := 0
	for _, e := range syscallTables["x86_64"] {
		n := steps(t, f.Program, call{arch: x, nr: e.nr})
		worst = max(worst, n)
	}
	for _, name := range []string{"read", "write", "futex", "epoll_wait", "getppid"} {
		n := steps(t, f.Program, call{arch: x, nr: nrOf(t, "SCMP_ARCH_X86_64", name)})
		t.Logf("%s: %d instructions", name, n)
		if n > 20 {
			t.Errorf("%s costs %d instructions", name, n)
		}
	}
	t.Logf("worst case over every x86_64 syscall: %d instructions; program: %d", worst, len(f.Program))
	if worst > 40 {
		t.Errorf("worst case %d instructions", worst)
	}
}
