package libcontainer

import (
	"encoding/binary"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// decodeRecords splits bootstrap data the way nsenter/nsexec.c does.
func decodeRecords(t *testing.T, data []byte) map[uint16][][]byte {
	t.Helper()
	out := map[uint16][][]byte{}
	for off := 0; off < len(data); {
		if off+4 > len(data) {
			t.Fatalf("truncated record header at %d", off)
		}
		typ := binary.LittleEndian.Uint16(data[off:])
		n := int(binary.LittleEndian.Uint16(data[off+2:]))
		if off+4+n > len(data) {
			t.Fatalf("truncated record at %d", off)
		}
		out[typ] = append(out[typ], data[off+4:off+4+n])
		off += 4 + n
	}
	return out
}

func TestBootstrapData(t *testing.T) {
	spec := &specs.Spec{Linux: &specs.Linux{
		Namespaces: []specs.LinuxNamespace{
			{Type: specs.PIDNamespace}, {Type: specs.NetworkNamespace, Path: "/proc/1/ns/net"},
			{Type: specs.TimeNamespace}, {Type: specs.UserNamespace},
		},
		TimeOffsets: map[string]specs.LinuxTimeOffset{"monotonic": {Secs: 3600}, "boottime": {Secs: -5, Nanosecs: 7}},
	}}
	data, err := bootstrapData(spec)
	if err != nil {
		t.Fatal(err)
	}
	recs := decodeRecords(t, data)
	flags := binary.LittleEndian.Uint32(recs[recCloneFlags][0])
	const want = 0x20000000 | unix.CLONE_NEWTIME | 0x10000000 // NEWPID | NEWTIME | NEWUSER
	if flags != want {
		t.Fatalf("clone flags %#x, want %#x", flags, want)
	}
	join := recs[recJoin]
	if len(join) != 1 || binary.LittleEndian.Uint32(join[0]) != 0x40000000 || string(join[0][4:]) != "/proc/1/ns/net\x00" {
		t.Fatalf("join records %q", join)
	}
	if got := string(recs[recTimens][0]); got != "monotonic 3600 0\nboottime -5 7\n\x00" {
		t.Fatalf("timens record %q", got)
	}
}

func TestBootstrapDataNoTimeNamespaceNoOffsets(t *testing.T) {
	spec := &specs.Spec{Linux: &specs.Linux{
		TimeOffsets: map[string]specs.LinuxTimeOffset{"monotonic": {Secs: 1}},
	}}
	data, err := bootstrapData(spec)
	if err != nil {
		t.Fatal(err)
	}
	if recs := decodeRecords(t, data); len(recs[recTimens]) != 0 {
		t.Fatal("offsets must only be sent with a new time namespace")
	}
}
