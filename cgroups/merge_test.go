package cgroups

import (
	"encoding/json"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func i64(v int64) *int64 { return &v }

// What containerd's shim sends for `docker update --pids-limit 30`: every
// field, the unset ones 0.
const dockerPidsUpdate = `{"memory":{"limit":0,"reservation":0,"swap":0,"kernel":0,"kernelTCP":0},
 "cpu":{"shares":0,"quota":0,"period":0,"realtimeRuntime":0,"realtimePeriod":0,"cpus":"","mems":""},
 "pids":{"limit":30},"blockIO":{"weight":0}}`

func TestMergeUpdateZeroKeepsCurrent(t *testing.T) {
	shares := uint64(512)
	cur := &specs.LinuxResources{
		Memory: &specs.LinuxMemory{Limit: i64(64 << 20), Swap: i64(128 << 20)},
		CPU:    &specs.LinuxCPU{Shares: &shares, Cpus: "0-1"},
		Pids:   &specs.LinuxPids{Limit: i64(20)},
	}
	var upd specs.LinuxResources
	if err := json.Unmarshal([]byte(dockerPidsUpdate), &upd); err != nil {
		t.Fatal(err)
	}
	MergeUpdate(cur, &upd)
	if *cur.Pids.Limit != 30 {
		t.Errorf("pids limit = %d, want 30", *cur.Pids.Limit)
	}
	if *cur.Memory.Limit != 64<<20 || *cur.Memory.Swap != 128<<20 {
		t.Errorf("memory = %d/%d, want the current 64M/128M", *cur.Memory.Limit, *cur.Memory.Swap)
	}
	if cur.Memory.Reservation != nil {
		t.Errorf("reservation set to %d from a 0", *cur.Memory.Reservation)
	}
	if *cur.CPU.Shares != 512 || cur.CPU.Cpus != "0-1" || cur.CPU.Quota != nil {
		t.Errorf("cpu = %+v, want shares 512, cpus 0-1, no quota", cur.CPU)
	}
	if cur.BlockIO.Weight != nil {
		t.Errorf("blkio weight set from a 0")
	}
}

func TestMergeUpdateSetsAndUnlimits(t *testing.T) {
	cur := &specs.LinuxResources{Memory: &specs.LinuxMemory{Limit: i64(64 << 20)}}
	var upd specs.LinuxResources
	in := `{"memory":{"limit":-1},"cpu":{"quota":50000,"period":100000,"mems":"0"},
		"unified":{"memory.high":"max"},"pids":{"limit":-1}}`
	if err := json.Unmarshal([]byte(in), &upd); err != nil {
		t.Fatal(err)
	}
	MergeUpdate(cur, &upd)
	if *cur.Memory.Limit != -1 {
		t.Errorf("memory limit = %d, want -1", *cur.Memory.Limit)
	}
	if *cur.CPU.Quota != 50000 || *cur.CPU.Period != 100000 || cur.CPU.Mems != "0" {
		t.Errorf("cpu = %+v", cur.CPU)
	}
	if *cur.Pids.Limit != -1 || cur.Unified["memory.high"] != "max" {
		t.Errorf("pids %d, unified %v", *cur.Pids.Limit, cur.Unified)
	}
}
