package process

import (
	"fmt"
	"log/slog"
	"syscall"
	"time"
)

// status is the state the actor owns and the transition function rewrites:
// the fields of the reference's Subprocess that the rules read.
type status struct {
	state      State
	pid        int       // 0 when no child is alive
	tries      int       // the reference's backoff counter
	start      time.Time // laststart: the last spawn attempt
	stop       time.Time // laststop: the last reaped exit
	exitStatus int       // -1 for a death by signal; 0 when none
	spawnErr   string
	shutdown   bool // the daemon is stopping: no more spawns
}

// inputKind says what happened.
type inputKind int

const (
	inAutostart    inputKind = iota // Run began
	inStart                         // start request (startProcess)
	inStop                          // stop request (stopProcess)
	inSignal                        // signal request (signalProcess)
	inShutdown                      // the daemon is shutting down or reloading
	inStdin                         // a caller wants the child's stdin
	inSpawned                       // the Spawn action started a child
	inSpawnFailed                   // the Spawn action failed in the parent
	inSignalFailed                  // a Signal action failed (not ESRCH)
	inExited                        // the child was reaped
	inStartSecs                     // timer: startsecs elapsed in STARTING
	inBackoff                       // timer: the backoff delay passed in BACKOFF
	inStopReport                    // timer: time to log "waiting for x to stop" again
	inStopWait                      // timer: stopwaitsecs passed in STOPPING
	numInputs
)

// input is one event for the transition function. now is the actor's
// clock reading; the function itself never reads a clock.
type input struct {
	kind inputKind
	now  time.Time
	pid  int            // inSpawned
	err  string         // inSpawnFailed, inSignalFailed
	exit ExitStatus     // inExited
	sig  syscall.Signal // inSignal, inSignalFailed
	kill bool           // inSignalFailed: the signal was a stop or a kill
	wait bool           // inStop: a caller waits, so report progress
}

// timerKind names the actor's timers. Their order is the order in which
// timers due at the same instant are handled, which keeps tests exact.
type timerKind int

const (
	timerStartSecs timerKind = iota
	timerBackoff
	timerStopReport
	timerStopWait
	numTimers
)

var timerInputs = [numTimers]inputKind{inStartSecs, inBackoff, inStopReport, inStopWait}

// stopReportEvery is how often "waiting for x to stop" is repeated while a
// caller waits for a stop (the reference's stop_report throttle).
const stopReportEvery = 2 * time.Second

// actionKind says what the actor must do.
type actionKind int

const (
	actEmit        actionKind = iota // publish change and status, call the observer
	actLog                           // log msg at level
	actSpawn                         // call the Spawner; feed inSpawned or inSpawnFailed
	actSignal                        // signal the child; feed inSignalFailed on error
	actStartTimer                    // (re)arm timer to fire after d
	actCancelTimer                   // disarm timer
	actReject                        // answer the request with err; nothing changed
)

type action struct {
	kind   actionKind
	change Change     // actEmit
	status status     // actEmit: the status right after the change
	level  slog.Level // actLog
	msg    string     // actLog

	sig   syscall.Signal // actSignal
	group bool           // actSignal: to the process group
	kill  bool           // actSignal: a stop or kill, not signalProcess

	timer timerKind     // actStartTimer, actCancelTimer
	d     time.Duration // actStartTimer

	err error // actReject
}

// next is supervisord's process state machine: given the current status,
// one input and the policy, it returns the new status and the actions to
// carry out, in order. It is pure: no goroutines, no clock, no OS.
func next(st status, in input, p Policy) (status, []action) {
	m := machine{st: st, p: &p, now: in.now}
	rules[in.kind](&m, in)
	return m.st, m.acts
}

// rules maps each input to the rule that handles it (rules.go).
var rules = [numInputs]func(*machine, input){
	inAutostart:    (*machine).autostart,
	inStart:        (*machine).startRequest,
	inStop:         (*machine).stopRequest,
	inSignal:       (*machine).signalRequest,
	inShutdown:     (*machine).shutdownRequest,
	inStdin:        (*machine).stdinRequest,
	inSpawned:      (*machine).spawned,
	inSpawnFailed:  (*machine).spawnFailed,
	inSignalFailed: (*machine).signalFailed,
	inExited:       (*machine).exited,
	inStartSecs:    (*machine).startSecsElapsed,
	inBackoff:      (*machine).backoffElapsed,
	inStopReport:   (*machine).stopReport,
	inStopWait:     (*machine).stopWaitElapsed,
}

// machine accumulates one call's status and actions.
type machine struct {
	st   status
	p    *Policy
	now  time.Time
	acts []action
}

// change moves to state to and emits the change, as the reference's
// change_state does: a change to the same state is no change, and entering
// BACKOFF counts one more try. pid is the pid the event reports.
func (m *machine) change(to State, expected bool, pid int) {
	from := m.st.state
	if to == from {
		return
	}
	m.st.state = to
	if to == Backoff {
		m.st.tries++
	}
	c := Change{From: from, To: to, Pid: pid, Tries: m.st.tries, Expected: expected, Time: m.now}
	m.acts = append(m.acts, action{kind: actEmit, change: c, status: m.st})
}

func (m *machine) logf(level slog.Level, format string, args ...any) {
	m.acts = append(m.acts, action{kind: actLog, level: level, msg: fmt.Sprintf(format, args...)})
}

func (m *machine) startTimer(t timerKind, d time.Duration) {
	m.acts = append(m.acts, action{kind: actStartTimer, timer: t, d: d})
}

func (m *machine) cancelTimer(t timerKind) {
	m.acts = append(m.acts, action{kind: actCancelTimer, timer: t})
}

func (m *machine) reject(err error) {
	m.acts = append(m.acts, action{kind: actReject, err: err})
}

func (m *machine) signal(sig syscall.Signal, group, kill bool) {
	m.acts = append(m.acts, action{kind: actSignal, sig: sig, group: group, kill: kill})
}
