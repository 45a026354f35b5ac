package configs

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

var signals = map[string]unix.Signal{
	"ABRT": unix.SIGABRT, "ALRM": unix.SIGALRM, "BUS": unix.SIGBUS, "CHLD": unix.SIGCHLD,
	"CLD": unix.SIGCHLD, "CONT": unix.SIGCONT, "FPE": unix.SIGFPE, "HUP": unix.SIGHUP,
	"ILL": unix.SIGILL, "INT": unix.SIGINT, "IO": unix.SIGIO, "IOT": unix.SIGIOT,
	"KILL": unix.SIGKILL, "PIPE": unix.SIGPIPE, "POLL": unix.SIGPOLL, "PROF": unix.SIGPROF,
	"PWR": unix.SIGPWR, "QUIT": unix.SIGQUIT, "SEGV": unix.SIGSEGV, "STKFLT": unix.SIGSTKFLT,
	"STOP": unix.SIGSTOP, "SYS": unix.SIGSYS, "TERM": unix.SIGTERM, "TRAP": unix.SIGTRAP,
	"TSTP": unix.SIGTSTP, "TTIN": unix.SIGTTIN, "TTOU": unix.SIGTTOU, "URG": unix.SIGURG,
	"USR1": unix.SIGUSR1, "USR2": unix.SIGUSR2, "VTALRM": unix.SIGVTALRM, "WINCH": unix.SIGWINCH,
	"XCPU": unix.SIGXCPU, "XFSZ": unix.SIGXFSZ,
}

// glibc's SIGRTMIN and SIGRTMAX as seen by programs (the kernel's 32 and 33
// are reserved by the C library).
const (
	sigRTMin = 34
	sigRTMax = 64
)

// ParseSignal reads a signal as kill(1) does: a number, or a name with or
// without "SIG" ("KILL", "SIGKILL", "RTMIN+3", "SIGRTMAX-1"), any case.
func ParseSignal(s string) (unix.Signal, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n <= 0 || n > sigRTMax {
			return 0, fmt.Errorf("unknown signal %q", s)
		}
		return unix.Signal(n), nil
	}
	name := strings.TrimPrefix(strings.ToUpper(s), "SIG")
	if sig, ok := signals[name]; ok {
		return sig, nil
	}
	for _, rt := range []struct {
		prefix string
		base   int
		sign   int
	}{{"RTMIN", sigRTMin, 1}, {"RTMAX", sigRTMax, -1}} {
		rest, ok := strings.CutPrefix(name, rt.prefix)
		if !ok {
			continue
		}
		off := 0
		if rest != "" {
			var err error
			if off, err = strconv.Atoi(rest); err != nil || (rt.sign > 0) != (rest[0] == '+') {
				return 0, fmt.Errorf("unknown signal %q", s)
			}
			if off < 0 {
				off = -off
			}
		}
		n := rt.base + rt.sign*off
		if n < sigRTMin || n > sigRTMax {
			return 0, fmt.Errorf("unknown signal %q", s)
		}
		return unix.Signal(n), nil
	}
	return 0, fmt.Errorf("unknown signal %q", s)
}
