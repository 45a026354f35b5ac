// Package cgroups places containers in control groups and applies
// linux.resources, on cgroup v1, hybrid and pure v2 hosts.
//
// A Manager holds one directory per hierarchy: on v1 one per mounted
// controller hierarchy (plus the cgroup2 one on a hybrid host), on v2 one
// in the unified tree. Pure logic (value conversion, parsing of
// /proc/self/cgroup and mountinfo) lives in convert.go and parse.go and
// unit-tests without root; the rest writes cgroupfs files.
//
// Privileged: yes (cgroupfs writes, eBPF device programs).
package cgroups
