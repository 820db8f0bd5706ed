package supervisor

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// TestStartupTuning: a start-up runs with a lower GC target and the
// GOMAXPROCS the daemon began with; once it has settled, the GC target is
// restored and GOMAXPROCS becomes SteadyProcs. The daemon's environment
// setting GOGC keeps the GC target; SteadyProcs 0 keeps GOMAXPROCS;
// without TuneRuntime nothing changes. Not parallel: both are the
// process's.
func TestStartupTuning(t *testing.T) {
	gcBefore := debug.SetGCPercent(100)
	procsBefore := runtime.GOMAXPROCS(3)
	defer debug.SetGCPercent(gcBefore)
	defer runtime.GOMAXPROCS(procsBefore)
	tests := []struct {
		name                  string
		opts                  Options
		gcDuring, procsDuring int
		gcAfter, procsAfter   int
	}{
		{"default", Options{Environ: []string{"PATH=/bin"}, TuneRuntime: true}, startupGCPercent, 3, 100, 3},
		{"GOGC set", Options{Environ: []string{"GOGC=100", "PATH=/bin"}, TuneRuntime: true}, 100, 3, 100, 3},
		{"steady procs", Options{Environ: []string{"PATH=/bin"}, TuneRuntime: true, SteadyProcs: 1}, startupGCPercent, 3, 100, 1},
		// Another Supervisor in the same process (a test's) leaves the
		// process's settings to the one that tunes them.
		{"not tuning", Options{Environ: []string{"PATH=/bin"}, SteadyProcs: 1}, 100, 3, 100, 3},
	}
	for _, tt := range tests {
		debug.SetGCPercent(100)
		runtime.GOMAXPROCS(3)
		tu := &tuning{procs: 3}
		end := tu.begin(tt.opts)
		if gc, procs := gcTarget(), runtime.GOMAXPROCS(0); gc != tt.gcDuring || procs != tt.procsDuring {
			t.Errorf("%s: during start-up GC %d, GOMAXPROCS %d; want %d, %d", tt.name, gc, procs, tt.gcDuring, tt.procsDuring)
		}
		end()
		if gc, procs := gcTarget(), runtime.GOMAXPROCS(0); gc != tt.gcAfter || procs != tt.procsAfter {
			t.Errorf("%s: after GC %d, GOMAXPROCS %d; want %d, %d", tt.name, gc, procs, tt.gcAfter, tt.procsAfter)
		}
	}

	// A reload's start-up that begins before the last one's ends: the
	// start-up settings hold until both have ended, and come back for
	// the next one.
	debug.SetGCPercent(100)
	runtime.GOMAXPROCS(3)
	tu := &tuning{procs: 3}
	opts := Options{Environ: []string{"PATH=/bin"}, TuneRuntime: true, SteadyProcs: 1}
	first := tu.begin(opts)
	second := tu.begin(opts)
	first()
	first() // once only
	if gc, procs := gcTarget(), runtime.GOMAXPROCS(0); gc != startupGCPercent || procs != 3 {
		t.Errorf("with one start-up left: GC %d, GOMAXPROCS %d; want %d, 3", gc, procs, startupGCPercent)
	}
	second()
	if gc, procs := gcTarget(), runtime.GOMAXPROCS(0); gc != 100 || procs != 1 {
		t.Errorf("after both: GC %d, GOMAXPROCS %d; want 100, 1", gc, procs)
	}
	third := tu.begin(opts)
	if procs := runtime.GOMAXPROCS(0); procs != 3 {
		t.Errorf("next start-up: GOMAXPROCS %d; want 3 again", procs)
	}
	third()
}

// gcTarget returns the current GC target without changing it.
func gcTarget() int {
	gc := debug.SetGCPercent(-1)
	debug.SetGCPercent(gc)
	return gc
}
