package seccomp

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// Classic BPF opcodes used by the compiler.
const (
	opLdAbs  = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS
	opJeq    = unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K
	opJgt    = unix.BPF_JMP | unix.BPF_JGT | unix.BPF_K
	opJge    = unix.BPF_JMP | unix.BPF_JGE | unix.BPF_K
	opJset   = unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K
	opJa     = unix.BPF_JMP | unix.BPF_JA
	opRet    = unix.BPF_RET | unix.BPF_K
	opAnd    = unix.BPF_ALU | unix.BPF_AND | unix.BPF_K
	maxInsns = 4096 // BPF_MAXINSNS
)

// insn is an instruction whose jump targets are labels; "" means the next
// instruction. A label-only insn (isLabel) marks a position.
type insn struct {
	code    uint16
	k       uint32
	jt, jf  string
	label   string
	isLabel bool
}

// program is built front to back, then assembled.
type program struct {
	insns []insn
	n     int // label counter
}

func (p *program) newLabel() string {
	p.n++
	return fmt.Sprintf("L%d", p.n)
}

func (p *program) mark(label string) { p.insns = append(p.insns, insn{isLabel: true, label: label}) }
func (p *program) ld(off uint32)     { p.insns = append(p.insns, insn{code: opLdAbs, k: off}) }
func (p *program) and(k uint32)      { p.insns = append(p.insns, insn{code: opAnd, k: k}) }
func (p *program) ret(k uint32)      { p.insns = append(p.insns, insn{code: opRet, k: k}) }
func (p *program) ja(label string)   { p.insns = append(p.insns, insn{code: opJa, jt: label}) }
func (p *program) jmp(op uint16, k uint32, jt, jf string) {
	p.insns = append(p.insns, insn{code: op, k: k, jt: jt, jf: jf})
}

// assemble resolves labels. A conditional jump reaches at most 255
// instructions ahead; a farther target gets a JA trampoline right after
// the jump, and layout is redone until every jump fits.
func (p *program) assemble() ([]unix.SockFilter, error) {
	for round := 0; ; round++ {
		if round > 64 {
			return nil, fmt.Errorf("seccomp: jump layout does not converge")
		}
		pos, n := p.layout()
		if n > maxInsns {
			return nil, fmt.Errorf("seccomp: filter of %d instructions exceeds the kernel's limit of %d", n, maxInsns)
		}
		if p.fixFarJump(pos) {
			continue
		}
		return p.emit(pos, n)
	}
}

func (p *program) layout() (map[string]int, int) {
	pos := map[string]int{}
	n := 0
	for _, in := range p.insns {
		if in.isLabel {
			pos[in.label] = n
			continue
		}
		n++
	}
	return pos, n
}

// fixFarJump rewrites the first conditional jump whose target is too far;
// it reports whether it changed anything.
func (p *program) fixFarJump(pos map[string]int) bool {
	at := 0
	for i, in := range p.insns {
		if in.isLabel {
			continue
		}
		if in.code&0x07 == unix.BPF_JMP && in.code != opJa {
			for _, side := range []*string{&p.insns[i].jt, &p.insns[i].jf} {
				if *side == "" || pos[*side]-at-1 <= 255 {
					continue
				}
				far := *side
				tramp, after := p.newLabel(), p.newLabel()
				*side = tramp
				// Whichever side fell through now skips the trampoline.
				other := &p.insns[i].jt
				if side == &p.insns[i].jt {
					other = &p.insns[i].jf
				}
				if *other == "" {
					*other = after
				}
				rest := append([]insn{{isLabel: true, label: tramp}, {code: opJa, jt: far}, {isLabel: true, label: after}}, p.insns[i+1:]...)
				p.insns = append(p.insns[:i+1], rest...)
				return true
			}
		}
		at++
	}
	return false
}

func (p *program) emit(pos map[string]int, n int) ([]unix.SockFilter, error) {
	out := make([]unix.SockFilter, 0, n)
	for _, in := range p.insns {
		if in.isLabel {
			continue
		}
		at := len(out)
		rel := func(label string) (int, error) {
			if label == "" {
				return 0, nil
			}
			t, ok := pos[label]
			if !ok || t <= at {
				return 0, fmt.Errorf("seccomp: bad jump to %q", label)
			}
			return t - at - 1, nil
		}
		f := unix.SockFilter{Code: in.code, K: in.k}
		switch {
		case in.code == opJa:
			off, err := rel(in.jt)
			if err != nil {
				return nil, err
			}
			f.K = uint32(off)
		case in.code&0x07 == unix.BPF_JMP:
			jt, err := rel(in.jt)
			if err != nil {
				return nil, err
			}
			jf, err := rel(in.jf)
			if err != nil {
				return nil, err
			}
			f.Jt, f.Jf = uint8(jt), uint8(jf)
		}
		out = append(out, f)
	}
	return out, nil
}
