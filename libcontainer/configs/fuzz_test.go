package configs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func specsNS(s string) specs.LinuxNamespaceType { return specs.LinuxNamespaceType(s) }

func FuzzLoadAndValidate(f *testing.F) {
	f.Add([]byte(`{"ociVersion":"1.2.0","root":{"path":"rootfs"},"process":{"args":["sh"],"cwd":"/"},"linux":{"namespaces":[{"type":"pid"}]}}`))
	f.Add([]byte(`{"ociVersion":"1.0.0","mounts":[{"destination":"","type":"bind"}],"linux":{"sysctl":{"net.x":"1"}}}`))
	f.Add([]byte(`{`))
	// One bundle for all inputs: a directory per input made the fuzzer
	// spend its time in the filesystem. LoadSpec's file handling has its
	// own tests; the fuzzer works on parsing and validation.
	bundle := f.TempDir()
	if err := os.Mkdir(filepath.Join(bundle, "rootfs"), 0o755); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := ParseSpec(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "config.json: ") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		if err := Validate(spec, bundle); err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("multi-line error: %q", err)
		}
		Warnings(spec)
	})
}

func FuzzParseMountOptions(f *testing.F) {
	f.Add("tmpfs", "nosuid,ro,mode=755")
	f.Add("bind", "rbind,rro,rprivate")
	f.Fuzz(func(t *testing.T, typ, opts string) {
		var list []string
		start := 0
		for i := 0; i <= len(opts); i++ {
			if i == len(opts) || opts[i] == ',' {
				list = append(list, opts[start:i])
				start = i + 1
			}
		}
		ParseMountOptions(typ, list)
	})
}

func FuzzParseSignal(f *testing.F) {
	for _, s := range []string{"KILL", "9", "RTMIN+3", "SIGRTMAX-2", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if sig, err := ParseSignal(s); err == nil && (sig <= 0 || sig > 64) {
			t.Fatalf("ParseSignal(%q) = %d", s, sig)
		}
	})
}
