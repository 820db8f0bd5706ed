package process

import (
	"fmt"
	"log/slog"
)

// State is a process state, numbered as supervisord numbers it (reference
// §4.1, supervisor/states.py). The zero value is Stopped.
type State int

// The process states.
const (
	Stopped  State = 0
	Starting State = 10
	Running  State = 20
	Backoff  State = 30
	Stopping State = 40
	Exited   State = 100
	Fatal    State = 200
	Unknown  State = 1000
)

var stateNames = map[State]string{
	Stopped: "STOPPED", Starting: "STARTING", Running: "RUNNING", Backoff: "BACKOFF",
	Stopping: "STOPPING", Exited: "EXITED", Fatal: "FATAL", Unknown: "UNKNOWN",
}

// String returns the state's supervisord name, such as "RUNNING".
func (s State) String() string {
	if n, ok := stateNames[s]; ok {
		return n
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// IsStopped reports whether s is one of supervisord's STOPPED_STATES
// (STOPPED, EXITED, FATAL, UNKNOWN): a process that a stop with wait, a
// group removal or a shutdown no longer waits for.
func (s State) IsStopped() bool {
	return s == Stopped || s == Exited || s == Fatal || s == Unknown
}

// IsRunning reports whether s is one of supervisord's RUNNING_STATES
// (STARTING, RUNNING, BACKOFF): the states in which startProcess answers
// ALREADY_STARTED and stopProcess acts.
func (s State) IsRunning() bool {
	return s == Starting || s == Running || s == Backoff
}

// IsSignallable reports whether s is one of supervisord's
// SIGNALLABLE_STATES (STARTING, RUNNING, STOPPING): the states in which
// the process has a pid that signalProcess may signal.
func (s State) IsSignallable() bool {
	return s == Starting || s == Running || s == Stopping
}

// LevelCritical is the slog level of supervisord's CRIT log lines. The
// other levels this package logs at are slog's Debug (DEBG), Info (INFO)
// and Warn (WARN).
const LevelCritical = slog.LevelError + 4
