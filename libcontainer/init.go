package libcontainer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

// Init is the container's init, run as "vessel init" after the nsenter stub
// has put it in its namespaces. It never returns: it execs the workload or
// exits with the failure sent to the parent.
func Init() {
	// Credentials, capabilities, no_new_privs and seccomp are per thread
	// until execve(2): do all of it, and the exec, on this one thread.
	runtime.LockOSThread()
	fd, err := strconv.Atoi(os.Getenv("_VESSEL_INITSOCK"))
	os.Unsetenv("_VESSEL_INITSOCK")
	if err != nil {
		fmt.Fprintln(os.Stderr, "vessel init: not started by vessel create")
		os.Exit(255)
	}
	ch := &channel{f: os.NewFile(uintptr(fd), "init-socket")}
	err = runInit(ch)
	// runInit only returns on failure.
	ie := &initError{Msg: err.Error()}
	var p interface {
		Code() string
		Pointer() string
	}
	if errors.As(err, &p) {
		ie.ErrCode, ie.Ptr = p.Code(), p.Pointer()
	}
	ch.sendJSON(msgError, ie)
	os.Exit(1)
}

func runInit(ch *channel) error {
	payload, err := ch.expect(msgConfig)
	if err != nil {
		return err
	}
	cfg := &initConfig{}
	if err := json.Unmarshal(payload, cfg); err != nil {
		return fmt.Errorf("decode init config: %w", err)
	}
	if cfg.Exec {
		return runExec(ch, cfg)
	}
	if !cfg.NoNewKeyring {
		// A fresh session keyring, so the container cannot see the host's keys.
		if _, err := unix.KeyctlJoinSessionKeyring("_ses." + cfg.ID); err != nil && !errors.Is(err, unix.ENOSYS) {
			return fmt.Errorf("join session keyring: %w", err)
		}
	}
	r, err := newRootfsSetup(cfg)
	if err != nil {
		return err
	}
	defer r.close()
	if err := r.mountAll(); err != nil {
		return err
	}
	// prestart and createRuntime hooks run in the parent now: the
	// namespaces exist and the mounts are made, the root is not pivoted.
	if err := ch.send(msgHooks, nil); err != nil {
		return err
	}
	if _, err := ch.expect(msgHooksDone); err != nil {
		return err
	}
	if err := runHooks("createContainer", hooksOf(cfg.Spec).CreateContainer, cfg.HookState); err != nil {
		return err
	}
	if err := r.finish(); err != nil {
		return err
	}
	proc, err := newProcessSetup(cfg.Spec.Process, cfg, r.console)
	if err != nil {
		return err
	}
	if err := proc.installNotifyFilter(ch); err != nil {
		return err
	}
	if err := ch.send(msgReady, nil); err != nil {
		return err
	}
	ch.f.Close()
	// From here the parent is gone: failures can only be reported on stderr.
	if err := waitForStart(r.procSelfFd, cfg.FifoFd); err != nil {
		fatalInit(err)
	}
	if err := runHooks("startContainer", hooksOf(cfg.Spec).StartContainer, cfg.HookState); err != nil {
		fatalInit(err)
	}
	r.close()
	fatalInit(proc.exec())
	return nil
}

// fatalInit reports a failure after the parent has gone, the way runc does:
// on the container's stderr.
func fatalInit(err error) {
	fmt.Fprintf(os.Stderr, "vessel init: %v\n", err)
	os.Exit(255)
}

// waitForStart blocks on the exec fifo until `vessel start` opens it. The
// fifo is reopened through the host's /proc/self/fd, kept from before
// pivot_root: no path the container controls is used.
func waitForStart(procSelfFd *os.File, fifoFd int) error {
	fd, err := unix.Openat(int(procSelfFd.Fd()), strconv.Itoa(fifoFd), unix.O_WRONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open exec fifo: %w", err)
	}
	defer unix.Close(fd)
	if _, err := unix.Write(fd, []byte{0}); err != nil {
		return fmt.Errorf("write exec fifo: %w", err)
	}
	unix.Close(fifoFd)
	return nil
}
