package config

import (
	"slices"
	"syscall"
	"testing"
)

func TestParseByteSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"0", 0, false}, {"1024", 1024, false}, {"10kb", 10 << 10, false}, {"10KB", 10 << 10, false},
		{"50MB", 50 << 20, false}, {"1GB", 1 << 30, false}, {"2gB", 2 << 30, false}, {"10 MB", 10 << 20, false},
		{"1_000", 1000, false}, {"+5mb", 5 << 20, false},
		{"5B", 0, true}, {"5k", 0, true}, {"1.5MB", 0, true}, {"MB", 0, true}, {"", 0, true},
		{"-1MB", 0, true}, {"10MB ", 0, true}, {"9999999999GB", 0, true},
	}
	for _, tt := range tests {
		got, err := parseByteSize(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseBool(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"true", "YES", "on", "1", "True"} {
		if v, err := parseBool(s); !v || err != nil {
			t.Errorf("parseBool(%q) = %v, %v; want true", s, v, err)
		}
	}
	for _, s := range []string{"false", "No", "OFF", "0"} {
		if v, err := parseBool(s); v || err != nil {
			t.Errorf("parseBool(%q) = %v, %v; want false", s, v, err)
		}
	}
	for _, s := range []string{"", "y", "2", " true", "maybe"} {
		if _, err := parseBool(s); err == nil {
			t.Errorf("parseBool(%q): want an error", s)
		}
	}
}

func TestParseSignal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    syscall.Signal
		wantErr bool
	}{
		{"TERM", syscall.SIGTERM, false}, {"SIGTERM", syscall.SIGTERM, false}, {"term", syscall.SIGTERM, false},
		{" hup ", syscall.SIGHUP, false}, {"9", syscall.SIGKILL, false}, {"0", 0, false},
		{"USR2", syscall.SIGUSR2, false}, {"IOT", syscall.SIGABRT, false}, {"RTMAX", 64, false},
		{"TERMM", 0, true}, {"SIG", 0, true}, {"40", 0, true}, {"65", 0, true}, {"_DFL", 0, true}, {"", 0, true},
	}
	for _, tt := range tests {
		got, err := parseSignal(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("parseSignal(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    []int
		wantErr bool
	}{
		{"0", []int{0}, false}, {"0,2", []int{0, 2}, false}, {" 1 , 3 ", []int{1, 3}, false},
		{"", []int{}, false}, {"255", []int{255}, false},
		{"256", nil, true}, {"-1", nil, true}, {"0,", nil, true}, {"0;2", nil, true},
	}
	for _, tt := range tests {
		got, err := parseExitCodes(tt.in)
		if !slices.Equal(got, tt.want) || (err != nil) != tt.wantErr {
			t.Errorf("parseExitCodes(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseOctalAndAutoRestart(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]uint32{"022": 0o22, "0o700": 0o700, "7": 7, "0O_7": 7, "000": 0} {
		if got, err := parseOctal(in); got != want || err != nil {
			t.Errorf("parseOctal(%q) = %o, %v; want %o", in, got, err, want)
		}
	}
	for _, in := range []string{"089", "", "0x1", "-1", "17777"} {
		if _, err := parseOctal(in); err == nil {
			t.Errorf("parseOctal(%q): want an error", in)
		}
	}
	for in, want := range map[string]AutoRestart{"true": RestartAlways, "OFF": RestartNever, "Unexpected": RestartUnexpected} {
		if got, err := parseAutoRestart(in); got != want || err != nil {
			t.Errorf("parseAutoRestart(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

func TestParseInetAddress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, host string
		port     int
		wantErr  bool
	}{
		{"127.0.0.1:9001", "127.0.0.1", 9001, false}, {"*:9001", "", 9001, false}, {":9001", "", 9001, false},
		{"9001", "", 9001, false}, {"LocalHost:1", "localhost", 1, false}, {"[::1]:9001", "[::1]", 9001, false},
		{"host:", "", 0, true}, {"host:0", "", 0, true}, {"70000", "", 0, true}, {"host", "", 0, true},
	}
	for _, tt := range tests {
		host, port, err := parseInetAddress(tt.in)
		if host != tt.host || port != tt.port || (err != nil) != tt.wantErr {
			t.Errorf("parseInetAddress(%q) = %q, %d, %v; want %q, %d, error %v", tt.in, host, port, err, tt.host, tt.port, tt.wantErr)
		}
	}
}

func TestEnvSetKeepsFirstPlace(t *testing.T) {
	t.Parallel()
	env := Env{}.Set("A", "1").Set("B", "2").Set("A", "3")
	if got := env.Strings(); !slices.Equal(got, []string{"A=3", "B=2"}) {
		t.Errorf("Env.Strings() = %q; want [A=3 B=2]", got)
	}
	if v, ok := env.Lookup("B"); v != "2" || !ok {
		t.Errorf("Env.Lookup(B) = %q, %v", v, ok)
	}
}
