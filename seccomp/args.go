package seccomp

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// condition emits a test of one argument that falls through when it holds
// and jumps to fail when it does not. Arguments are 64-bit in seccomp_data;
// each comparison looks at the high half, then the low half. On 32-bit
// architectures only the low half exists (libseccomp compares only it).
func (p *program) condition(a specs.LinuxSeccompArg, info archInfo, fail string) {
	lo, hi := offArgs+8*uint32(a.Index), offArgs+8*uint32(a.Index)+4
	if info.bigEndian {
		lo, hi = hi, lo
	}
	v, v2 := a.Value, a.ValueTwo
	vlo, vhi := uint32(v), uint32(v>>32)
	ok := p.newLabel()
	if info.bits32 {
		p.condition32(a.Op, lo, vlo, uint32(v2), ok, fail)
		p.mark(ok)
		return
	}
	switch a.Op {
	case specs.OpEqualTo: // hi == vhi && lo == vlo
		p.ld(hi)
		p.jmp(opJeq, vhi, "", fail)
		p.ld(lo)
		p.jmp(opJeq, vlo, ok, fail)
	case specs.OpNotEqual: // hi != vhi || lo != vlo
		p.ld(hi)
		p.jmp(opJeq, vhi, "", ok)
		p.ld(lo)
		p.jmp(opJeq, vlo, fail, ok)
	case specs.OpGreaterThan, specs.OpGreaterEqual: // hi > vhi || (hi == vhi && lo >(=) vlo)
		p.ld(hi)
		p.jmp(opJgt, vhi, ok, "")
		p.jmp(opJeq, vhi, "", fail)
		p.ld(lo)
		p.jmp(map[bool]uint16{true: opJgt, false: opJge}[a.Op == specs.OpGreaterThan], vlo, ok, fail)
	case specs.OpLessThan, specs.OpLessEqual: // !(x >= v) / !(x > v)
		p.ld(hi)
		p.jmp(opJgt, vhi, fail, "")
		p.jmp(opJeq, vhi, "", ok)
		p.ld(lo)
		p.jmp(map[bool]uint16{true: opJge, false: opJgt}[a.Op == specs.OpLessThan], vlo, fail, ok)
	case specs.OpMaskedEqual: // (x & value) == valueTwo
		p.ld(hi)
		p.and(vhi)
		p.jmp(opJeq, uint32(v2>>32), "", fail)
		p.ld(lo)
		p.and(vlo)
		p.jmp(opJeq, uint32(v2), ok, fail)
	}
	p.mark(ok)
}

func (p *program) condition32(op specs.LinuxSeccompOperator, off, v, v2 uint32, ok, fail string) {
	p.ld(off)
	switch op {
	case specs.OpEqualTo:
		p.jmp(opJeq, v, ok, fail)
	case specs.OpNotEqual:
		p.jmp(opJeq, v, fail, ok)
	case specs.OpGreaterThan:
		p.jmp(opJgt, v, ok, fail)
	case specs.OpGreaterEqual:
		p.jmp(opJge, v, ok, fail)
	case specs.OpLessThan:
		p.jmp(opJge, v, fail, ok)
	case specs.OpLessEqual:
		p.jmp(opJgt, v, fail, ok)
	case specs.OpMaskedEqual:
		p.and(v)
		p.jmp(opJeq, v2, ok, fail)
	}
}
