package libcontainer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/vessel-runtime/vessel/cgroups"
)

// Status is a container's OCI status, plus runc's "paused".
type Status string

const (
	Creating Status = "creating"
	Created  Status = "created"
	Running  Status = "running"
	Paused   Status = "paused"
	Stopped  Status = "stopped"
)

// fifoName is the exec fifo: present from create until start.
const fifoName = "exec.fifo"

// Status computes the container's status from the live system: the init is
// alive only if its pid still names the process vessel started (same start
// time) and that process is not a zombie.
func (c *Container) Status() Status {
	st := c.State
	if !initAlive(st.InitPid, st.InitStart) {
		if st.Phase == PhaseCreating && st.InitPid == 0 {
			return Creating
		}
		return Stopped
	}
	if st.Phase == PhaseCreating {
		return Creating
	}
	if _, err := os.Lstat(filepath.Join(c.Dir, fifoName)); err == nil {
		return Created
	}
	if c.frozen() {
		return Paused
	}
	return Running
}

func (c *Container) frozen() bool {
	if len(c.State.Cgroups) == 0 {
		return false
	}
	m, err := cgroups.Load(c.State.Cgroups)
	if err != nil {
		return false
	}
	frozen, err := m.Frozen()
	return err == nil && frozen
}

// Pid is the init's pid while it lives, 0 once stopped (runc's state does the same).
func (c *Container) Pid() int {
	if initAlive(c.State.InitPid, c.State.InitStart) {
		return c.State.InitPid
	}
	return 0
}

func initAlive(pid int, start uint64) bool {
	if pid <= 0 {
		return false
	}
	stat, err := readProcStat(pid)
	if err != nil {
		return false
	}
	return stat.state != 'Z' && stat.state != 'X' && stat.start == start
}

type procStat struct {
	state byte
	start uint64
}

// readProcStat parses /proc/<pid>/stat. The command name may hold spaces
// and parentheses, so fields are counted from the last ')'.
func readProcStat(pid int) (procStat, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, err
	}
	return parseProcStat(data)
}

func parseProcStat(data []byte) (procStat, error) {
	i := bytes.LastIndexByte(data, ')')
	if i < 0 || i+2 >= len(data) {
		return procStat{}, errors.New("malformed /proc/<pid>/stat")
	}
	// After ") ": field 3 (state) is index 0; field 22 (starttime) is index 19.
	fields := bytes.Fields(data[i+2:])
	if len(fields) < 20 {
		return procStat{}, errors.New("malformed /proc/<pid>/stat")
	}
	start, err := strconv.ParseUint(string(fields[19]), 10, 64)
	if err != nil {
		return procStat{}, fmt.Errorf("malformed /proc/<pid>/stat starttime: %w", err)
	}
	return procStat{state: fields[0][0], start: start}, nil
}
