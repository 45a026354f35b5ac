package main

import (
	"encoding/json"
	"os"
	"os/user"
	"strconv"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/vessel-runtime/vessel/libcontainer"
)

// containerState is the JSON of `state` and `list --format json`: the OCI
// state plus runc's extra fields, with runc's names and order.
type containerState struct {
	Version     string            `json:"ociVersion"`
	ID          string            `json:"id"`
	Pid         int               `json:"pid"`
	Status      string            `json:"status"`
	Bundle      string            `json:"bundle"`
	Rootfs      string            `json:"rootfs"`
	Created     time.Time         `json:"created"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Owner       string            `json:"owner"`
}

func stateOf(c *libcontainer.Container) containerState {
	st := containerState{
		ID: c.ID, Pid: c.Pid(), Status: string(c.Status()),
		Bundle: c.State.Bundle, Rootfs: c.State.Rootfs, Created: c.State.Created,
		Owner: ownerOf(c.Dir),
	}
	if cfg := c.State.Config; cfg != nil {
		st.Version, st.Annotations = cfg.Version, cfg.Annotations
	}
	return st
}

// ownerOf names the user owning the state directory, as runc's list does.
func ownerOf(dir string) string {
	info, err := os.Stat(dir)
	if err != nil {
		return ""
	}
	uid := strconv.FormatUint(uint64(info.Sys().(*syscall.Stat_t).Uid), 10)
	if u, err := user.LookupId(uid); err == nil {
		return u.Username
	}
	return "#" + uid
}

var stateCommand = &cli.Command{
	Name:      "state",
	Usage:     "print the state of a container as JSON",
	ArgsUsage: "<container-id>",
	Description: `Prints the OCI state of the container (id, pid, status, bundle, ...)
plus runc's fields (rootfs, created, owner). pid is 0 once the container
has stopped.

Example:
   vessel state demo | jq -r .status`,
	Action: func(ctx *cli.Context) error {
		if err := checkArgs(ctx, 1); err != nil {
			return err
		}
		c, err := openContainer(ctx, false)
		if err != nil {
			return err
		}
		data, err := json.MarshalIndent(stateOf(c), "", "  ")
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(append(data, '\n'))
		return err
	},
}
