package libcontainer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// runHooks runs each hook of one kind in order with the container state on
// stdin, as the runtime-spec "POSIX-platform Hooks" section says, stopping
// at the first failure.
func runHooks(kind string, hooks []specs.Hook, state *specs.State) error {
	if len(hooks) == 0 {
		return nil
	}
	data, err := json.Marshal(state)
	if err != nil {
		return fmt.Errorf("%s hooks: encode state: %w", kind, err)
	}
	for i, h := range hooks {
		if err := runHook(h, data); err != nil {
			return fmt.Errorf("%s hook #%d: %w", kind, i, err)
		}
	}
	return nil
}

func runHook(h specs.Hook, state []byte) error {
	ctx := context.Background()
	if h.Timeout != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(*h.Timeout)*time.Second)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, h.Path)
	// args[0] is the hook's argv[0], as in execv(3); Path is what runs.
	if len(h.Args) > 0 {
		cmd.Args = h.Args
	} else {
		cmd.Args = []string{h.Path}
	}
	cmd.Env = h.Env
	if cmd.Env == nil {
		cmd.Env = []string{}
	}
	cmd.Stdin = bytes.NewReader(state)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// A hook that forks a daemon keeping the pipe open must not hang us.
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return fmt.Errorf("%s: timed out after %ds", h.Path, *h.Timeout)
	}
	if err != nil {
		msg := strings.TrimSpace(out.String())
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) && msg != "" {
			return fmt.Errorf("%s: %w, output: %s", h.Path, err, msg)
		}
		return fmt.Errorf("%s: %w", h.Path, err)
	}
	return nil
}

// ociState is the state the runtime-spec defines (and hooks receive).
func (c *Container) ociState(status Status) *specs.State {
	st := &specs.State{
		Version: specs.Version,
		ID:      c.ID,
		Status:  specs.ContainerState(status),
		Pid:     c.Pid(),
		Bundle:  c.State.Bundle,
	}
	if status == Creating {
		st.Pid = c.State.InitPid
	}
	if c.State.Config != nil {
		st.Annotations = c.State.Config.Annotations
	}
	return st
}

func hooksOf(spec *specs.Spec) *specs.Hooks {
	if spec == nil || spec.Hooks == nil {
		return &specs.Hooks{}
	}
	return spec.Hooks
}
