package process

import (
	"syscall"
	"testing"
	"time"
)

func TestStates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s                             State
		code                          int
		name                          string
		stopped, running, signallable bool
	}{
		{Stopped, 0, "STOPPED", true, false, false},
		{Starting, 10, "STARTING", false, true, true},
		{Running, 20, "RUNNING", false, true, true},
		{Backoff, 30, "BACKOFF", false, true, false},
		{Stopping, 40, "STOPPING", false, false, true},
		{Exited, 100, "EXITED", true, false, false},
		{Fatal, 200, "FATAL", true, false, false},
		{Unknown, 1000, "UNKNOWN", true, false, false},
	}
	for _, tt := range tests {
		if int(tt.s) != tt.code || tt.s.String() != tt.name {
			t.Errorf("State %d = %q; want %d %q", int(tt.s), tt.s, tt.code, tt.name)
		}
		if tt.s.IsStopped() != tt.stopped || tt.s.IsRunning() != tt.running || tt.s.IsSignallable() != tt.signallable {
			t.Errorf("%v: IsStopped, IsRunning, IsSignallable = %v, %v, %v; want %v, %v, %v", tt.s,
				tt.s.IsStopped(), tt.s.IsRunning(), tt.s.IsSignallable(), tt.stopped, tt.running, tt.signallable)
		}
	}
	if got := State(5).String(); got != "State(5)" {
		t.Errorf("State(5).String() = %q", got)
	}
}

func TestExitStatusString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e      ExitStatus
		status int
		want   string
	}{
		{ExitStatus{Code: 0}, 0, "exit status 0"},
		{ExitStatus{Code: 127}, 127, "exit status 127"},
		{ExitStatus{Signal: syscall.SIGTERM}, -1, "terminated by SIGTERM"},
		{ExitStatus{Signal: syscall.SIGSEGV, CoreDump: true}, -1, "terminated by SIGSEGV (core dumped)"},
		{ExitStatus{Signal: syscall.SIGIO}, -1, "terminated by SIGPOLL"},
		{ExitStatus{Signal: 40}, -1, "terminated by signal 40"},
	}
	for _, tt := range tests {
		if got := tt.e.String(); got != tt.want || tt.e.Status() != tt.status {
			t.Errorf("%+v: String, Status = %q, %d; want %q, %d", tt.e, got, tt.e.Status(), tt.want, tt.status)
		}
	}
}

func TestPolicyDefaults(t *testing.T) {
	t.Parallel()
	var p Policy
	if !p.expected(0) || p.expected(1) || p.expected(-1) {
		t.Errorf("nil ExitCodes: want only 0 expected")
	}
	if p.stopSignal() != syscall.SIGTERM {
		t.Errorf("zero StopSignal = %v; want SIGTERM", p.stopSignal())
	}
	p.ExitCodes = []int{}
	if p.expected(0) {
		t.Errorf("empty ExitCodes: want nothing expected")
	}
}

func TestSeconds(t *testing.T) {
	t.Parallel()
	for d, want := range map[int64]string{0: "0", 1e9: "1", 60e9: "60", 1.5e9: "1.5"} {
		if got := seconds(time.Duration(d)); got != want {
			t.Errorf("seconds(%d) = %q; want %q", d, got, want)
		}
	}
}
