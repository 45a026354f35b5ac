package libcontainer

import "testing"

func TestParseProcStat(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		state byte
		start uint64
		ok    bool
	}{
		{"plain", "42 (sleep) S 1 42 42 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 12345 1000 10", 'S', 12345, true},
		{"spaces and parens in comm", "42 (a) b) (c) Z 1 42 42 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 777 1000 10", 'Z', 777, true},
		{"truncated", "42 (sleep) S 1 2", 0, 0, false},
		{"no paren", "garbage", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := parseProcStat([]byte(tt.in))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && (st.state != tt.state || st.start != tt.start) {
				t.Fatalf("got %c/%d, want %c/%d", st.state, st.start, tt.state, tt.start)
			}
		})
	}
}

func TestInitAliveRejectsWrongStartTime(t *testing.T) {
	st, err := readProcStat(1)
	if err != nil {
		t.Skipf("no /proc/1/stat: %v", err)
	}
	if !initAlive(1, st.start) {
		t.Fatal("pid 1 with its own start time should be alive")
	}
	if initAlive(1, st.start+1) {
		t.Fatal("a recycled pid (other start time) must count as dead")
	}
	if initAlive(0, 0) {
		t.Fatal("pid 0 must count as dead")
	}
}
