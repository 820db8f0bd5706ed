package mainlog

import (
	"log/slog"
	"testing"
)

func TestParseLevel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want slog.Level
		ok   bool
	}{
		{"critical", LevelCritical, true},
		{"error", LevelError, true},
		{"warn", LevelWarn, true},
		{"info", LevelInfo, true},
		{"INFO", LevelInfo, true},
		{"Debug", LevelDebug, true},
		{"trace", LevelTrace, true},
		{"blather", LevelBlather, true},
		{"warning", 0, false},
		{"crit", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseLevel(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if _, err := ParseLevel("warning"); err == nil || err.Error() != "bad logging level name 'warning'" {
		t.Errorf("ParseLevel(warning): err = %v", err)
	}
}

func TestLevelName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		l    slog.Level
		want string
	}{
		{LevelCritical, "CRIT"}, {LevelCritical + 10, "CRIT"},
		{LevelError, "ERRO"}, {LevelWarn, "WARN"}, {LevelWarn - 1, "INFO"},
		{LevelInfo, "INFO"}, {LevelInfo + 2, "INFO"}, {LevelDebug, "DEBG"},
		{LevelTrace, "TRAC"}, {LevelBlather, "BLAT"}, {-100, "BLAT"},
	}
	for _, tt := range tests {
		if got := LevelName(tt.l); got != tt.want {
			t.Errorf("LevelName(%v) = %s; want %s", tt.l, got, tt.want)
		}
	}
}

func TestLevelOf(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]slog.Level{
		50: LevelCritical, 40: LevelError, 30: LevelWarn, 20: LevelInfo,
		10: LevelDebug, 5: LevelTrace, 3: LevelBlather, 25: LevelInfo, 0: LevelBlather,
	} {
		if got := LevelOf(n); got != want {
			t.Errorf("LevelOf(%d) = %v; want %v", n, got, want)
		}
	}
}
