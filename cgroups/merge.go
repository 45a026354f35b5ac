package cgroups

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// MergeUpdate applies an `update --resources` JSON (upd) to the container's
// current resources (cur) with runc's rule: a numeric limit of 0 and an
// empty cpuset mean "leave as it is". containerd's shim and dockerd send
// every field, the unset ones as 0 (`docker update --pids-limit 30` carries
// "memory":{"limit":0}); writing those would clear limits or fail (a v1
// memory limit of 0 is EBUSY). -1 still means "no limit". Lists (devices,
// hugepage limits, throttles) and unified keys replace or extend the current
// ones when present.
func MergeUpdate(cur, upd *specs.LinuxResources) {
	if m := upd.Memory; m != nil {
		if cur.Memory == nil {
			cur.Memory = &specs.LinuxMemory{}
		}
		setInt(&cur.Memory.Limit, m.Limit)
		setInt(&cur.Memory.Reservation, m.Reservation)
		setInt(&cur.Memory.Swap, m.Swap)
		setInt(&cur.Memory.Kernel, m.Kernel) // deprecated in the spec, still accepted
		setInt(&cur.Memory.KernelTCP, m.KernelTCP)
		if m.Swappiness != nil {
			cur.Memory.Swappiness = m.Swappiness
		}
		if m.DisableOOMKiller != nil {
			cur.Memory.DisableOOMKiller = m.DisableOOMKiller
		}
		if m.UseHierarchy != nil {
			cur.Memory.UseHierarchy = m.UseHierarchy
		}
		if m.CheckBeforeUpdate != nil {
			cur.Memory.CheckBeforeUpdate = m.CheckBeforeUpdate
		}
	}
	if c := upd.CPU; c != nil {
		if cur.CPU == nil {
			cur.CPU = &specs.LinuxCPU{}
		}
		setUint(&cur.CPU.Shares, c.Shares)
		setInt(&cur.CPU.Quota, c.Quota)
		setUint(&cur.CPU.Burst, c.Burst)
		setUint(&cur.CPU.Period, c.Period)
		setInt(&cur.CPU.RealtimeRuntime, c.RealtimeRuntime)
		setUint(&cur.CPU.RealtimePeriod, c.RealtimePeriod)
		if c.Cpus != "" {
			cur.CPU.Cpus = c.Cpus
		}
		if c.Mems != "" {
			cur.CPU.Mems = c.Mems
		}
		if c.Idle != nil {
			cur.CPU.Idle = c.Idle
		}
	}
	if p := upd.Pids; p != nil && p.Limit != nil && *p.Limit != 0 {
		cur.Pids = &specs.LinuxPids{Limit: p.Limit}
	}
	if b := upd.BlockIO; b != nil {
		mergeBlockIO(cur, b)
	}
	if len(upd.Devices) > 0 {
		cur.Devices = upd.Devices
	}
	if len(upd.HugepageLimits) > 0 {
		cur.HugepageLimits = upd.HugepageLimits
	}
	if upd.Network != nil {
		cur.Network = upd.Network
	}
	if len(upd.Rdma) > 0 {
		cur.Rdma = upd.Rdma
	}
	if len(upd.Unified) > 0 {
		if cur.Unified == nil {
			cur.Unified = map[string]string{}
		}
		for k, v := range upd.Unified {
			cur.Unified[k] = v
		}
	}
}

func mergeBlockIO(cur *specs.LinuxResources, b *specs.LinuxBlockIO) {
	if cur.BlockIO == nil {
		cur.BlockIO = &specs.LinuxBlockIO{}
	}
	dst := cur.BlockIO
	if b.Weight != nil && *b.Weight != 0 {
		dst.Weight = b.Weight
	}
	if b.LeafWeight != nil && *b.LeafWeight != 0 {
		dst.LeafWeight = b.LeafWeight
	}
	if len(b.WeightDevice) > 0 {
		dst.WeightDevice = b.WeightDevice
	}
	if len(b.ThrottleReadBpsDevice) > 0 {
		dst.ThrottleReadBpsDevice = b.ThrottleReadBpsDevice
	}
	if len(b.ThrottleWriteBpsDevice) > 0 {
		dst.ThrottleWriteBpsDevice = b.ThrottleWriteBpsDevice
	}
	if len(b.ThrottleReadIOPSDevice) > 0 {
		dst.ThrottleReadIOPSDevice = b.ThrottleReadIOPSDevice
	}
	if len(b.ThrottleWriteIOPSDevice) > 0 {
		dst.ThrottleWriteIOPSDevice = b.ThrottleWriteIOPSDevice
	}
}

func setInt(dst **int64, v *int64) {
	if v != nil && *v != 0 {
		*dst = v
	}
}

func setUint(dst **uint64, v *uint64) {
	if v != nil && *v != 0 {
		*dst = v
	}
}
