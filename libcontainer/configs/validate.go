package configs

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// Validate checks a spec against the runtime-spec and what vessel
// supports. It returns *Error listing every problem, or nil.
func Validate(spec *specs.Spec, bundle string) error {
	p := &problems{}
	validateVersion(p, spec.Version)
	validateRoot(p, spec.Root, bundle)
	if spec.Process != nil {
		validateProcess(p, spec.Process)
	}
	validateMounts(p, spec.Mounts)
	validateHooks(p, spec.Hooks)
	if spec.Linux != nil {
		validateLinux(p, spec)
	} else if spec.Hostname != "" {
		p.add("invalid-field", "hostname", "requires a private UTS namespace")
	}
	return p.err()
}

func validateVersion(p *problems, v string) {
	if v == "" {
		p.add("missing-field", "ociVersion", "missing")
		return
	}
	major, rest, _ := strings.Cut(v, ".")
	minor, _, _ := strings.Cut(rest, ".")
	minor, _, _ = strings.Cut(minor, "-")
	mi, err := strconv.Atoi(minor)
	if major != "1" || err != nil || mi > 3 {
		p.add("unsupported-version", "ociVersion", fmt.Sprintf("unsupported version %q (vessel supports 1.0.0 to %s)", v, specs.Version))
	}
}

func validateRoot(p *problems, root *specs.Root, bundle string) {
	if root == nil || root.Path == "" {
		p.add("missing-field", "root.path", "missing")
		return
	}
	rootfs := root.Path
	if !filepath.IsAbs(rootfs) {
		rootfs = filepath.Join(bundle, rootfs)
	}
	info, err := os.Stat(rootfs)
	switch {
	case err != nil:
		p.add("not-found", "root.path", fmt.Sprintf("rootfs %s: %v", rootfs, unwrapPathError(err)))
	case !info.IsDir():
		p.add("invalid-field", "root.path", fmt.Sprintf("rootfs %s: not a directory", rootfs))
	}
}

func validateProcess(p *problems, proc *specs.Process) {
	if len(proc.Args) == 0 && proc.CommandLine == "" {
		p.add("missing-field", "process.args", "must not be empty")
	}
	if proc.Cwd == "" {
		p.add("missing-field", "process.cwd", "missing")
	} else if !path.IsAbs(proc.Cwd) {
		p.add("invalid-field", "process.cwd", fmt.Sprintf("%q is not an absolute path", proc.Cwd))
	}
	if c := proc.Capabilities; c != nil {
		for _, set := range []struct {
			name  string
			names []string
		}{{"bounding", c.Bounding}, {"effective", c.Effective}, {"permitted", c.Permitted}, {"inheritable", c.Inheritable}, {"ambient", c.Ambient}} {
			for i, n := range set.names {
				if _, err := Capability(n); err != nil {
					p.add("invalid-capability", fmt.Sprintf("process.capabilities.%s[%d]", set.name, i), err.Error())
				}
			}
		}
	}
	seen := map[string]bool{}
	for i, rl := range proc.Rlimits {
		field := fmt.Sprintf("process.rlimits[%d]", i)
		if _, err := Rlimit(rl.Type); err != nil {
			p.add("invalid-rlimit", field+".type", err.Error())
		} else if seen[rl.Type] {
			p.add("invalid-rlimit", field+".type", fmt.Sprintf("duplicate rlimit %q", rl.Type))
		}
		seen[rl.Type] = true
		if rl.Soft > rl.Hard {
			p.add("invalid-rlimit", field, fmt.Sprintf("soft limit %d exceeds hard limit %d", rl.Soft, rl.Hard))
		}
	}
	if proc.OOMScoreAdj != nil && (*proc.OOMScoreAdj < -1000 || *proc.OOMScoreAdj > 1000) {
		p.add("invalid-field", "process.oomScoreAdj", fmt.Sprintf("%d is out of range [-1000, 1000]", *proc.OOMScoreAdj))
	}
}

func validateMounts(p *problems, mounts []specs.Mount) {
	if len(mounts) > MaxMounts {
		p.add("too-many", "mounts", fmt.Sprintf("%d mounts exceed the limit of %d", len(mounts), MaxMounts))
		return
	}
	for i, m := range mounts {
		field := fmt.Sprintf("mounts[%d]", i)
		if m.Destination == "" {
			p.add("bad-mount", field+".destination", "missing")
			continue
		}
		if strings.ContainsRune(m.Destination, 0) || len(m.Destination) > 4096 {
			p.add("bad-mount", field+".destination", "invalid path")
		}
		opts, _ := ParseMountOptions(m.Type, m.Options)
		if opts.Bind && m.Source == "" {
			p.add("bad-mount", field+".source", "a bind mount needs a source")
		}
		if opts.IDMap || len(m.UIDMappings) > 0 || len(m.GIDMappings) > 0 {
			p.add("unsupported", field+".options", "idmapped mounts are not supported")
		}
		if !opts.Bind && m.Type == "" {
			p.add("bad-mount", field+".type", "missing (and the mount is not a bind mount)")
		}
	}
}

// MaxMounts bounds the mount list: a bundle of 100000 mounts would take
// minutes to set up and tear down.
const MaxMounts = 4096

func validateHooks(p *problems, h *specs.Hooks) {
	if h == nil {
		return
	}
	//nolint:staticcheck // prestart is deprecated but still valid.
	for _, kind := range []struct {
		name  string
		hooks []specs.Hook
	}{{"prestart", h.Prestart}, {"createRuntime", h.CreateRuntime}, {"createContainer", h.CreateContainer},
		{"startContainer", h.StartContainer}, {"poststart", h.Poststart}, {"poststop", h.Poststop}} {
		for i, hook := range kind.hooks {
			field := fmt.Sprintf("hooks.%s[%d]", kind.name, i)
			if !path.IsAbs(hook.Path) {
				p.add("invalid-hook", field+".path", fmt.Sprintf("%q is not an absolute path", hook.Path))
			}
			if hook.Timeout != nil && *hook.Timeout <= 0 {
				p.add("invalid-hook", field+".timeout", "must be greater than zero")
			}
		}
	}
}
