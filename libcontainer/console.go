package libcontainer

import (
	"fmt"
	"os"
	"strconv"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// setupConsole creates the container's terminal when process.terminal is
// set: a pty from the container's own devpts (verified by filesystem type),
// whose slave is bind-mounted on /dev/console and whose master goes to the
// --console-socket with SCM_RIGHTS, as runc sends it (containerd's shim and
// conmon receive it this way).
func (r *rootfsSetup) setupConsole() error {
	if r.spec.Process == nil || !r.spec.Process.Terminal {
		return nil
	}
	if r.cfg.ConsoleFd < 0 {
		return fmt.Errorf("process.terminal: a console socket is required")
	}
	sock := os.NewFile(uintptr(r.cfg.ConsoleFd), "console-socket")
	defer sock.Close()
	ptmxPath, err := r.openInRoot("/dev/pts/ptmx")
	if err != nil {
		return fmt.Errorf("process.terminal: open /dev/pts/ptmx: %w (is devpts mounted on /dev/pts?)", err)
	}
	defer ptmxPath.Close()
	if r.console, err = openPty(ptmxPath, sock, r.spec.Process.ConsoleSize); err != nil {
		return err
	}
	console, err := r.ensureFileInRoot("/dev/console")
	if err != nil {
		return fmt.Errorf("create /dev/console: %w", err)
	}
	defer console.Close()
	if err := unix.Mount(r.fdPath(r.console), r.fdPath(console), "", unix.MS_BIND, ""); err != nil {
		return fmt.Errorf("bind pty on /dev/console: %w", err)
	}
	return nil
}

// openPty opens a pty through a verified handle of a devpts ptmx, sends its
// master to the console socket with SCM_RIGHTS (the message data is the
// master's name, as runc's utils.SendFile sends it) and returns the slave.
func openPty(ptmx, sock *os.File, size *specs.Box) (*os.File, error) {
	if magic, err := fsMagic(ptmx); err != nil || magic != unix.DEVPTS_SUPER_MAGIC {
		return nil, fmt.Errorf("process.terminal: /dev/pts/ptmx is not on a devpts filesystem")
	}
	masterFd, err := unix.Open("/proc/self/fd/"+strconv.Itoa(int(ptmx.Fd())), unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("process.terminal: open ptmx: %w", err)
	}
	master := os.NewFile(uintptr(masterFd), "/dev/ptmx")
	defer master.Close()
	if err := unix.IoctlSetPointerInt(masterFd, unix.TIOCSPTLCK, 0); err != nil {
		return nil, fmt.Errorf("process.terminal: unlockpt: %w", err)
	}
	// TIOCGPTPEER opens the slave without a path lookup in the container.
	fd, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(masterFd), unix.TIOCGPTPEER, unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC)
	if errno != 0 {
		return nil, fmt.Errorf("process.terminal: open pty slave: %w", errno)
	}
	slave := os.NewFile(fd, "pty-slave")
	if size != nil {
		ws := &unix.Winsize{Row: uint16(size.Height), Col: uint16(size.Width)}
		if err := unix.IoctlSetWinsize(int(fd), unix.TIOCSWINSZ, ws); err != nil {
			slave.Close()
			return nil, fmt.Errorf("process.consoleSize: %w", err)
		}
	}
	if err := unix.Sendmsg(int(sock.Fd()), []byte(master.Name()), unix.UnixRights(masterFd), nil, 0); err != nil {
		slave.Close()
		return nil, fmt.Errorf("send pty master to console socket: %w", err)
	}
	return slave, nil
}
