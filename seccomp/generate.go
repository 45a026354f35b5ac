package seccomp

import (
	"sort"

	"golang.org/x/sys/unix"
)

// seccomp_data offsets (linux/seccomp.h).
const (
	offNr   = 0
	offArch = 4
	offArgs = 16
)

const auditX86_64 = 0xC000003E

// generate lays out the whole program:
//
//	ld arch; jeq each listed arch → its block; else kill (bad arch)
//	block: ld nr; [x86_64: x32 bit → x32 block]; nr > max → ENOSYS;
//	       binary search over intervals of syscall numbers → ret / rule chain
func generate(plans []*archPlan, defRet uint32, enosys bool) ([]unix.SockFilter, error) {
	p := &program{}
	p.ld(offArch)
	groups := map[uint32][]*archPlan{}
	var order []uint32
	for _, pl := range plans {
		if _, ok := groups[pl.info.audit]; !ok {
			order = append(order, pl.info.audit)
		}
		groups[pl.info.audit] = append(groups[pl.info.audit], pl)
	}
	labels := map[uint32]string{}
	for _, audit := range order {
		labels[audit] = p.newLabel()
		p.jmp(opJeq, audit, labels[audit], "")
	}
	// An architecture the profile does not list: libseccomp's default
	// bad-arch action, which runc keeps.
	p.ret(retKillThread)
	for _, audit := range order {
		p.mark(labels[audit])
		p.ld(offNr)
		var native, x32 *archPlan
		for _, pl := range groups[audit] {
			if pl.info.x32 {
				x32 = pl
			} else {
				native = pl
			}
		}
		if audit == auditX86_64 {
			x32Label := p.newLabel()
			p.jmp(opJset, x32SyscallBit, x32Label, "")
			p.archBody(native, defRet, enosys)
			p.mark(x32Label)
			p.archBody(x32, defRet, enosys)
			continue
		}
		p.archBody(native, defRet, enosys)
	}
	return p.assemble()
}

// interval is a run of syscall numbers [start, next start) with one body:
// a plain return (ret) or the rule chain of a single syscall (rules).
type interval struct {
	start uint32
	ret   uint32
	rules []rule
}

func (p *program) archBody(pl *archPlan, defRet uint32, enosys bool) {
	if pl == nil {
		p.ret(retKillThread) // e.g. x32 syscalls when only x86_64 is listed
		return
	}
	if enosys && pl.known {
		over := p.newLabel()
		p.jmp(opJgt, pl.maxNr, over, "")
		defer func() { p.mark(over); p.ret(retErrno | uint32(unix.ENOSYS)) }()
	}
	p.searchTree(intervals(pl, defRet), pl.info, defRet)
}

// intervals splits the number line at every syscall with rules, merging
// neighbours that return the same thing, so an allow-list of consecutive
// syscalls costs one leaf.
func intervals(pl *archPlan, defRet uint32) []interval {
	nrs := make([]uint32, 0, len(pl.rules))
	for nr := range pl.rules {
		nrs = append(nrs, nr)
	}
	sort.Slice(nrs, func(i, j int) bool { return nrs[i] < nrs[j] })
	out := []interval{{start: 0, ret: defRet}}
	add := func(iv interval) {
		if out[len(out)-1].start == iv.start {
			out = out[:len(out)-1]
		}
		if n := len(out); n > 0 && out[n-1].rules == nil && iv.rules == nil && out[n-1].ret == iv.ret {
			return
		}
		out = append(out, iv)
	}
	for _, nr := range nrs {
		rs := pl.rules[nr]
		if len(rs) == 1 && len(rs[0].args) == 0 {
			add(interval{start: nr, ret: rs[0].ret})
		} else if firstUnconditional(rs) == 0 {
			add(interval{start: nr, ret: rs[0].ret})
		} else {
			add(interval{start: nr, rules: rs})
		}
		if nr != ^uint32(0) {
			add(interval{start: nr + 1, ret: defRet})
		}
	}
	return out
}

// firstUnconditional is the index of the first rule without conditions.
func firstUnconditional(rs []rule) int {
	for i, r := range rs {
		if len(r.args) == 0 {
			return i
		}
	}
	return -1
}

// searchTree emits a balanced binary search over the intervals: each node
// compares against the first number of its right half.
func (p *program) searchTree(ivs []interval, info archInfo, defRet uint32) {
	if len(ivs) == 1 {
		p.leaf(ivs[0], info, defRet)
		return
	}
	mid := len(ivs) / 2
	right := p.newLabel()
	p.jmp(opJge, ivs[mid].start, right, "")
	p.searchTree(ivs[:mid], info, defRet)
	p.mark(right)
	p.searchTree(ivs[mid:], info, defRet)
}

// leaf returns the interval's action, or evaluates its rules in order:
// the first whose conditions all hold decides, else the default.
func (p *program) leaf(iv interval, info archInfo, defRet uint32) {
	if iv.rules == nil {
		p.ret(iv.ret)
		return
	}
	for _, r := range iv.rules {
		next := p.newLabel()
		for _, a := range r.args {
			p.condition(a, info, next)
		}
		p.ret(r.ret)
		p.mark(next)
	}
	p.ret(defRet)
}
