package main

import (
	"encoding/json"
	"os"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/opencontainers/runtime-spec/specs-go/features"
	"github.com/urfave/cli/v2"

	"github.com/vessel-runtime/vessel/libcontainer/configs"
	"github.com/vessel-runtime/vessel/seccomp"
)

var featuresCommand = &cli.Command{
	Name:  "features",
	Usage: "print what this build of vessel supports, as runtime-spec features JSON",
	Description: `Prints the runtime-spec "features" document: accepted ociVersion range,
hooks, mount options, namespaces, capabilities, cgroup drivers, seccomp
actions, operators, architectures and flags. Every list comes from the same
tables the code uses to validate a config.

Example:
   vessel features | jq .linux.seccomp.actions`,
	Action: func(ctx *cli.Context) error {
		if err := checkArgs(ctx, 0); err != nil {
			return err
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "    ")
		return enc.Encode(buildFeatures())
	},
}

func buildFeatures() *features.Features {
	yes, no := true, false
	return &features.Features{
		OCIVersionMin: "1.0.0",
		OCIVersionMax: specs.Version,
		Hooks:         []string{"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"},
		MountOptions:  configs.MountOptionNames(),
		Linux: &features.Linux{
			Namespaces:   configs.NamespaceTypes(),
			Capabilities: configs.CapabilityNames(),
			Cgroup:       &features.Cgroup{V1: &yes, V2: &yes, Systemd: &no, SystemdUser: &no, Rdma: &yes},
			Seccomp: &features.Seccomp{
				Enabled: &yes, Actions: seccomp.Actions(), Operators: seccomp.Operators(),
				Archs: seccomp.Archs(), KnownFlags: seccomp.SupportedFlags(), SupportedFlags: seccomp.SupportedFlags(),
			},
			Apparmor:        &features.Apparmor{Enabled: &no},
			Selinux:         &features.Selinux{Enabled: &no},
			IntelRdt:        &features.IntelRdt{Enabled: &no},
			MountExtensions: &features.MountExtensions{IDMap: &features.IDMap{Enabled: &no}},
		},
		Annotations: map[string]string{
			"io.github.vessel-runtime.version": version,
			"io.github.vessel-runtime.commit":  gitCommit,
		},
	}
}
