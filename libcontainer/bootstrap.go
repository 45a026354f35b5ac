package libcontainer

import (
	"encoding/binary"
	"fmt"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/vessel-runtime/vessel/libcontainer/configs"
	"golang.org/x/sys/unix"
)

// bootstrapData encodes what the C stub needs (nsenter/nsexec.h): the
// namespaces to unshare, those to join, and the time namespace offsets.
func bootstrapData(spec *specs.Spec) ([]byte, error) {
	var flags uint32
	var out []byte
	if spec.Linux != nil {
		for i, ns := range spec.Linux.Namespaces {
			flag, err := configs.NamespaceFlag(ns.Type)
			if err != nil {
				return nil, fmt.Errorf("linux.namespaces[%d].type: %w", i, err)
			}
			if ns.Path == "" {
				flags |= uint32(flag)
				continue
			}
			val := binary.LittleEndian.AppendUint32(nil, uint32(flag))
			val = append(append(val, ns.Path...), 0)
			out = appendRecord(out, recJoin, val)
		}
		if offsets := timensOffsets(spec.Linux.TimeOffsets); offsets != "" && flags&unix.CLONE_NEWTIME != 0 {
			out = appendRecord(out, recTimens, append([]byte(offsets), 0))
		}
	}
	out = appendRecord(out, recCloneFlags, binary.LittleEndian.AppendUint32(nil, flags))
	return out, nil
}

func appendRecord(out []byte, typ uint16, val []byte) []byte {
	out = binary.LittleEndian.AppendUint16(out, typ)
	out = binary.LittleEndian.AppendUint16(out, uint16(len(val)))
	return append(out, val...)
}

// timensOffsets renders linux.timeOffsets in the format of
// /proc/<pid>/timens_offsets: "<clock> <secs> <nanosecs>" per line.
func timensOffsets(offsets map[string]specs.LinuxTimeOffset) string {
	var b strings.Builder
	for _, clock := range []string{"monotonic", "boottime"} {
		if off, ok := offsets[clock]; ok {
			fmt.Fprintf(&b, "%s %d %d\n", clock, off.Secs, off.Nanosecs)
		}
	}
	return b.String()
}
