package supervisor

import (
	"runtime/debug"
	"testing"
)

// TestStartupGC: the start-up burst runs with a lower GC target, which is
// restored afterwards, unless the daemon's environment sets GOGC, which
// is then left alone. Not parallel: the GC target is the process's.
func TestStartupGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	tests := []struct {
		name    string
		environ []string
		during  int
	}{
		{"default", []string{"PATH=/bin"}, startupGCPercent},
		{"GOGC set", []string{"GOGC=100", "PATH=/bin"}, 100},
	}
	for _, tt := range tests {
		s := &Supervisor{opts: Options{Environ: tt.environ}}
		restore := s.startupGC()
		if got := debug.SetGCPercent(-1); got != tt.during {
			t.Errorf("%s: GC target during start-up = %d; want %d", tt.name, got, tt.during)
		}
		debug.SetGCPercent(tt.during)
		restore()
		if got := debug.SetGCPercent(100); got != 100 {
			t.Errorf("%s: GC target after = %d; want 100 restored", tt.name, got)
		}
	}

	// A reload's start-up that begins before the last one's ends: the
	// target is restored only when both have ended, and then to 100.
	s := &Supervisor{opts: Options{Environ: []string{"PATH=/bin"}}}
	first := s.startupGC()
	second := s.startupGC()
	first()
	first() // once only
	if got := debug.SetGCPercent(-1); got != startupGCPercent {
		t.Errorf("with one start-up left, GC target = %d; want %d", got, startupGCPercent)
	}
	debug.SetGCPercent(startupGCPercent)
	second()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after both, GC target = %d; want 100", got)
	}
}
