package supervisor

import (
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// startupGCPercent is the GC target of the start-up burst. It allocates
// several times its live heap in garbage (the config, a log file and a
// fork per process); collected at the usual GOGC=100, that garbage takes
// spans that a few long-lived objects then pin, and the heap stays
// fragmented after the burst. Collecting more often while it lasts costs
// a few more GCs of a heap of a few MB.
const startupGCPercent = 25

// tuning is how the runtime is set while programs start and once they
// have: during a start-up, a lower GC target and every thread Go would
// use; after it, the usual GC target and Options.SteadyProcs threads. A
// reload can begin before the last start-up has settled, so the start-up
// settings hold while any is in progress.
type tuning struct {
	mu       sync.Mutex
	inFlight int
	lowered  bool // the GC target was lowered (GOGC is not the operator's)
	gc       int  // the GC target to restore
	procs    int  // GOMAXPROCS during a start-up
}

// begin applies the start-up settings and returns what ends this
// start-up, once: the steady settings come back when no other is in
// progress. The daemon's environment setting GOGC keeps the GC target as
// it is; without opts.TuneRuntime nothing is changed.
func (t *tuning) begin(opts Options) func() {
	if !opts.TuneRuntime {
		return func() {}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.inFlight == 0 {
		t.lowered = !hasEnv(opts.Environ, "GOGC")
		if t.lowered {
			t.gc = debug.SetGCPercent(startupGCPercent)
		}
		if opts.SteadyProcs > 0 && t.procs > 0 {
			runtime.GOMAXPROCS(t.procs)
		}
	}
	t.inFlight++
	return sync.OnceFunc(func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.inFlight--; t.inFlight > 0 {
			return
		}
		if t.lowered {
			debug.SetGCPercent(t.gc)
		}
		if opts.SteadyProcs > 0 {
			runtime.GOMAXPROCS(opts.SteadyProcs)
		}
	})
}

// hasEnv reports whether environ sets key.
func hasEnv(environ []string, key string) bool {
	for _, kv := range environ {
		if strings.HasPrefix(kv, key+"=") {
			return true
		}
	}
	return false
}
