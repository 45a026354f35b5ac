package libcontainer

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/vessel-runtime/vessel/libcontainer/configs"
	"github.com/vessel-runtime/vessel/seccomp"
)

// processSetup is the workload's identity and limits, resolved before the
// init reports ready so that mistakes fail create, not start.
type processSetup struct {
	proc        *specs.Process
	path        string // resolved executable
	env         []string
	caps        capSets
	rlimits     []rlimit
	console     *os.File
	preserveFDs int
	lastCap     int
	filter      *seccomp.Filter // nil: no seccomp; installed already if Notify
}

type rlimit struct {
	resource int
	limit    unix.Rlimit
}

func newProcessSetup(proc *specs.Process, cfg *initConfig, console *os.File) (*processSetup, error) {
	ps := &processSetup{proc: proc, console: console, preserveFDs: cfg.PreserveFDs, lastCap: cfg.LastCap}
	ps.env = withHome(proc.Env, proc.User.UID)
	var err error
	if ps.caps, err = parseCapSets(proc.Capabilities); err != nil {
		return nil, err
	}
	if cfg.Spec.Linux != nil && cfg.Spec.Linux.Seccomp != nil {
		if ps.filter, err = seccomp.Compile(cfg.Spec.Linux.Seccomp); err != nil {
			return nil, err
		}
	}
	for i, rl := range proc.Rlimits {
		res, err := configs.Rlimit(rl.Type)
		if err != nil {
			return nil, fmt.Errorf("process.rlimits[%d].type: %w", i, err)
		}
		ps.rlimits = append(ps.rlimits, rlimit{res, unix.Rlimit{Cur: rl.Soft, Max: rl.Hard}})
	}
	if proc.ApparmorProfile != "" && !apparmorEnabled() {
		return nil, fmt.Errorf("process.apparmorProfile: %q is set but AppArmor is not enabled on this host", proc.ApparmorProfile)
	}
	// Resolve the executable in the container now, with its PATH, so that a
	// missing or non-executable program fails create with the words
	// podman maps to exit codes 127 and 126.
	os.Setenv("PATH", envValue(ps.env, "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"))
	if ps.path, err = exec.LookPath(proc.Args[0]); err != nil {
		return nil, err
	}
	return ps, nil
}

// exec turns the init into the workload. Order as runc: stdio, bounding
// set (needs CAP_SETPCAP), user and groups with keepcaps, working directory
// (checked as the user), the other capability sets, no_new_privs, execve.
func (ps *processSetup) exec() error {
	// CVE-2024-21626: nothing of the runtime's may reach the workload. Done
	// first, before a seccomp filter could refuse close_range(2).
	if err := unix.CloseRange(uint(3+ps.preserveFDs), ^uint(0), unix.CLOSE_RANGE_CLOEXEC); err != nil {
		return fmt.Errorf("close descriptors: %w", err)
	}
	if ps.console != nil {
		for fd := 0; fd < 3; fd++ {
			if err := unix.Dup3(int(ps.console.Fd()), fd, 0); err != nil {
				return fmt.Errorf("console: dup: %w", err)
			}
		}
		if err := unix.IoctlSetInt(0, unix.TIOCSCTTY, 0); err != nil {
			return fmt.Errorf("console: set controlling terminal: %w", err)
		}
		ps.console.Close()
	}
	for _, rl := range ps.rlimits {
		if err := unix.Setrlimit(rl.resource, &rl.limit); err != nil {
			return fmt.Errorf("process.rlimits: %w", err)
		}
	}
	// Without no_new_privs installing a filter needs CAP_SYS_ADMIN: do it
	// while we have it (runc's order); with it, as late as possible, so
	// that few of our own syscalls pass through the filter.
	if !ps.proc.NoNewPrivileges {
		if err := ps.installSeccomp(); err != nil {
			return err
		}
	}
	if err := ps.caps.dropBounding(ps.lastCap); err != nil {
		return err
	}
	if err := setUser(ps.proc.User); err != nil {
		return err
	}
	if err := enterCwd(ps.proc.Cwd); err != nil {
		return err
	}
	if err := applyApparmor(ps.proc.ApparmorProfile); err != nil {
		return err
	}
	if err := ps.caps.apply(ps.lastCap); err != nil {
		return err
	}
	if ps.proc.NoNewPrivileges {
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			return fmt.Errorf("process.noNewPrivileges: %w", err)
		}
	}
	umask := 0o022
	if ps.proc.User.Umask != nil {
		umask = int(*ps.proc.User.Umask)
	}
	unix.Umask(umask)
	if ps.proc.NoNewPrivileges {
		// The last step before execve: the filter sees as few of our own
		// syscalls as possible.
		if err := ps.installSeccomp(); err != nil {
			return err
		}
	}
	if err := unix.Exec(ps.path, ps.proc.Args, ps.env); err != nil {
		return fmt.Errorf("exec %s: %w", ps.proc.Args[0], err)
	}
	return nil
}

// enterCwd changes to the working directory and makes sure it is inside the
// container: a cwd reached through a leaked descriptor (/proc/self/fd/N)
// would make getcwd(2) fail or answer outside the root (CVE-2024-21626).
func enterCwd(cwd string) error {
	if cwd == "" {
		cwd = "/"
	}
	if err := unix.Chdir(cwd); err != nil {
		return fmt.Errorf("process.cwd: chdir %s: %w", cwd, err)
	}
	wd, err := unix.Getwd()
	if err != nil || !strings.HasPrefix(wd, "/") {
		return fmt.Errorf("process.cwd: %s is outside the container", cwd)
	}
	return nil
}

// setUser sets groups, gid and uid on this thread only (raw syscalls: the
// thread execs next), keeping capabilities across the uid change.
func setUser(u specs.User) error {
	if err := unix.Prctl(unix.PR_SET_KEEPCAPS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("process.user: keepcaps: %w", err)
	}
	gids := make([]uint32, len(u.AdditionalGids))
	copy(gids, u.AdditionalGids)
	var gp uintptr
	if len(gids) > 0 {
		gp = uintptrOf(gids)
	}
	if _, _, e := unix.RawSyscall(unix.SYS_SETGROUPS, uintptr(len(gids)), gp, 0); e != 0 {
		// With setgroups denied in a user namespace only an empty list is moot.
		if len(gids) > 0 || e != unix.EPERM {
			return fmt.Errorf("process.user.additionalGids: setgroups: %w", e)
		}
	}
	if _, _, e := unix.RawSyscall(unix.SYS_SETRESGID, uintptr(u.GID), uintptr(u.GID), uintptr(u.GID)); e != 0 {
		return fmt.Errorf("process.user.gid: setresgid %d: %w", u.GID, e)
	}
	if _, _, e := unix.RawSyscall(unix.SYS_SETRESUID, uintptr(u.UID), uintptr(u.UID), uintptr(u.UID)); e != 0 {
		return fmt.Errorf("process.user.uid: setresuid %d: %w", u.UID, e)
	}
	if err := unix.Prctl(unix.PR_SET_KEEPCAPS, 0, 0, 0, 0); err != nil {
		return fmt.Errorf("process.user: keepcaps: %w", err)
	}
	return nil
}

// maxPasswd bounds what is read of the container's /etc/passwd.
const maxPasswd = 1 << 20

// withHome adds HOME from the container's /etc/passwd (or "/") when the
// spec does not set it, as runc does. The file is the container's: only a
// regular file is read (a fifo would block exec, /dev/zero never end), and
// only its first MiB. nsenter/execplan.c does the same for the C path.
func withHome(env []string, uid uint32) []string {
	if envValue(env, "HOME", "") != "" {
		return env
	}
	home := "/"
	if f, err := os.OpenFile("/etc/passwd", os.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0); err == nil {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			data, _ := io.ReadAll(io.LimitReader(f, maxPasswd))
			want := strconv.FormatUint(uint64(uid), 10)
			for _, line := range strings.Split(string(data), "\n") {
				fields := strings.Split(line, ":")
				if len(fields) >= 6 && fields[2] == want && fields[5] != "" {
					home = fields[5]
					break
				}
			}
		}
		f.Close()
	}
	return append(append([]string{}, env...), "HOME="+home)
}

func envValue(env []string, key, def string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(env[i], "="); ok && k == key {
			return v
		}
	}
	return def
}

// installSeccomp loads the filter unless it was loaded early (a notify
// filter is installed before the parent leaves, which forwards its
// listener).
func (ps *processSetup) installSeccomp() error {
	if ps.filter == nil || ps.filter.Notify {
		return nil
	}
	if _, err := seccomp.Install(ps.filter); err != nil {
		return fmt.Errorf("linux.seccomp: %w", err)
	}
	return nil
}

// installNotifyFilter installs a filter with SCMP_ACT_NOTIFY rules now and
// hands its listener to the parent, which sends it to linux.seccomp.listenerPath.
func (ps *processSetup) installNotifyFilter(ch *channel) error {
	if ps.filter == nil || !ps.filter.Notify {
		return nil
	}
	fd, err := seccomp.Install(ps.filter)
	if err != nil {
		return fmt.Errorf("linux.seccomp: %w", err)
	}
	defer unix.Close(fd)
	return ch.sendFd(msgSeccompFd, fd)
}
