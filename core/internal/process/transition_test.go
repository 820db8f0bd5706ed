package process

import (
	"syscall"
	"testing"
	"time"
)

func code(n int) ExitStatus { return ExitStatus{Code: n} }

func killed(s syscall.Signal) ExitStatus { return ExitStatus{Signal: s} }

type transitionCase struct {
	name   string
	st     status
	policy func(*Policy) // changes to testPolicy; nil for none
	in     input
	want   status
	acts   []string
}

func runTransitionCases(t *testing.T, tests []transitionCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := testPolicy()
			if tt.policy != nil {
				tt.policy(&p)
			}
			got, acts := next(tt.st, tt.in, p)
			if got != tt.want {
				t.Errorf("next(%+v, %v) status = %+v; want %+v", tt.st, tt.in.kind, got, tt.want)
			}
			if d := diffLines(render(acts), tt.acts); d != "" {
				t.Errorf("next(%+v, %v) actions:\n%s", tt.st, tt.in.kind, d)
			}
		})
	}
}

// running7 is a process that has been RUNNING with pid 7 since t0.
var running7 = status{state: Running, pid: 7, start: at(0)}

// starting7 is a process spawned at t0 with pid 7, not yet RUNNING.
var starting7 = status{state: Starting, pid: 7, start: at(0)}

// stopping7 is a process stopped at t0+5s.
var stopping7 = status{state: Stopping, pid: 7, start: at(0)}

// TestTransitionsStart covers STOPPED/EXITED/FATAL → STARTING, the
// startProcess answers and startsecs (reference §4.2).
func TestTransitionsStart(t *testing.T) {
	t.Parallel()
	runTransitionCases(t, []transitionCase{
		{
			name: "autostart on the first loop",
			in:   input{kind: inAutostart, now: at(0)},
			want: status{state: Starting, start: at(0)},
			acts: lines("emit STARTING from_state:STOPPED tries:0", "spawn"),
		},
		{
			name: "no autostart once started",
			st:   status{state: Stopped, start: at(0), stop: at(2 * time.Second)},
			in:   input{kind: inAutostart, now: at(5 * time.Second)},
			want: status{state: Stopped, start: at(0), stop: at(2 * time.Second)},
		},
		{
			name:   "no autostart when autostart=false",
			policy: func(p *Policy) { p.AutoStart = false },
			in:     input{kind: inAutostart, now: at(0)},
			want:   status{},
		},
		{
			name: "start from STOPPED",
			in:   input{kind: inStart, now: at(0)},
			want: status{state: Starting, start: at(0)},
			acts: lines("emit STARTING from_state:STOPPED tries:0", "spawn"),
		},
		{
			name: "start from EXITED forgets the last run",
			st:   status{state: Exited, start: at(0), stop: at(5 * time.Second), exitStatus: 3, spawnErr: "Bad exit code 3"},
			in:   input{kind: inStart, now: at(9 * time.Second)},
			want: status{state: Starting, start: at(9 * time.Second), stop: at(5 * time.Second)},
			acts: lines("emit STARTING from_state:EXITED tries:0", "spawn"),
		},
		{
			name: "start from FATAL has tries 0",
			st:   status{state: Fatal, start: at(0), spawnErr: msgTooQuickly},
			in:   input{kind: inStart, now: at(9 * time.Second)},
			want: status{state: Starting, start: at(9 * time.Second)},
			acts: lines("emit STARTING from_state:FATAL tries:0", "spawn"),
		},
		{
			name: "start from STOPPED keeps the tries a stop in BACKOFF left",
			st:   status{state: Stopped, tries: 2, start: at(0)},
			in:   input{kind: inStart, now: at(9 * time.Second)},
			want: status{state: Starting, tries: 2, start: at(9 * time.Second)},
			acts: lines("emit STARTING from_state:STOPPED tries:2", "spawn"),
		},
		{
			name: "start in RUNNING is already started",
			st:   running7, in: input{kind: inStart, now: at(3 * time.Second)}, want: running7,
			acts: lines("reject already started"),
		},
		{
			name: "start in STARTING is already started",
			st:   starting7, in: input{kind: inStart}, want: starting7,
			acts: lines("reject already started"),
		},
		{
			name: "start in BACKOFF is already started",
			st:   status{state: Backoff, tries: 1}, in: input{kind: inStart}, want: status{state: Backoff, tries: 1},
			acts: lines("reject already started"),
		},
		{
			name: "start in UNKNOWN fails",
			st:   status{state: Unknown}, in: input{kind: inStart}, want: status{state: Unknown},
			acts: lines("reject in an unknown process state"),
		},
		{
			name: "start in STOPPING only warns",
			st:   stopping7, in: input{kind: inStart}, want: stopping7,
			acts: lines("WARN process 'x' already running"),
		},
		{
			name: "start after shutdown",
			st:   status{shutdown: true}, in: input{kind: inStart}, want: status{shutdown: true},
			acts: lines("reject shutting down"),
		},
		{
			name: "spawned arms startsecs",
			st:   status{state: Starting, start: at(0)},
			in:   input{kind: inSpawned, pid: 7, now: at(0)},
			want: starting7,
			acts: lines("INFO spawned: 'x' with pid 7", "timer startsecs 1s"),
		},
		{
			name:   "spawned with startsecs=0 is RUNNING at once",
			policy: func(p *Policy) { p.StartSecs = 0 },
			st:     status{state: Starting, tries: 2, start: at(0)},
			in:     input{kind: inSpawned, pid: 7, now: at(0)},
			want:   running7,
			acts: lines(
				"INFO spawned: 'x' with pid 7",
				"emit RUNNING from_state:STARTING pid:7",
				"INFO success: x entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)",
			),
		},
		{
			name: "startsecs elapsed: STARTING → RUNNING resets tries",
			st:   status{state: Starting, pid: 7, tries: 2, start: at(0)},
			in:   input{kind: inStartSecs, now: at(time.Second)},
			want: running7,
			acts: lines(
				"emit RUNNING from_state:STARTING pid:7",
				"INFO success: x entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)",
			),
		},
		{
			name: "a stale startsecs timer does nothing",
			st:   running7, in: input{kind: inStartSecs, now: at(time.Second)}, want: running7,
		},
	})
}

// TestTransitionsBackoff covers STARTING → BACKOFF → STARTING/FATAL and
// the tries counter (reference §1.6, §4.2).
func TestTransitionsBackoff(t *testing.T) {
	t.Parallel()
	runTransitionCases(t, []transitionCase{
		{
			name: "spawn error: STARTING → BACKOFF",
			st:   status{state: Starting, start: at(0)},
			in:   input{kind: inSpawnFailed, err: "can't find command 'nope'", now: at(0)},
			want: status{state: Backoff, tries: 1, start: at(0), spawnErr: "can't find command 'nope'"},
			acts: lines(
				"INFO spawnerr: can't find command 'nope'",
				"emit BACKOFF from_state:STARTING tries:1",
				"timer backoff 1s",
			),
		},
		{
			name: "spawn error after the last retry: BACKOFF → FATAL",
			st:   status{state: Starting, tries: 3, start: at(0)},
			in:   input{kind: inSpawnFailed, err: "can't find command 'nope'", now: at(0)},
			want: status{state: Fatal, start: at(0), spawnErr: "can't find command 'nope'"},
			acts: lines(
				"INFO spawnerr: can't find command 'nope'",
				"emit BACKOFF from_state:STARTING tries:4",
				"emit FATAL from_state:BACKOFF",
				"INFO gave up: x entered FATAL state, too many start retries too quickly",
			),
		},
		{
			name: "exit within startsecs, even code 0: STARTING → BACKOFF",
			st:   status{state: Starting, pid: 7, tries: 1, start: at(0)},
			in:   input{kind: inExited, exit: code(0), now: at(500 * time.Millisecond)},
			want: status{state: Backoff, tries: 2, start: at(0), stop: at(500 * time.Millisecond), spawnErr: msgTooQuickly},
			acts: lines(
				"cancel startsecs",
				"emit BACKOFF from_state:STARTING tries:2",
				"WARN exited: x (exit status 0; not expected)",
				"timer backoff 2s",
			),
		},
		{
			name:   "exit within startsecs with startretries=0: straight to FATAL",
			policy: func(p *Policy) { p.StartRetries = 0 },
			st:     starting7,
			in:     input{kind: inExited, exit: code(127), now: at(time.Millisecond)},
			want:   status{state: Fatal, start: at(0), stop: at(time.Millisecond), spawnErr: msgTooQuickly},
			acts: lines(
				"cancel startsecs",
				"emit BACKOFF from_state:STARTING tries:1",
				"WARN exited: x (exit status 127; not expected)",
				"emit FATAL from_state:BACKOFF",
				"INFO gave up: x entered FATAL state, too many start retries too quickly",
			),
		},
		{
			name: "backoff delay passed: BACKOFF → STARTING keeps tries",
			st:   status{state: Backoff, tries: 2, start: at(0), spawnErr: msgTooQuickly},
			in:   input{kind: inBackoff, now: at(3 * time.Second)},
			want: status{state: Starting, tries: 2, start: at(3 * time.Second)},
			acts: lines("emit STARTING from_state:BACKOFF tries:2", "spawn"),
		},
		{
			name: "no retry while shutting down",
			st:   status{state: Backoff, tries: 1, shutdown: true},
			in:   input{kind: inBackoff, now: at(time.Second)},
			want: status{state: Backoff, tries: 1, shutdown: true},
		},
		{
			name: "stop in BACKOFF: STOPPED with pid 0 and no signal",
			st:   status{state: Backoff, tries: 2, start: at(0), spawnErr: msgTooQuickly},
			in:   input{kind: inStop, now: at(time.Second)},
			want: status{state: Stopped, tries: 2, start: at(0), spawnErr: msgTooQuickly},
			acts: lines(
				"DEBG Attempted to kill x, which is in BACKOFF state.",
				"cancel backoff",
				"emit STOPPED from_state:BACKOFF pid:0",
			),
		},
		{
			name: "shutdown in BACKOFF: FATAL without a log line",
			st:   status{state: Backoff, tries: 2},
			in:   input{kind: inShutdown},
			want: status{state: Fatal, shutdown: true},
			acts: lines("cancel backoff", "emit FATAL from_state:BACKOFF"),
		},
	})
}

// TestTransitionsExit covers the reaping order of evaluation and
// autorestart against exitcodes (reference §4.2).
func TestTransitionsExit(t *testing.T) {
	t.Parallel()
	exitedAt := func(es int, spawnErr string) status {
		return status{state: Exited, start: at(0), stop: at(5 * time.Second), exitStatus: es, spawnErr: spawnErr}
	}
	restarted := func() status { // EXITED at 5s, then STARTING again
		return status{state: Starting, start: at(5 * time.Second), stop: at(5 * time.Second)}
	}
	autorestart := func(a AutoRestart) func(*Policy) { return func(p *Policy) { p.AutoRestart = a } }
	runTransitionCases(t, []transitionCase{
		{
			name: "expected exit with autorestart=unexpected: EXITED, no restart",
			st:   running7, in: input{kind: inExited, exit: code(0), now: at(5 * time.Second)},
			want: exitedAt(0, ""),
			acts: lines("emit EXITED from_state:RUNNING expected:1 pid:7", "INFO exited: x (exit status 0; expected)"),
		},
		{
			name: "unexpected exit with autorestart=unexpected: EXITED then STARTING",
			st:   running7, in: input{kind: inExited, exit: code(3), now: at(5 * time.Second)},
			want: restarted(),
			acts: lines(
				"emit EXITED from_state:RUNNING expected:0 pid:7",
				"WARN exited: x (exit status 3; not expected)",
				"emit STARTING from_state:EXITED tries:0",
				"spawn",
			),
		},
		{
			name: "death by signal is never expected",
			st:   running7, in: input{kind: inExited, exit: killed(syscall.SIGKILL), now: at(5 * time.Second)},
			want: restarted(),
			acts: lines(
				"emit EXITED from_state:RUNNING expected:0 pid:7",
				"WARN exited: x (terminated by SIGKILL; not expected)",
				"emit STARTING from_state:EXITED tries:0",
				"spawn",
			),
		},
		{
			name:   "exitcodes decide what is expected",
			policy: func(p *Policy) { p.ExitCodes = []int{0, 2} },
			st:     running7, in: input{kind: inExited, exit: code(2), now: at(5 * time.Second)},
			want: exitedAt(2, ""),
			acts: lines("emit EXITED from_state:RUNNING expected:1 pid:7", "INFO exited: x (exit status 2; expected)"),
		},
		{
			name:   "autorestart=true restarts an expected exit",
			policy: autorestart(RestartAlways),
			st:     running7, in: input{kind: inExited, exit: code(0), now: at(5 * time.Second)},
			want: restarted(),
			acts: lines(
				"emit EXITED from_state:RUNNING expected:1 pid:7",
				"INFO exited: x (exit status 0; expected)",
				"emit STARTING from_state:EXITED tries:0",
				"spawn",
			),
		},
		{
			name:   "autorestart=false never restarts",
			policy: autorestart(RestartNever),
			st:     running7, in: input{kind: inExited, exit: ExitStatus{Signal: syscall.SIGSEGV, CoreDump: true}, now: at(5 * time.Second)},
			want: exitedAt(-1, "Bad exit code -1"),
			acts: lines(
				"emit EXITED from_state:RUNNING expected:0 pid:7",
				"WARN exited: x (terminated by SIGSEGV (core dumped); not expected)",
			),
		},
		{
			name: "no autorestart while shutting down",
			st:   status{state: Running, pid: 7, start: at(0), shutdown: true},
			in:   input{kind: inExited, exit: code(1), now: at(5 * time.Second)},
			want: status{state: Exited, start: at(0), stop: at(5 * time.Second), exitStatus: 1, spawnErr: "Bad exit code 1", shutdown: true},
			acts: lines("emit EXITED from_state:RUNNING expected:0 pid:7", "WARN exited: x (exit status 1; not expected)"),
		},
		{
			name:   "reaped at startsecs before its timer: RUNNING, then EXITED",
			policy: autorestart(RestartNever),
			st:     starting7, in: input{kind: inExited, exit: code(0), now: at(time.Second)},
			want: status{state: Exited, start: at(0), stop: at(time.Second)},
			acts: lines(
				"cancel startsecs",
				"emit RUNNING from_state:STARTING pid:7",
				"emit EXITED from_state:RUNNING expected:1 pid:7",
				"INFO exited: x (exit status 0; expected)",
			),
		},
		{
			name:   "startsecs=0: an exit counts as after RUNNING",
			policy: func(p *Policy) { p.StartSecs = 0; p.AutoRestart = RestartNever },
			st:     starting7, in: input{kind: inExited, exit: code(2), now: at(0)},
			want: status{state: Exited, start: at(0), stop: at(0), exitStatus: 2, spawnErr: "Bad exit code 2"},
			acts: lines(
				"cancel startsecs",
				"emit RUNNING from_state:STARTING pid:7",
				"emit EXITED from_state:RUNNING expected:0 pid:7",
				"WARN exited: x (exit status 2; not expected)",
			),
		},
		{
			name: "an exit without a child is ignored",
			st:   status{state: Stopped}, in: input{kind: inExited, exit: code(0)}, want: status{state: Stopped},
		},
		{
			name: "exit in UNKNOWN only forgets the pid",
			st:   status{state: Unknown, pid: 7, start: at(0)},
			in:   input{kind: inExited, exit: code(0), now: at(5 * time.Second)},
			want: status{state: Unknown, start: at(0), stop: at(5 * time.Second)},
			acts: lines("INFO exited: x (exit status 0)"),
		},
	})
}

// TestTransitionsStop covers RUNNING/STARTING → STOPPING → STOPPED, the
// SIGKILL escalation and signals (reference §4.2).
func TestTransitionsStop(t *testing.T) {
	t.Parallel()
	stopped := func(es int) status {
		return status{state: Stopped, start: at(0), stop: at(6 * time.Second), exitStatus: es}
	}
	runTransitionCases(t, []transitionCase{
		{
			name: "stop RUNNING: STOPPING and the stop signal",
			st:   running7, in: input{kind: inStop, now: at(5 * time.Second)}, want: stopping7,
			acts: lines(
				"DEBG killing x (pid 7) with signal SIGTERM",
				"timer stopwait 10s",
				"emit STOPPING from_state:RUNNING pid:7",
				"signal SIGTERM",
			),
		},
		{
			name:   "stop with stopasgroup and a waiting caller",
			policy: func(p *Policy) { p.StopAsGroup, p.StopSignal = true, syscall.SIGINT },
			st:     running7, in: input{kind: inStop, wait: true, now: at(5 * time.Second)}, want: stopping7,
			acts: lines(
				"DEBG killing x (pid 7) process group with signal SIGINT",
				"timer stopwait 10s",
				"emit STOPPING from_state:RUNNING pid:7",
				"signal SIGINT group",
				"INFO waiting for x to stop",
				"timer stopreport 2s",
			),
		},
		{
			name: "stop STARTING",
			st:   starting7, in: input{kind: inStop}, want: stopping7,
			acts: lines(
				"DEBG killing x (pid 7) with signal SIGTERM",
				"timer stopwait 10s",
				"cancel startsecs",
				"emit STOPPING from_state:STARTING pid:7",
				"signal SIGTERM",
			),
		},
		{name: "stop STOPPED", st: status{}, in: input{kind: inStop}, want: status{}, acts: lines("reject not running")},
		{name: "stop EXITED", st: status{state: Exited}, in: input{kind: inStop}, want: status{state: Exited}, acts: lines("reject not running")},
		{name: "stop FATAL", st: status{state: Fatal}, in: input{kind: inStop}, want: status{state: Fatal}, acts: lines("reject not running")},
		{name: "stop STOPPING", st: stopping7, in: input{kind: inStop}, want: stopping7, acts: lines("reject not running")},
		{
			name: "reaped while STOPPING by the stop signal: STOPPED, WARN",
			st:   stopping7, in: input{kind: inExited, exit: killed(syscall.SIGTERM), now: at(6 * time.Second)},
			want: stopped(-1),
			acts: lines(
				"cancel stopwait", "cancel stopreport",
				"emit STOPPED from_state:STOPPING pid:7",
				"WARN stopped: x (terminated by SIGTERM)",
			),
		},
		{
			name: "reaped while STOPPING with an expected code: INFO",
			st:   stopping7, in: input{kind: inExited, exit: code(0), now: at(6 * time.Second)},
			want: stopped(0),
			acts: lines(
				"cancel stopwait", "cancel stopreport",
				"emit STOPPED from_state:STOPPING pid:7",
				"INFO stopped: x (exit status 0)",
			),
		},
		{
			name: "stopwaitsecs passed: SIGKILL to the pid, re-armed",
			st:   stopping7, in: input{kind: inStopWait}, want: stopping7,
			acts: lines(
				"WARN killing 'x' (7) with SIGKILL",
				"DEBG killing x (pid 7) with signal SIGKILL",
				"timer stopwait 10s",
				"signal SIGKILL",
			),
		},
		{
			name:   "stopasgroup implies killasgroup",
			policy: func(p *Policy) { p.StopAsGroup = true },
			st:     stopping7, in: input{kind: inStopWait}, want: stopping7,
			acts: lines(
				"WARN killing 'x' (7) with SIGKILL",
				"DEBG killing x (pid 7) process group with signal SIGKILL",
				"timer stopwait 10s",
				"signal SIGKILL group",
			),
		},
		{
			name:   "killasgroup alone",
			policy: func(p *Policy) { p.KillAsGroup = true },
			st:     stopping7, in: input{kind: inStopWait}, want: stopping7,
			acts: lines(
				"WARN killing 'x' (7) with SIGKILL",
				"DEBG killing x (pid 7) process group with signal SIGKILL",
				"timer stopwait 10s",
				"signal SIGKILL group",
			),
		},
		{name: "a stale stopwait timer", st: stopped(0), in: input{kind: inStopWait}, want: stopped(0)},
		{
			name: "stop report while STOPPING",
			st:   stopping7, in: input{kind: inStopReport}, want: stopping7,
			acts: lines("INFO waiting for x to stop", "timer stopreport 2s"),
		},
		{name: "no stop report once stopped", st: stopped(0), in: input{kind: inStopReport}, want: stopped(0)},
		{
			name: "shutdown stops RUNNING and forbids restarts",
			st:   running7, in: input{kind: inShutdown},
			want: status{state: Stopping, pid: 7, start: at(0), shutdown: true},
			acts: lines(
				"DEBG killing x (pid 7) with signal SIGTERM",
				"timer stopwait 10s",
				"emit STOPPING from_state:RUNNING pid:7",
				"signal SIGTERM",
			),
		},
		{name: "shutdown leaves EXITED alone", st: status{state: Exited}, in: input{kind: inShutdown}, want: status{state: Exited, shutdown: true}},
	})
}

// TestTransitionsSignal covers signalProcess, failures to signal (any →
// UNKNOWN) and sendProcessStdin's precondition.
func TestTransitionsSignal(t *testing.T) {
	t.Parallel()
	runTransitionCases(t, []transitionCase{
		{
			name: "signal RUNNING goes to the pid",
			st:   running7, in: input{kind: inSignal, sig: syscall.SIGHUP}, want: running7,
			acts: lines("DEBG sending x (pid 7) sig SIGHUP", "signal SIGHUP"),
		},
		{
			name: "signal STOPPING",
			st:   stopping7, in: input{kind: inSignal, sig: syscall.SIGUSR1}, want: stopping7,
			acts: lines("DEBG sending x (pid 7) sig SIGUSR1", "signal SIGUSR1"),
		},
		{
			name: "signal BACKOFF is not running",
			st:   status{state: Backoff}, in: input{kind: inSignal, sig: syscall.SIGHUP}, want: status{state: Backoff},
			acts: lines("reject not running"),
		},
		{
			name: "a failed stop signal: UNKNOWN",
			st:   stopping7, in: input{kind: inSignalFailed, kill: true, err: "operation not permitted"},
			want: status{state: Unknown, pid: 7, start: at(0)},
			acts: lines(
				"CRIT unknown problem killing x (7):operation not permitted",
				"cancel stopwait", "cancel stopreport",
				"emit UNKNOWN from_state:STOPPING",
			),
		},
		{
			name: "a failed signal: UNKNOWN",
			st:   running7, in: input{kind: inSignalFailed, err: "operation not permitted"},
			want: status{state: Unknown, pid: 7, start: at(0)},
			acts: lines(
				"CRIT unknown problem sending sig x (7):operation not permitted",
				"cancel stopwait", "cancel stopreport",
				"emit UNKNOWN from_state:RUNNING",
			),
		},
		{name: "stdin of RUNNING", st: running7, in: input{kind: inStdin}, want: running7},
		{name: "stdin of STOPPING", st: stopping7, in: input{kind: inStdin}, want: stopping7, acts: lines("reject not running")},
		{name: "stdin of EXITED", st: status{state: Exited}, in: input{kind: inStdin}, want: status{state: Exited}, acts: lines("reject not running")},
	})
}

// TestWalkStartRetries replays the reference's observed sequence for a
// program that always dies at once with startretries=2 (reference §1.6).
func TestWalkStartRetries(t *testing.T) {
	t.Parallel()
	p := testPolicy()
	p.StartRetries = 2
	var st status
	var events []string
	step := func(in input) {
		var acts []action
		st, acts = next(st, in, p)
		for _, a := range acts {
			if a.kind == actEmit {
				events = append(events, payload(a.change))
			}
		}
	}
	now := t0
	step(input{kind: inStart, now: now})
	for st.state == Starting {
		step(input{kind: inSpawned, pid: 100, now: now})
		now = now.Add(10 * time.Millisecond)
		step(input{kind: inExited, exit: code(1), now: now})
		now = now.Add(time.Duration(st.tries) * time.Second)
		step(input{kind: inBackoff, now: now})
	}
	want := lines(
		"STARTING from_state:STOPPED tries:0",
		"BACKOFF from_state:STARTING tries:1",
		"STARTING from_state:BACKOFF tries:1",
		"BACKOFF from_state:STARTING tries:2",
		"STARTING from_state:BACKOFF tries:2",
		"BACKOFF from_state:STARTING tries:3",
		"FATAL from_state:BACKOFF",
	)
	if d := diffLines(events, want); d != "" {
		t.Errorf("events:\n%s", d)
	}
	if st.state != Fatal || st.tries != 0 {
		t.Errorf("final status = %+v; want FATAL with tries 0", st)
	}
}
