package seccomp

import (
	"fmt"
	"sort"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// Filter is a compiled profile, ready for Install.
type Filter struct {
	Program []unix.SockFilter
	Flags   uint
	Notify  bool // some rule returns SCMP_ACT_NOTIFY: Install returns a listener
}

// rule is one syscall rule on one architecture.
type rule struct {
	ret  uint32
	args []specs.LinuxSeccompArg
}

// archPlan is what the code generator needs for one architecture.
type archPlan struct {
	name  string
	info  archInfo
	rules map[uint32][]rule // by syscall number, in profile order
	maxNr uint32            // highest number the profile names on this arch
	known bool              // the profile names at least one syscall here
}

// Compile turns a profile into a filter. nil compiles to nil.
func Compile(cfg *specs.LinuxSeccomp) (*Filter, error) {
	if cfg == nil {
		return nil, nil
	}
	if err := Validate(cfg); err != nil {
		return nil, err
	}
	defRet, _ := actionRet(cfg.DefaultAction, cfg.DefaultErrnoRet)
	f := &Filter{}
	for _, fl := range cfg.Flags {
		f.Flags |= flagNames[fl]
	}
	plans := planArchs(cfg)
	for _, s := range cfg.Syscalls {
		if s.Action == specs.ActNotify {
			f.Notify = true
		}
	}
	if cfg.DefaultAction == specs.ActNotify {
		f.Notify = true
	}
	if f.Notify {
		f.Flags |= flagNewListener
		if f.Flags&flagTsync != 0 {
			f.Flags |= flagTsyncESRCH // TSYNC and NEW_LISTENER need it together
		}
	}
	enosys := !permissive(cfg.DefaultAction) && !(cfg.DefaultErrnoRet != nil && *cfg.DefaultErrnoRet == uint(unix.ENOSYS))
	prog, err := generate(plans, defRet, enosys)
	if err != nil {
		return nil, err
	}
	f.Program = prog
	return f, nil
}

// planArchs resolves every syscall name on every architecture of the
// profile (the native one when none is listed). Names unknown on an
// architecture are skipped there, as runc does.
func planArchs(cfg *specs.LinuxSeccomp) []*archPlan {
	names := make([]string, 0, len(cfg.Architectures))
	for _, a := range cfg.Architectures {
		names = append(names, string(a))
	}
	if len(names) == 0 {
		names = append(names, nativeArch())
	}
	var plans []*archPlan
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		p := &archPlan{name: n, info: archs[n], rules: map[uint32][]rule{}}
		for _, s := range cfg.Syscalls {
			ret, _ := actionRet(s.Action, s.ErrnoRet)
			for _, name := range s.Names {
				nr, ok := p.info.lookup(name)
				if !ok {
					continue
				}
				p.known = true
				if nr > p.maxNr {
					p.maxNr = nr
				}
				p.rules[nr] = append(p.rules[nr], splitRules(ret, s.Args)...)
			}
		}
		plans = append(plans, p)
	}
	// x86_64 before x32: both use one audit arch; the x32 bit decides.
	sort.SliceStable(plans, func(i, j int) bool { return !plans[i].info.x32 && plans[j].info.x32 })
	return plans
}

// splitRules follows libseccomp (and so runc): conditions on different
// arguments are ANDed, while several conditions on the same argument make
// separate rules (ORed), since one argument cannot be two values at once.
func splitRules(ret uint32, args []specs.LinuxSeccompArg) []rule {
	byIndex := map[uint][]specs.LinuxSeccompArg{}
	multi := false
	for _, a := range args {
		byIndex[a.Index] = append(byIndex[a.Index], a)
		if len(byIndex[a.Index]) > 1 {
			multi = true
		}
	}
	if !multi {
		return []rule{{ret: ret, args: args}}
	}
	var out []rule
	for _, a := range args {
		out = append(out, rule{ret: ret, args: []specs.LinuxSeccompArg{a}})
	}
	return out
}

// Validate checks a profile without compiling it.
func Validate(cfg *specs.LinuxSeccomp) error {
	if _, err := actionRet(cfg.DefaultAction, nil); err != nil {
		return fieldErr("linux.seccomp.defaultAction", "unknown action %q", cfg.DefaultAction)
	}
	for i, a := range cfg.Architectures {
		if _, ok := archs[string(a)]; !ok {
			return fieldErr(fmt.Sprintf("linux.seccomp.architectures[%d]", i), "unknown architecture %q", a)
		}
	}
	for i, fl := range cfg.Flags {
		if _, ok := flagNames[fl]; !ok {
			return fieldErr(fmt.Sprintf("linux.seccomp.flags[%d]", i), "unknown flag %q", fl)
		}
	}
	for i, s := range cfg.Syscalls {
		field := fmt.Sprintf("linux.seccomp.syscalls[%d]", i)
		if len(s.Names) == 0 {
			return fieldErr(field+".names", "must not be empty")
		}
		for j, n := range s.Names {
			if n == "" {
				return fieldErr(fmt.Sprintf("%s.names[%d]", field, j), "empty syscall name")
			}
		}
		if _, err := actionRet(s.Action, nil); err != nil {
			return fieldErr(field+".action", "unknown action %q", s.Action)
		}
		if s.ErrnoRet != nil && s.Action != specs.ActErrno && s.Action != specs.ActTrace {
			return fieldErr(field+".errnoRet", "only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE")
		}
		if len(s.Args) > 6 {
			return fieldErr(field+".args", "%d conditions: at most 6", len(s.Args))
		}
		for j, a := range s.Args {
			af := fmt.Sprintf("%s.args[%d]", field, j)
			if a.Index > 5 {
				return fieldErr(af+".index", "%d is over 5", a.Index)
			}
			if !knownOp(a.Op) {
				return fieldErr(af+".op", "unknown operator %q", a.Op)
			}
		}
	}
	if cfg.DefaultErrnoRet != nil && cfg.DefaultAction != specs.ActErrno && cfg.DefaultAction != specs.ActTrace {
		return fieldErr("linux.seccomp.defaultErrnoRet", "only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE")
	}
	return nil
}

func knownOp(op specs.LinuxSeccompOperator) bool {
	for _, o := range Operators() {
		if string(op) == o {
			return true
		}
	}
	return false
}
