package libcontainer

import (
	"fmt"
	"os"
	"strings"
)

// apparmorEnabled reports whether the host kernel enforces AppArmor.
func apparmorEnabled() bool {
	data, err := os.ReadFile("/sys/module/apparmor/parameters/enabled")
	return err == nil && strings.HasPrefix(string(data), "Y")
}

// applyApparmor makes the next execve switch to the profile, as runc does:
// "exec <profile>" written to the thread's attr/apparmor/exec (or the older
// attr/exec). A profile on a host without AppArmor is an error rather than
// silently running unconfined.
func applyApparmor(profile string) error {
	if profile == "" {
		return nil
	}
	if !apparmorEnabled() {
		return fmt.Errorf("process.apparmorProfile: %q is set but AppArmor is not enabled on this host", profile)
	}
	for _, p := range []string{"/proc/thread-self/attr/apparmor/exec", "/proc/thread-self/attr/exec"} {
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			continue
		}
		_, err = f.WriteString("exec " + profile)
		f.Close()
		if err != nil {
			return fmt.Errorf("process.apparmorProfile: %w", err)
		}
		return nil
	}
	return fmt.Errorf("process.apparmorProfile: no AppArmor attribute file")
}
