package libcontainer

import (
	"encoding/json"
	"errors"
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/vessel-runtime/vessel/cgroups"
)

// Manager is the container's cgroup manager, loaded from its state.
func (c *Container) Manager() (cgroups.Manager, error) {
	if len(c.State.Cgroups) == 0 {
		return nil, errNoCgroup
	}
	return cgroups.Load(c.State.Cgroups)
}

// Pause freezes a running container.
func (c *Container) Pause() error {
	switch c.Status() {
	case Running, Created:
	case Paused:
		return errors.New("container already paused")
	default:
		return errors.New("container not running")
	}
	mgr, err := c.Manager()
	if err != nil {
		return err
	}
	return mgr.Freeze()
}

// Resume thaws a paused container.
func (c *Container) Resume() error {
	if c.Status() != Paused {
		return errors.New("container not paused")
	}
	mgr, err := c.Manager()
	if err != nil {
		return err
	}
	return mgr.Thaw()
}

// Resources is the container's current linux.resources.
func (c *Container) Resources() *specs.LinuxResources {
	if c.State.Config == nil || c.State.Config.Linux == nil || c.State.Config.Linux.Resources == nil {
		return &specs.LinuxResources{}
	}
	return c.State.Config.Linux.Resources
}

// Update applies new resources. If the kernel refuses any value, the old
// ones are written back, so the container keeps its previous limits.
func (c *Container) Update(r *specs.LinuxResources) error {
	switch c.Status() {
	case Stopped, Creating:
		return errors.New("container not running")
	}
	mgr, err := c.Manager()
	if err != nil {
		return err
	}
	old := c.Resources()
	apply := *r
	if r.Devices != nil {
		spec := *c.State.Config
		linux := *spec.Linux
		linux.Resources = r
		spec.Linux = &linux
		apply.Devices = containerResources(&spec).Devices
	}
	if err := mgr.Set(&apply); err != nil {
		restore := *old
		restore.Devices = nil
		if rerr := mgr.Set(&restore); rerr != nil {
			return fmt.Errorf("%w (and restoring the old limits failed: %v)", err, rerr)
		}
		return err
	}
	if c.State.Config.Linux == nil {
		c.State.Config.Linux = &specs.Linux{}
	}
	c.State.Config.Linux.Resources = r
	return c.save()
}

// deepCopyResources copies resources through JSON (they hold pointers).
func deepCopyResources(r *specs.LinuxResources) *specs.LinuxResources {
	out := &specs.LinuxResources{}
	data, _ := json.Marshal(r)
	json.Unmarshal(data, out)
	return out
}

// CurrentResources is a copy of the container's resources to modify.
func (c *Container) CurrentResources() *specs.LinuxResources {
	return deepCopyResources(c.Resources())
}
