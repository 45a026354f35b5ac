// Command vessel is an OCI container runtime with runc's command line.
package main

import (
	"fmt"
	"os"
	"runtime"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/urfave/cli/v2"

	"github.com/vessel-runtime/vessel/libcontainer"
	_ "github.com/vessel-runtime/vessel/nsenter" // the init's pre-Go stub
)

// Set by the Makefile.
var (
	version   = "0.0.0-dev"
	gitCommit = "unknown"
)

var usage = `an OCI container runtime

vessel runs containers from OCI bundles: a directory holding config.json
(runtime-spec ` + specs.Version + `) and a root filesystem. Its commands and flags
are runc's, so containerd, podman and Docker can use it in runc's place.

   # make a bundle, then run it
   mkdir -p mycontainer/rootfs && cd mycontainer
   cp /bin/busybox rootfs/ && vessel spec
   vessel run demo`

func main() {
	if len(os.Args) > 1 && os.Args[1] == "init" {
		libcontainer.Init() // never returns
	}
	app := newApp()
	if err := app.Run(os.Args); err != nil {
		fatal(err)
	}
}

func newApp() *cli.App {
	cli.VersionPrinter = func(c *cli.Context) {
		fmt.Printf("vessel version %s\ncommit: %s\nspec: %s\ngo: %s\n",
			version, gitCommit, specs.Version, runtime.Version())
	}
	return &cli.App{
		Name:    "vessel",
		Usage:   usage,
		Version: version,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "debug", Usage: "enable debug logging"},
			&cli.StringFlag{Name: "log", Usage: "write log lines to this file instead of stderr"},
			&cli.StringFlag{Name: "log-format", Value: "text", Usage: "log format: text or json"},
			&cli.StringFlag{Name: "root", Value: "/run/vessel", Usage: "directory holding container state (unprivileged: $XDG_RUNTIME_DIR/vessel)"},
			&cli.StringFlag{Name: "criu", Hidden: true, Usage: "accepted for runc compatibility; unused"},
			&cli.BoolFlag{Name: "systemd-cgroup", Usage: "not supported: vessel manages cgroupfs directly"},
			&cli.StringFlag{Name: "rootless", Value: "auto", Usage: "accepted for runc compatibility: auto, true or false"},
		},
		Before: setupLogging,
		Commands: []*cli.Command{
			createCommand, startCommand, runCommand, stateCommand, killCommand,
			deleteCommand, listCommand, specCommand, execCommand, pauseCommand, resumeCommand, updateCommand, eventsCommand, psCommand, featuresCommand,
			manCommand, docsCommand,
		},
		ExitErrHandler:       func(*cli.Context, error) {},
		EnableBashCompletion: true,
		HideHelpCommand:      false,
	}
}
