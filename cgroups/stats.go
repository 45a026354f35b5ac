package cgroups

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Stats and its parts have the field names and JSON tags of runc's
// events types (libcontainer/cgroups/stats + types/events.go), so that
// `vessel events` prints what containerd and Docker parse.
type Stats struct {
	CPU               CPU                `json:"cpu"`
	CPUSet            CPUSet             `json:"cpuset"`
	Memory            Memory             `json:"memory"`
	Pids              Pids               `json:"pids"`
	Blkio             Blkio              `json:"blkio"`
	Hugetlb           map[string]Hugetlb `json:"hugetlb"`
	NetworkInterfaces []any              `json:"network_interfaces"`
}

type CPUSet struct {
	CPUs                  []uint16 `json:"cpus,omitempty"`
	CPUExclusive          uint64   `json:"cpu_exclusive"`
	Mems                  []uint16 `json:"mems,omitempty"`
	MemHardwall           uint64   `json:"mem_hardwall"`
	MemExclusive          uint64   `json:"mem_exclusive"`
	MemoryMigrate         uint64   `json:"memory_migrate"`
	MemorySpreadPage      uint64   `json:"memory_spread_page"`
	MemorySpreadSlab      uint64   `json:"memory_spread_slab"`
	MemoryPressure        uint64   `json:"memory_pressure"`
	SchedLoadBalance      uint64   `json:"sched_load_balance"`
	SchedRelaxDomainLevel int64    `json:"sched_relax_domain_level"`
}

type CPU struct {
	Usage      CPUUsage   `json:"usage,omitempty"`
	Throttling Throttling `json:"throttling,omitempty"`
}

type CPUUsage struct {
	Total        uint64   `json:"total,omitempty"`
	Percpu       []uint64 `json:"percpu,omitempty"`
	PercpuKernel []uint64 `json:"percpu_kernel,omitempty"`
	PercpuUser   []uint64 `json:"percpu_user,omitempty"`
	Kernel       uint64   `json:"kernel"`
	User         uint64   `json:"user"`
}

type Throttling struct {
	Periods          uint64 `json:"periods,omitempty"`
	ThrottledPeriods uint64 `json:"throttled_periods,omitempty"`
	ThrottledTime    uint64 `json:"throttled_time,omitempty"`
}

type Memory struct {
	Cache     uint64            `json:"cache,omitempty"`
	Usage     MemoryEntry       `json:"usage,omitempty"`
	Swap      MemoryEntry       `json:"swap,omitempty"`
	Kernel    MemoryEntry       `json:"kernel,omitempty"`
	KernelTCP MemoryEntry       `json:"kernelTCP,omitempty"`
	Raw       map[string]uint64 `json:"raw,omitempty"`
}

type MemoryEntry struct {
	Limit   uint64 `json:"limit"`
	Usage   uint64 `json:"usage,omitempty"`
	Max     uint64 `json:"max,omitempty"`
	Failcnt uint64 `json:"failcnt"`
}

type Pids struct {
	Current uint64 `json:"current,omitempty"`
	Limit   uint64 `json:"limit,omitempty"`
}

type Blkio struct {
	IoServiceBytesRecursive []BlkioEntry `json:"ioServiceBytesRecursive,omitempty"`
	IoServicedRecursive     []BlkioEntry `json:"ioServicedRecursive,omitempty"`
}

type BlkioEntry struct {
	Major uint64 `json:"major,omitempty"`
	Minor uint64 `json:"minor,omitempty"`
	Op    string `json:"op,omitempty"`
	Value uint64 `json:"value,omitempty"`
}

type Hugetlb struct {
	Usage   uint64 `json:"usage,omitempty"`
	Max     uint64 `json:"max,omitempty"`
	Failcnt uint64 `json:"failcnt"`
}

// Stats reads the figures of every controller present; missing files are
// skipped (a controller may not be mounted).
func (m *manager) Stats() (*Stats, error) {
	st := &Stats{Hugetlb: map[string]Hugetlb{}}
	if dir, v2, ok := m.dirFor("memory"); ok {
		readMemoryStats(dir, v2, &st.Memory)
	}
	if dir, v2, ok := m.dirFor("cpu"); ok {
		readCPUStats(dir, v2, &st.CPU)
	}
	if dir, v2, ok := m.dirFor("cpuacct"); ok && !v2 {
		st.CPU.Usage.Total = readUint(filepath.Join(dir, "cpuacct.usage"))
		st.CPU.Usage.Percpu = readUints(filepath.Join(dir, "cpuacct.usage_percpu"))
		st.CPU.Usage.PercpuKernel = readUints(filepath.Join(dir, "cpuacct.usage_percpu_sys"))
		st.CPU.Usage.PercpuUser = readUints(filepath.Join(dir, "cpuacct.usage_percpu_user"))
		kv := readKV(filepath.Join(dir, "cpuacct.stat"))
		// USER_HZ ticks to nanoseconds.
		st.CPU.Usage.User, st.CPU.Usage.Kernel = kv["user"]*10_000_000, kv["system"]*10_000_000
	}
	if dir, v2, ok := m.dirFor("cpuset"); ok {
		readCPUSetStats(dir, v2, &st.CPUSet)
	}
	if dir, _, ok := m.dirFor("pids"); ok {
		st.Pids.Current = readUint(filepath.Join(dir, "pids.current"))
		st.Pids.Limit = readUint(filepath.Join(dir, "pids.max")) // "max" reads as 0: unlimited
	}
	if dir, v2, ok := m.dirFor("hugetlb"); ok {
		readHugetlbStats(dir, v2, st.Hugetlb)
	}
	if dir, v2, ok := m.dirFor("blkio"); ok && !v2 {
		st.Blkio.IoServiceBytesRecursive = readBlkio(filepath.Join(dir, "blkio.throttle.io_service_bytes_recursive"))
		st.Blkio.IoServicedRecursive = readBlkio(filepath.Join(dir, "blkio.throttle.io_serviced_recursive"))
	}
	return st, nil
}

func readMemoryStats(dir string, v2 bool, mem *Memory) {
	mem.Raw = readKV(filepath.Join(dir, "memory.stat"))
	if v2 {
		mem.Usage = MemoryEntry{Usage: readUint(filepath.Join(dir, "memory.current")), Limit: readLimit(filepath.Join(dir, "memory.max")), Max: readUint(filepath.Join(dir, "memory.peak"))}
		mem.Swap = MemoryEntry{Usage: readUint(filepath.Join(dir, "memory.swap.current")), Limit: readLimit(filepath.Join(dir, "memory.swap.max"))}
		mem.Cache = mem.Raw["file"]
		mem.Usage.Failcnt = readKV(filepath.Join(dir, "memory.events"))["max"]
		return
	}
	entry := func(prefix string) MemoryEntry {
		return MemoryEntry{
			Usage: readUint(filepath.Join(dir, prefix+"usage_in_bytes")), Limit: readUint(filepath.Join(dir, prefix+"limit_in_bytes")),
			Max: readUint(filepath.Join(dir, prefix+"max_usage_in_bytes")), Failcnt: readUint(filepath.Join(dir, prefix+"failcnt")),
		}
	}
	mem.Usage, mem.Swap = entry("memory."), entry("memory.memsw.")
	mem.Kernel, mem.KernelTCP = entry("memory.kmem."), entry("memory.kmem.tcp.")
	mem.Cache = mem.Raw["total_cache"]
}

func readCPUStats(dir string, v2 bool, cpu *CPU) {
	file := "cpu.stat"
	kv := readKV(filepath.Join(dir, file))
	cpu.Throttling = Throttling{Periods: kv["nr_periods"], ThrottledPeriods: kv["nr_throttled"], ThrottledTime: kv["throttled_time"]}
	if v2 {
		cpu.Usage.Total, cpu.Usage.User, cpu.Usage.Kernel = kv["usage_usec"]*1000, kv["user_usec"]*1000, kv["system_usec"]*1000
		cpu.Throttling.ThrottledTime = kv["throttled_usec"] * 1000
	}
}

func readHugetlbStats(dir string, v2 bool, out map[string]Hugetlb) {
	matches, _ := filepath.Glob(filepath.Join(dir, "hugetlb.*.max"))
	if !v2 {
		matches, _ = filepath.Glob(filepath.Join(dir, "hugetlb.*.limit_in_bytes"))
	}
	for _, f := range matches {
		size := strings.Split(filepath.Base(f), ".")[1]
		if v2 {
			out[size] = Hugetlb{Usage: readUint(filepath.Join(dir, "hugetlb."+size+".current")), Failcnt: readKV(filepath.Join(dir, "hugetlb."+size+".events"))["max"]}
		} else {
			out[size] = Hugetlb{Usage: readUint(filepath.Join(dir, "hugetlb."+size+".usage_in_bytes")), Max: readUint(filepath.Join(dir, "hugetlb."+size+".max_usage_in_bytes")), Failcnt: readUint(filepath.Join(dir, "hugetlb."+size+".failcnt"))}
		}
	}
}

func readBlkio(path string) []BlkioEntry {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []BlkioEntry
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) != 3 {
			continue
		}
		majMin := strings.Split(fields[0], ":")
		if len(majMin) != 2 {
			continue
		}
		maj, _ := strconv.ParseUint(majMin[0], 10, 64)
		min, _ := strconv.ParseUint(majMin[1], 10, 64)
		v, _ := strconv.ParseUint(fields[2], 10, 64)
		out = append(out, BlkioEntry{Major: maj, Minor: min, Op: fields[1], Value: v})
	}
	return out
}

func readUint(path string) uint64 {
	s, err := readFile(path)
	if err != nil {
		return 0
	}
	v, _ := strconv.ParseUint(s, 10, 64)
	return v
}

// readLimit reads a v2 limit; "max" is reported as the largest value, as runc does.
func readLimit(path string) uint64 {
	s, err := readFile(path)
	if err != nil {
		return 0
	}
	if s == "max" {
		return ^uint64(0)
	}
	v, _ := strconv.ParseUint(s, 10, 64)
	return v
}

func readUints(path string) []uint64 {
	s, err := readFile(path)
	if err != nil {
		return nil
	}
	var out []uint64
	for _, f := range strings.Fields(s) {
		v, _ := strconv.ParseUint(f, 10, 64)
		out = append(out, v)
	}
	return out
}

// readKV reads "key value" lines (memory.stat, cpu.stat, memory.events).
func readKV(path string) map[string]uint64 {
	out := map[string]uint64{}
	s, err := readFile(path)
	if err != nil {
		return out
	}
	for _, line := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		if n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64); err == nil {
			out[k] = n
		}
	}
	return out
}

func readCPUSetStats(dir string, v2 bool, cs *CPUSet) {
	prefix := "cpuset."
	if v2 {
		cs.CPUs = ParseCPUList(readString(filepath.Join(dir, "cpuset.cpus.effective")))
		cs.Mems = ParseCPUList(readString(filepath.Join(dir, "cpuset.mems.effective")))
		return
	}
	cs.CPUs = ParseCPUList(readString(filepath.Join(dir, prefix+"cpus")))
	cs.Mems = ParseCPUList(readString(filepath.Join(dir, prefix+"mems")))
	cs.CPUExclusive = readUint(filepath.Join(dir, prefix+"cpu_exclusive"))
	cs.MemHardwall = readUint(filepath.Join(dir, prefix+"mem_hardwall"))
	cs.MemExclusive = readUint(filepath.Join(dir, prefix+"mem_exclusive"))
	cs.MemoryMigrate = readUint(filepath.Join(dir, prefix+"memory_migrate"))
	cs.MemorySpreadPage = readUint(filepath.Join(dir, prefix+"memory_spread_page"))
	cs.MemorySpreadSlab = readUint(filepath.Join(dir, prefix+"memory_spread_slab"))
	cs.MemoryPressure = readUint(filepath.Join(dir, prefix+"memory_pressure"))
	cs.SchedLoadBalance = readUint(filepath.Join(dir, prefix+"sched_load_balance"))
	if v, err := strconv.ParseInt(readString(filepath.Join(dir, prefix+"sched_relax_domain_level")), 10, 64); err == nil {
		cs.SchedRelaxDomainLevel = v
	}
}

func readString(path string) string {
	s, _ := readFile(path)
	return s
}

// ParseCPUList reads a cpuset list ("0-3,5").
func ParseCPUList(s string) []uint16 {
	var out []uint16
	for _, part := range strings.Split(strings.TrimSpace(s), ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseUint(lo, 10, 16)
		if err != nil {
			continue
		}
		b := a
		if isRange {
			if b, err = strconv.ParseUint(hi, 10, 16); err != nil || b < a {
				continue
			}
		}
		for i := a; i <= b; i++ {
			out = append(out, uint16(i))
		}
	}
	return out
}
