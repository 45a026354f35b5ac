package cgroups

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// Set writes every given field of r. Each error names the spec field and
// the file.
func (m *manager) Set(r *specs.LinuxResources) error {
	if r == nil {
		return nil
	}
	steps := []func(*specs.LinuxResources) error{
		m.setMemory, m.setCPU, m.setPids, m.setBlockIO, m.setHugetlb, m.setNetwork, m.setRdma,
		m.setUnified, m.setDevices,
	}
	for _, step := range steps {
		if err := step(r); err != nil {
			return err
		}
	}
	return nil
}

// write writes one file of the controller ctrl; field names the spec field
// for the error. A controller that is not mounted is an error only when a
// value is set for it.
func (m *manager) write(ctrl, field, v1File, v2File, value string) error {
	dir, v2, ok := m.dirFor(ctrl)
	if !ok {
		return fmt.Errorf("linux.resources.%s: the %s controller is not available", field, ctrl)
	}
	file := v1File
	if v2 {
		file = v2File
	}
	if file == "" {
		return fmt.Errorf("linux.resources.%s: not supported on cgroup %s", field, map[bool]string{true: "v2", false: "v1"}[v2])
	}
	if err := writeFile(filepath.Join(dir, file), value); err != nil {
		return fmt.Errorf("linux.resources.%s: %w", field, err)
	}
	return nil
}

func (m *manager) isV2(ctrl string) bool {
	_, v2, _ := m.dirFor(ctrl)
	return v2
}

func (m *manager) setMemory(r *specs.LinuxResources) error {
	mem := r.Memory
	if mem == nil {
		return nil
	}
	v2 := m.isV2("memory")
	if mem.CheckBeforeUpdate != nil && *mem.CheckBeforeUpdate && mem.Limit != nil && *mem.Limit > 0 {
		if err := m.checkUsageBelow(*mem.Limit, v2); err != nil {
			return err
		}
	}
	if v2 {
		return m.setMemoryV2(mem)
	}
	if err := m.setMemoryLimitsV1(mem); err != nil {
		return err
	}
	if mem.Reservation != nil {
		if err := m.write("memory", "memory.reservation", "memory.soft_limit_in_bytes", "", limitValue(*mem.Reservation, false)); err != nil {
			return err
		}
	}
	if mem.KernelTCP != nil {
		if err := m.write("memory", "memory.kernelTCP", "memory.kmem.tcp.limit_in_bytes", "", limitValue(*mem.KernelTCP, false)); err != nil {
			return err
		}
	}
	if mem.Swappiness != nil && *mem.Swappiness <= 100 {
		if err := m.write("memory", "memory.swappiness", "memory.swappiness", "", strconv.FormatUint(*mem.Swappiness, 10)); err != nil {
			return err
		}
	}
	if mem.DisableOOMKiller != nil && *mem.DisableOOMKiller {
		if err := m.write("memory", "memory.disableOOMKiller", "memory.oom_control", "", "1"); err != nil {
			return err
		}
	}
	return nil
}

// setMemoryLimitsV1 writes limit and memsw in the order the kernel accepts:
// memsw may never be below the limit, so when raising, memsw goes first.
func (m *manager) setMemoryLimitsV1(mem *specs.LinuxMemory) error {
	limit := func() error {
		if mem.Limit == nil {
			return nil
		}
		return m.write("memory", "memory.limit", "memory.limit_in_bytes", "", limitValue(*mem.Limit, false))
	}
	swap := func() error {
		if mem.Swap == nil {
			return nil
		}
		return m.write("memory", "memory.swap", "memory.memsw.limit_in_bytes", "", limitValue(*mem.Swap, false))
	}
	if err := limit(); err != nil {
		// Raising the limit above the current memsw: memsw first.
		if serr := swap(); serr != nil {
			return err
		}
		return limit()
	}
	return swap()
}

func (m *manager) setMemoryV2(mem *specs.LinuxMemory) error {
	if mem.Limit != nil {
		if err := m.write("memory", "memory.limit", "", "memory.max", limitValue(*mem.Limit, true)); err != nil {
			return err
		}
	}
	if v, ok, err := SwapV2(mem.Limit, mem.Swap); err != nil {
		return fmt.Errorf("linux.resources.memory.swap: %w", err)
	} else if ok {
		if err := m.write("memory", "memory.swap", "", "memory.swap.max", v); err != nil {
			return err
		}
	}
	if mem.Reservation != nil {
		if err := m.write("memory", "memory.reservation", "", "memory.low", limitValue(*mem.Reservation, true)); err != nil {
			return err
		}
	}
	// kernelTCP, swappiness and disableOOMKiller have no v2 file; runc
	// ignores them there, and so do we (docs/cgroups.md).
	return nil
}

// checkUsageBelow refuses a memory limit under the current usage, so that
// an update cannot trigger an OOM kill by surprise.
func (m *manager) checkUsageBelow(limit int64, v2 bool) error {
	dir, _, _ := m.dirFor("memory")
	file := map[bool]string{true: "memory.current", false: "memory.usage_in_bytes"}[v2]
	cur, err := readFile(filepath.Join(dir, file))
	if err != nil {
		return nil // not created yet: nothing to compare
	}
	if usage, err := strconv.ParseInt(cur, 10, 64); err == nil && usage > limit {
		return fmt.Errorf("linux.resources.memory.limit: %d is below the current usage of %d bytes", limit, usage)
	}
	return nil
}

func (m *manager) setCPU(r *specs.LinuxResources) error {
	cpu := r.CPU
	if cpu == nil {
		return nil
	}
	v2 := m.isV2("cpu")
	var errs []error
	w := func(ctrl, field, f1, f2, v string) { errs = append(errs, m.write(ctrl, field, f1, f2, v)) }
	if cpu.Shares != nil && *cpu.Shares != 0 {
		v := strconv.FormatUint(*cpu.Shares, 10)
		if v2 {
			v = strconv.FormatUint(SharesToWeight(*cpu.Shares), 10)
		}
		w("cpu", "cpu.shares", "cpu.shares", "cpu.weight", v)
	}
	if v2 {
		if v, ok := CPUMax(cpu.Quota, cpu.Period); ok {
			w("cpu", "cpu.quota", "", "cpu.max", v)
		}
	} else {
		if cpu.Period != nil && *cpu.Period != 0 {
			w("cpu", "cpu.period", "cpu.cfs_period_us", "", strconv.FormatUint(*cpu.Period, 10))
		}
		if cpu.Quota != nil && *cpu.Quota != 0 {
			w("cpu", "cpu.quota", "cpu.cfs_quota_us", "", strconv.FormatInt(*cpu.Quota, 10))
		}
		if cpu.RealtimePeriod != nil && *cpu.RealtimePeriod != 0 {
			w("cpu", "cpu.realtimePeriod", "cpu.rt_period_us", "", strconv.FormatUint(*cpu.RealtimePeriod, 10))
		}
		if cpu.RealtimeRuntime != nil && *cpu.RealtimeRuntime != 0 {
			w("cpu", "cpu.realtimeRuntime", "cpu.rt_runtime_us", "", strconv.FormatInt(*cpu.RealtimeRuntime, 10))
		}
	}
	if cpu.Burst != nil {
		w("cpu", "cpu.burst", "cpu.cfs_burst_us", "cpu.max.burst", strconv.FormatUint(*cpu.Burst, 10))
	}
	if cpu.Idle != nil {
		w("cpu", "cpu.idle", "cpu.idle", "cpu.idle", strconv.FormatInt(*cpu.Idle, 10))
	}
	if cpu.Cpus != "" {
		w("cpuset", "cpu.cpus", "cpuset.cpus", "cpuset.cpus", cpu.Cpus)
	}
	if cpu.Mems != "" {
		w("cpuset", "cpu.mems", "cpuset.mems", "cpuset.mems", cpu.Mems)
	}
	return errors.Join(errs...)
}

func (m *manager) setPids(r *specs.LinuxResources) error {
	if r.Pids == nil || r.Pids.Limit == nil {
		return nil
	}
	return m.write("pids", "pids.limit", "pids.max", "pids.max", PidsMax(*r.Pids.Limit))
}

func (m *manager) setBlockIO(r *specs.LinuxResources) error {
	b := r.BlockIO
	if b == nil {
		return nil
	}
	v2 := m.isV2("io")
	ctrl := "blkio"
	if v2 || m.pureV2() {
		ctrl, v2 = "io", true
	}
	var errs []error
	if b.Weight != nil && *b.Weight != 0 {
		errs = append(errs, m.writeWeight(ctrl, v2, "blockIO.weight", "", *b.Weight))
	}
	if b.LeafWeight != nil && *b.LeafWeight != 0 {
		errs = append(errs, m.write(ctrl, "blockIO.leafWeight", "blkio.leaf_weight", "", strconv.Itoa(int(*b.LeafWeight))))
	}
	for i, d := range b.WeightDevice {
		if d.Weight != nil {
			errs = append(errs, m.writeWeight(ctrl, v2, fmt.Sprintf("blockIO.weightDevice[%d]", i), fmt.Sprintf("%d:%d ", d.Major, d.Minor), *d.Weight))
		}
		if d.LeafWeight != nil {
			errs = append(errs, m.write(ctrl, fmt.Sprintf("blockIO.weightDevice[%d].leafWeight", i), "blkio.leaf_weight_device", "", fmt.Sprintf("%d:%d %d", d.Major, d.Minor, *d.LeafWeight)))
		}
	}
	if v2 {
		for _, line := range IOMax(b) {
			errs = append(errs, m.write(ctrl, "blockIO.throttle", "", "io.max", line))
		}
		return errors.Join(errs...)
	}
	for _, t := range []struct {
		name, file string
		list       []specs.LinuxThrottleDevice
	}{
		{"throttleReadBpsDevice", "blkio.throttle.read_bps_device", b.ThrottleReadBpsDevice},
		{"throttleWriteBpsDevice", "blkio.throttle.write_bps_device", b.ThrottleWriteBpsDevice},
		{"throttleReadIOPSDevice", "blkio.throttle.read_iops_device", b.ThrottleReadIOPSDevice},
		{"throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", b.ThrottleWriteIOPSDevice},
	} {
		for i, d := range t.list {
			errs = append(errs, m.write(ctrl, fmt.Sprintf("blockIO.%s[%d]", t.name, i), t.file, "", fmt.Sprintf("%d:%d %d", d.Major, d.Minor, d.Rate)))
		}
	}
	return errors.Join(errs...)
}

// writeWeight writes a (device) weight: v1 blkio.weight or the BFQ file
// when CFQ is gone; v2 io.bfq.weight with the raw value when BFQ is in
// use, else io.weight converted.
func (m *manager) writeWeight(ctrl string, v2 bool, field, devPrefix string, w uint16) error {
	dir, _, _ := m.dirFor(ctrl)
	suffix := ""
	if devPrefix != "" {
		suffix = "_device"
	}
	var candidates []struct{ file, value string }
	if v2 {
		candidates = append(candidates,
			struct{ file, value string }{"io.bfq.weight", devPrefix + strconv.Itoa(int(w))},
			struct{ file, value string }{"io.weight", strings.TrimSpace(devPrefix + "default " + strconv.FormatUint(BlkioWeightToIOWeight(w), 10))})
		if devPrefix != "" {
			candidates[1].value = devPrefix + strconv.FormatUint(BlkioWeightToIOWeight(w), 10)
		}
	} else {
		candidates = append(candidates,
			struct{ file, value string }{"blkio.weight" + suffix, devPrefix + strconv.Itoa(int(w))},
			struct{ file, value string }{"blkio.bfq.weight" + suffix, devPrefix + strconv.Itoa(int(w))})
	}
	for _, c := range candidates {
		if !exists(filepath.Join(dir, c.file)) {
			continue
		}
		if err := writeFile(filepath.Join(dir, c.file), c.value); err != nil {
			return fmt.Errorf("linux.resources.%s: %w", field, err)
		}
		return nil
	}
	return fmt.Errorf("linux.resources.%s: no weight file in %s (no CFQ or BFQ scheduler)", field, dir)
}

func (m *manager) setHugetlb(r *specs.LinuxResources) error {
	var errs []error
	for i, h := range r.HugepageLimits {
		field := fmt.Sprintf("hugepageLimits[%d]", i)
		errs = append(errs, m.write("hugetlb", field, "hugetlb."+h.Pagesize+".limit_in_bytes", "hugetlb."+h.Pagesize+".max", strconv.FormatUint(h.Limit, 10)))
	}
	return errors.Join(errs...)
}

func (m *manager) setNetwork(r *specs.LinuxResources) error {
	n := r.Network
	if n == nil {
		return nil
	}
	var errs []error
	if n.ClassID != nil {
		errs = append(errs, m.write("net_cls", "network.classID", "net_cls.classid", "", strconv.FormatUint(uint64(*n.ClassID), 10)))
	}
	for i, p := range n.Priorities {
		errs = append(errs, m.write("net_prio", fmt.Sprintf("network.priorities[%d]", i), "net_prio.ifpriomap", "", fmt.Sprintf("%s %d", p.Name, p.Priority)))
	}
	return errors.Join(errs...)
}

func (m *manager) setRdma(r *specs.LinuxResources) error {
	var errs []error
	for dev, l := range r.Rdma {
		var parts []string
		if l.HcaHandles != nil {
			parts = append(parts, fmt.Sprintf("hca_handle=%d", *l.HcaHandles))
		}
		if l.HcaObjects != nil {
			parts = append(parts, fmt.Sprintf("hca_object=%d", *l.HcaObjects))
		}
		if len(parts) > 0 {
			errs = append(errs, m.write("rdma", "rdma."+dev, "rdma.max", "rdma.max", dev+" "+strings.Join(parts, " ")))
		}
	}
	return errors.Join(errs...)
}

// setUnified writes raw v2 keys into the unified hierarchy.
func (m *manager) setUnified(r *specs.LinuxResources) error {
	if len(r.Unified) == 0 {
		return nil
	}
	var dir string
	for _, h := range m.hs {
		if h.Unified {
			dir = h.Dir
		}
	}
	if dir == "" {
		return errors.New("linux.resources.unified: requires cgroup v2")
	}
	for key, value := range r.Unified {
		if err := ValidateUnifiedKey(key); err != nil {
			return err
		}
		path := filepath.Join(dir, key)
		if !exists(path) {
			return fmt.Errorf("linux.resources.unified.%s: no such cgroup file (controller not enabled?)", key)
		}
		if err := writeFile(path, value); err != nil {
			return fmt.Errorf("linux.resources.unified.%s: %w", key, err)
		}
	}
	return nil
}
