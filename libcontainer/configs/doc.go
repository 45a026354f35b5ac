// Package configs loads and validates an OCI bundle's config.json and holds
// the tables (capabilities, signals, rlimits, namespaces, mount options)
// the rest of vessel and `vessel features` share.
//
// Privileged: no. Pure logic, except CheckNamespacePath, which opens the
// namespace file it checks.
package configs
