package libcontainer

import (
	"fmt"
	"unsafe"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/vessel-runtime/vessel/libcontainer/configs"
)

// capSets holds the five capability sets as bit masks.
type capSets struct {
	bounding, effective, permitted, inheritable, ambient uint64
}

func parseCapSets(c *specs.LinuxCapabilities) (capSets, error) {
	var s capSets
	if c == nil {
		return s, nil
	}
	sets := []struct {
		name  string
		names []string
		dst   *uint64
	}{
		{"bounding", c.Bounding, &s.bounding}, {"effective", c.Effective, &s.effective},
		{"permitted", c.Permitted, &s.permitted}, {"inheritable", c.Inheritable, &s.inheritable},
		{"ambient", c.Ambient, &s.ambient},
	}
	for _, set := range sets {
		for i, name := range set.names {
			n, err := configs.Capability(name)
			if err != nil {
				return s, fmt.Errorf("process.capabilities.%s[%d]: %w", set.name, i, err)
			}
			*set.dst |= 1 << uint(n)
		}
	}
	return s, nil
}

// dropBounding removes from the bounding set every capability not listed.
func (s capSets) dropBounding(lastCap int) error {
	for c := 0; c <= lastCap; c++ {
		if s.bounding&(1<<uint(c)) != 0 {
			continue
		}
		if err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0); err != nil {
			return fmt.Errorf("process.capabilities.bounding: drop %d: %w", c, err)
		}
	}
	return nil
}

// apply sets effective, permitted and inheritable with capset(2), then
// raises the ambient ones (which must be permitted and inheritable).
func (s capSets) apply(lastCap int) error {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	// Capabilities this kernel does not have are ignored, as runc does.
	valid := uint64(1)<<uint(lastCap+1) - 1
	s.effective, s.permitted, s.inheritable = s.effective&valid, s.permitted&valid, s.inheritable&valid
	for i := 0; i < 2; i++ {
		data[i].Effective = uint32(s.effective >> (32 * i))
		data[i].Permitted = uint32(s.permitted >> (32 * i))
		data[i].Inheritable = uint32(s.inheritable >> (32 * i))
	}
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return fmt.Errorf("process.capabilities: capset: %w", err)
	}
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil {
		return fmt.Errorf("process.capabilities.ambient: %w", err)
	}
	for c := 0; c <= lastCap; c++ {
		if s.ambient&(1<<uint(c)) == 0 {
			continue
		}
		if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_RAISE, uintptr(c), 0, 0); err != nil {
			return fmt.Errorf("process.capabilities.ambient: raise %d: %w", c, err)
		}
	}
	return nil
}

func uintptrOf(gids []uint32) uintptr { return uintptr(unsafe.Pointer(&gids[0])) }
