package configs

import "fmt"

// MaxIDLength bounds container IDs. runc has no limit; a 10000-character ID
// would make paths (state dir, cgroup) the kernel refuses half-way, so we
// refuse it up front.
const MaxIDLength = 1024

// ValidateID accepts what runc accepts: letters, digits, '_', '+', '-', '.',
// not "." or "..".
func ValidateID(id string) error {
	bad := func(msg string) error {
		return &Error{Problems: []Problem{{Code: "bad-id", Msg: fmt.Sprintf("invalid container ID %q: %s", truncate(id), msg)}}}
	}
	switch {
	case id == "":
		return bad("empty")
	case id == "." || id == "..":
		return bad("must not be . or ..")
	case len(id) > MaxIDLength:
		return bad(fmt.Sprintf("longer than %d characters", MaxIDLength))
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '+' || r == '-' || r == '.'
		if !ok {
			return bad("only letters, digits, '_', '+', '-' and '.' are allowed")
		}
	}
	return nil
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
