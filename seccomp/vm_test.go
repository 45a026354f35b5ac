package seccomp

import (
	"encoding/binary"
	"testing"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// call is one syscall as the filter sees it.
type call struct {
	arch archInfo
	nr   uint32
	args [6]uint64
}

// run executes a compiled program in x/net/bpf's VM. That VM loads words
// big-endian (it is made for packets) while seccomp loads them in the
// kernel's byte order, so every 32-bit word of seccomp_data is written
// big-endian with the value the kernel would load.
func run(t testing.TB, prog []unix.SockFilter, c call) uint32 {
	t.Helper()
	raw := make([]bpf.Instruction, len(prog))
	for i, f := range prog {
		raw[i] = bpf.RawInstruction{Op: f.Code, Jt: f.Jt, Jf: f.Jf, K: f.K}.Disassemble()
	}
	vm, err := bpf.NewVM(raw)
	if err != nil {
		t.Fatalf("invalid program: %v", err)
	}
	data := make([]byte, 64)
	word := func(off int, v uint32) { binary.BigEndian.PutUint32(data[off:], v) }
	word(offNr, c.nr)
	word(offArch, c.arch.audit)
	for i, a := range c.args {
		lo, hi := uint32(a), uint32(a>>32)
		off := offArgs + 8*i
		if c.arch.bigEndian {
			word(off, hi)
			word(off+4, lo)
		} else {
			word(off, lo)
			word(off+4, hi)
		}
	}
	got, err := vm.Run(data)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return uint32(got)
}
