package configs

import (
	"os"
	"path/filepath"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func specsNS(s string) specs.LinuxNamespaceType { return specs.LinuxNamespaceType(s) }

func FuzzLoadAndValidate(f *testing.F) {
	f.Add([]byte(`{"ociVersion":"1.2.0","root":{"path":"rootfs"},"process":{"args":["sh"],"cwd":"/"},"linux":{"namespaces":[{"type":"pid"}]}}`))
	f.Add([]byte(`{"ociVersion":"1.0.0","mounts":[{"destination":"","type":"bind"}],"linux":{"sysctl":{"net.x":"1"}}}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		bundle := t.TempDir()
		os.Mkdir(filepath.Join(bundle, "rootfs"), 0o755)
		if err := os.WriteFile(filepath.Join(bundle, "config.json"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		spec, err := LoadSpec(bundle)
		if err != nil {
			return
		}
		Validate(spec, bundle)
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
