package supervisor

import "testing"

func TestParseStatus(t *testing.T) {
	for _, tc := range []struct {
		name, status string
		pid          int
		zombie       bool
	}{
		{"host zombie", "Name:\tsleep\nState:\tZ (zombie)\nTgid:\t41\nPid:\t41\nNSpid:\t41\n", 41, true},
		{"zombie in a container seen through the host's /proc", "Name:\tsleep\nState:\tZ (zombie)\nPid:\t123456\nNSpid:\t123456\t9\n", 9, true},
		{"running", "Name:\tsleep\nState:\tS (sleeping)\nPid:\t12\nNSpid:\t12\t3\n", 3, false},
		{"old kernel without NSpid", "Name:\tx\nState:\tZ (zombie)\nPid:\t77\n", 77, true},
		{"garbage", "no colon here\n", 0, false},
	} {
		pid, zombie := parseStatus([]byte(tc.status))
		if pid != tc.pid || zombie != tc.zombie {
			t.Errorf("%s: parseStatus = %d, %v; want %d, %v", tc.name, pid, zombie, tc.pid, tc.zombie)
		}
	}
}
