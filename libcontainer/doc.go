// Package libcontainer creates, starts, signals and destroys containers from
// OCI bundles. The parent side (spawn, state, hooks) runs in the vessel
// command; the child side (Init) runs as the container's init after the
// nsenter stub has set up its namespaces.
//
// Privileged: yes. Pure logic lives in libcontainer/configs.
package libcontainer
