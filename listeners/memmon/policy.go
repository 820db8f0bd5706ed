package main

import "time"

// Policy holds the restart rules Lancer adds to superlance's, where one
// sample over the limit restarts the process at once. The zero Policy is
// superlance's.
//
// They follow Monit's process checks: "for N cycles" (Cycles), a start
// delay (Grace) and "if N restarts within M cycles" (MaxRestarts, Per).
type Policy struct {
	// Cycles is how many consecutive TICKs a process must be over its
	// limit before it is restarted; 0 and 1 mean the first.
	Cycles int
	// Grace spares a process that started less than Grace ago (by
	// supervisord's clock), so that a program whose start-up peaks is not
	// restarted while it warms up.
	Grace time.Duration
	// MaxRestarts, when positive, is how many restarts a process may get
	// within any window of Per; further restarts are held back, alerted
	// once, and resume once the window has room.
	MaxRestarts int
	Per         time.Duration
}

// verdict is what the policy decides for one process on one TICK.
type verdict int

const (
	verdictUnder     verdict = iota // under every limit
	verdictRestart                  // over: restart it now
	verdictCycles                   // over, but not for Cycles TICKs in a row yet
	verdictGrace                    // over, but up for less than Grace
	verdictThrottled                // over, but restarted MaxRestarts times within Per
	// verdictThrottledNew is verdictThrottled for the first time since
	// the process was last restarted or under its limit: alert it.
	verdictThrottledNew
)

// track is what memmon remembers about one process between TICKs. The
// zero value is a process seen for the first time.
type track struct {
	pid      int         // the pid the over count is about
	over     int         // consecutive TICKs over the limit
	restarts []time.Time // restarts decided within the last Per, oldest first
	held     bool        // a throttled restart was alerted
}

// sample is one TICK's measurement of one process.
type sample struct {
	pid    int
	over   bool          // over one of its limits
	uptime time.Duration // by supervisord's clock
	now    time.Time     // by memmon's clock, for the restart window
}

// next decides what to do with a process given what memmon remembers of
// it, and returns the updated memory. It is pure: memmon's TICK loop
// applies the verdict. A new pid (the process was restarted by someone
// else) starts the over count afresh; the restart history stays, since
// it is about the program, not one of its pids.
func (p Policy) next(t track, s sample) (track, verdict) {
	if s.pid != t.pid {
		t.pid, t.over = s.pid, 0
	}
	t.restarts = p.recent(t.restarts, s.now)
	if !s.over {
		t.over, t.held = 0, false
		return t, verdictUnder
	}
	t.over++
	switch {
	case t.over < p.Cycles:
		return t, verdictCycles
	case s.uptime < p.Grace:
		return t, verdictGrace
	case p.MaxRestarts > 0 && len(t.restarts) >= p.MaxRestarts:
		if t.held {
			return t, verdictThrottled
		}
		t.held = true
		return t, verdictThrottledNew
	}
	t.over, t.held = 0, false
	if p.MaxRestarts > 0 {
		t.restarts = append(t.restarts, s.now)
	}
	return t, verdictRestart
}

// recent drops the restarts that are Per or more before now.
func (p Policy) recent(rs []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(rs) && now.Sub(rs[i]) >= p.Per {
		i++
	}
	if i == len(rs) {
		return nil
	}
	return rs[i:]
}
