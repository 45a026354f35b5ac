package cgroups

import (
	"strings"
	"testing"

	"github.com/cilium/ebpf/asm"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func TestSharesToWeight(t *testing.T) {
	for _, tt := range []struct{ shares, weight uint64 }{
		{0, 0}, {1, 1}, {2, 1}, {1024, 100}, {262144, 10000}, {300000, 10000}, {512, 59}, {2048, 174},
	} {
		if got := SharesToWeight(tt.shares); got != tt.weight {
			t.Errorf("SharesToWeight(%d) = %d, want %d", tt.shares, got, tt.weight)
		}
	}
}

func TestBlkioWeightToIOWeight(t *testing.T) {
	for _, tt := range []struct {
		in   uint16
		want uint64
	}{{0, 0}, {10, 1}, {500, 4950}, {1000, 10000}} {
		if got := BlkioWeightToIOWeight(tt.in); got != tt.want {
			t.Errorf("BlkioWeightToIOWeight(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestSwapV2(t *testing.T) {
	i := func(v int64) *int64 { return &v }
	tests := []struct {
		name        string
		limit, swap *int64
		want        string
		ok, wantErr bool
	}{
		{"unset", i(100), nil, "", false, false},
		{"unlimited", nil, i(-1), "max", true, false},
		{"memsw semantics", i(100), i(300), "200", true, false},
		{"equal: no swap", i(100), i(100), "0", true, false},
		{"below limit", i(100), i(50), "", false, true},
		{"without limit", nil, i(50), "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := SwapV2(tt.limit, tt.swap)
			if got != tt.want || ok != tt.ok || (err != nil) != tt.wantErr {
				t.Fatalf("got %q %v %v", got, ok, err)
			}
		})
	}
}

func TestCPUMaxAndPids(t *testing.T) {
	q, p := int64(50000), uint64(20000)
	if v, ok := CPUMax(&q, &p); !ok || v != "50000 20000" {
		t.Errorf("CPUMax = %q", v)
	}
	neg := int64(-1)
	if v, _ := CPUMax(&neg, nil); v != "max 100000" {
		t.Errorf("CPUMax(-1) = %q", v)
	}
	if _, ok := CPUMax(nil, nil); ok {
		t.Error("CPUMax(nil, nil) should write nothing")
	}
	if PidsMax(0) != "max" || PidsMax(-1) != "max" || PidsMax(7) != "7" {
		t.Error("PidsMax")
	}
}

func TestIOMax(t *testing.T) {
	b := &specs.LinuxBlockIO{
		ThrottleReadBpsDevice:   []specs.LinuxThrottleDevice{{LinuxBlockIODevice: specs.LinuxBlockIODevice{Major: 8, Minor: 0}, Rate: 100}},
		ThrottleWriteIOPSDevice: []specs.LinuxThrottleDevice{{LinuxBlockIODevice: specs.LinuxBlockIODevice{Major: 8, Minor: 0}, Rate: 5}, {LinuxBlockIODevice: specs.LinuxBlockIODevice{Major: 8, Minor: 16}, Rate: 7}},
	}
	got := strings.Join(IOMax(b), "|")
	if got != "8:0 rbps=100 wiops=5|8:16 wiops=7" {
		t.Errorf("IOMax = %q", got)
	}
}

func TestValidateUnifiedKey(t *testing.T) {
	for _, ok := range []string{"memory.high", "pids.max", "cgroup.max.depth"} {
		if err := ValidateUnifiedKey(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "..", "a/b", "memory", "cgroup.procs", "cgroup.subtree_control"} {
		if err := ValidateUnifiedKey(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestDeviceRuleLine(t *testing.T) {
	five := int64(5)
	if got := deviceRuleLine(specs.LinuxDeviceCgroup{Type: "c", Major: &five, Access: "rw"}); got != "c 5:* rw" {
		t.Errorf("got %q", got)
	}
	if got := deviceRuleLine(specs.LinuxDeviceCgroup{}); got != "a *:* rwm" {
		t.Errorf("got %q", got)
	}
}

// TestDeviceProgramEndsAfterCatchAll checks the generated program has no
// code after a rule that matches everything (the verifier rejects it).
func TestDeviceProgramEndsAfterCatchAll(t *testing.T) {
	three := int64(3)
	one := int64(1)
	rules := append([]specs.LinuxDeviceCgroup{{Allow: false, Access: "rwm"}}, DefaultDevices()...)
	rules = append(rules, specs.LinuxDeviceCgroup{Allow: true, Type: "c", Major: &one, Minor: &three, Access: "rw"})
	insns := DeviceProgram(rules)
	last := insns[len(insns)-1]
	if last.OpCode.JumpOp() != asm.Exit {
		t.Fatalf("program does not end with exit: %v", last)
	}
	// deny-all is the first rule, hence evaluated last: its "mov r0, 0;
	// exit" ends the program, with no default block after it.
	if prev := insns[len(insns)-2]; prev.Constant != 0 {
		t.Fatalf("last verdict %v, want deny", prev)
	}
	all := DeviceProgram([]specs.LinuxDeviceCgroup{{Allow: true, Access: "rwm"}, {Allow: false, Type: "c", Major: &one, Access: "rwm"}})
	for _, in := range all {
		if in.Symbol() == "rule_0" {
			t.Fatal("rules before a catch-all must not be emitted")
		}
	}
}

func TestParseCPUList(t *testing.T) {
	got := ParseCPUList("0-2,5, 7-7,x,9-8")
	want := []uint16{0, 1, 2, 5}
	if len(got) < len(want) {
		t.Fatalf("got %v", got)
	}
	for i, w := range want {
		if got[i] != w {
			t.Fatalf("got %v, want prefix %v", got, want)
		}
	}
	if len(ParseCPUList("")) != 0 {
		t.Fatal("empty list")
	}
}
