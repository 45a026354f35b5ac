package cgroups

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// SharesToWeight converts v1 cpu.shares (2..262144, default 1024) to v2
// cpu.weight (1..10000, default 100) with the quadratic fit runc 1.3 and
// crun use, which maps min, default and max onto each other (the older
// linear formula mapped 1024 to 39).
func SharesToWeight(shares uint64) uint64 {
	switch {
	case shares == 0:
		return 0
	case shares <= 2:
		return 1
	case shares >= 262144:
		return 10000
	}
	l := math.Log2(float64(shares))
	exponent := (l*l+125*l)/612.0 - 7.0/34.0
	return uint64(math.Ceil(math.Pow(10, exponent)))
}

// BlkioWeightToIOWeight converts blkio.weight (10..1000) to io.weight
// (1..10000), as runc does.
func BlkioWeightToIOWeight(w uint16) uint64 {
	if w == 0 {
		return 0
	}
	return 1 + (uint64(w)-10)*9999/990
}

// SwapV2 converts the spec's memory.swap, which is memory+swap as v1's
// memsw, to v2's memory.swap.max, which is swap alone. -1 is unlimited.
// ok is false when nothing is to be written.
func SwapV2(limit, swap *int64) (value string, ok bool, err error) {
	if swap == nil {
		return "", false, nil
	}
	if *swap == -1 {
		return "max", true, nil
	}
	if limit == nil || *limit == -1 {
		return "", false, fmt.Errorf("memory.swap %d needs memory.limit on cgroup v2 (swap is memory+swap)", *swap)
	}
	if *swap < *limit {
		return "", false, fmt.Errorf("memory.swap %d must not be below memory.limit %d", *swap, *limit)
	}
	return strconv.FormatInt(*swap-*limit, 10), true, nil
}

// limitValue renders a byte limit: -1 is "max" on v2 and -1 on v1.
func limitValue(v int64, v2 bool) string {
	if v == -1 && v2 {
		return "max"
	}
	return strconv.FormatInt(v, 10)
}

// CPUMax renders v2 cpu.max from quota and period.
func CPUMax(quota *int64, period *uint64) (string, bool) {
	if quota == nil && period == nil {
		return "", false
	}
	q := "max"
	if quota != nil && *quota > 0 {
		q = strconv.FormatInt(*quota, 10)
	}
	p := uint64(100000)
	if period != nil && *period != 0 {
		p = *period
	}
	return q + " " + strconv.FormatUint(p, 10), true
}

// PidsMax renders pids.max: 0 or less is unlimited.
func PidsMax(limit int64) string {
	if limit <= 0 {
		return "max"
	}
	return strconv.FormatInt(limit, 10)
}

// IOMax renders the io.max lines of the throttle settings, one per device.
func IOMax(b *specs.LinuxBlockIO) []string {
	type key struct{ major, minor int64 }
	order := []key{}
	vals := map[key][]string{}
	add := func(list []specs.LinuxThrottleDevice, name string) {
		for _, d := range list {
			k := key{d.Major, d.Minor}
			if _, ok := vals[k]; !ok {
				order = append(order, k)
			}
			vals[k] = append(vals[k], fmt.Sprintf("%s=%d", name, d.Rate))
		}
	}
	add(b.ThrottleReadBpsDevice, "rbps")
	add(b.ThrottleWriteBpsDevice, "wbps")
	add(b.ThrottleReadIOPSDevice, "riops")
	add(b.ThrottleWriteIOPSDevice, "wiops")
	var out []string
	for _, k := range order {
		out = append(out, fmt.Sprintf("%d:%d %s", k.major, k.minor, strings.Join(vals[k], " ")))
	}
	return out
}

// ValidateUnifiedKey refuses a linux.resources.unified key that is not a
// plain cgroupfs file name of some controller ("memory.high").
func ValidateUnifiedKey(key string) error {
	if key == "" || strings.ContainsAny(key, "/\x00") || key == "." || key == ".." || !strings.Contains(key, ".") {
		return fmt.Errorf("linux.resources.unified: invalid key %q", key)
	}
	if strings.HasPrefix(key, "cgroup.") && key != "cgroup.max.depth" && key != "cgroup.max.descendants" {
		return fmt.Errorf("linux.resources.unified: %q may not be set", key)
	}
	return nil
}
