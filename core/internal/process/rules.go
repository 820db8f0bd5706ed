package process

import (
	"log/slog"
	"strconv"
	"time"
)

// The rules below follow supervisor/process.py (Subprocess.spawn, finish,
// kill, signal, transition, give_up) and reference §4.2; each says which
// rule it implements. Log texts and levels are the reference's.

const (
	msgTooQuickly   = "Exited too quickly (process log may have details)"
	msgBadExitCode  = "Bad exit code "
	errSignalFormat = "unknown problem %s %s (%d):%s"
)

// autostart: STOPPED → STARTING on the first loop, only if never started
// and autostart is set.
func (m *machine) autostart(input) {
	if m.st.state == Stopped && m.st.start.IsZero() && m.p.AutoStart && !m.st.shutdown {
		m.spawn()
	}
}

// startRequest: startProcess. STOPPED, EXITED and FATAL → STARTING;
// STARTING, RUNNING and BACKOFF are ALREADY_STARTED; UNKNOWN is FAILED. In
// STOPPING the reference's spawn() only warns that a pid is still there.
func (m *machine) startRequest(input) {
	switch s := m.st.state; {
	case m.st.shutdown:
		m.reject(ErrShuttingDown)
	case s.IsRunning():
		m.reject(ErrAlreadyStarted)
	case s == Unknown:
		m.reject(ErrUnknownState)
	case s == Stopping:
		m.logf(slog.LevelWarn, "process '%s' already running", m.p.Name)
	default:
		m.spawn()
	}
}

// spawn is the parent half of the reference's spawn(): it forgets the last
// run's spawnerr and exit status, records the attempt and asks the actor
// to start the child. The STARTING event carries the current tries.
func (m *machine) spawn() {
	m.st.spawnErr = ""
	m.st.exitStatus = 0
	m.st.start = m.now
	m.change(Starting, true, 0)
	m.acts = append(m.acts, action{kind: actSpawn})
}

// spawned: the child runs. With startsecs=0 it is RUNNING at once (as
// startProcess's immediate transition() makes it); otherwise the startsecs
// timer decides.
func (m *machine) spawned(in input) {
	if m.st.state != Starting || m.st.pid != 0 {
		return
	}
	m.st.pid = in.pid
	m.logf(slog.LevelInfo, "spawned: '%s' with pid %d", m.p.Name, in.pid)
	if m.p.StartSecs <= 0 {
		m.running()
		return
	}
	m.startTimer(timerStartSecs, m.p.StartSecs)
}

// spawnFailed: STARTING → BACKOFF on a failure in the parent (command not
// found, not executable, no pipes, no fork), with spawnerr set and no pid.
func (m *machine) spawnFailed(in input) {
	if m.st.state != Starting {
		return
	}
	m.st.spawnErr = in.err
	m.logf(slog.LevelInfo, "spawnerr: %s", in.err)
	m.change(Backoff, true, 0)
	m.retryOrGiveUp()
}

// retryOrGiveUp follows an entry into BACKOFF: BACKOFF → FATAL once tries
// exceeds startretries, else a retry after tries seconds (1 s, 2 s, 3 s …).
func (m *machine) retryOrGiveUp() {
	if m.st.tries > m.p.StartRetries {
		m.giveUp(true)
		return
	}
	m.startTimer(timerBackoff, time.Duration(m.st.tries)*time.Second)
}

// giveUp: BACKOFF → FATAL, resetting tries. Only the retry rule logs "gave
// up"; the shutdown's give_up is silent.
func (m *machine) giveUp(report bool) {
	m.st.tries = 0
	m.change(Fatal, true, 0)
	if report {
		m.logf(slog.LevelInfo, "gave up: %s entered FATAL state, too many start retries too quickly", m.p.Name)
	}
}

// running: STARTING → RUNNING once the process stayed up startsecs, which
// resets tries.
func (m *machine) running() {
	m.st.tries = 0
	m.change(Running, true, m.st.pid)
	m.logf(slog.LevelInfo, "success: %s entered RUNNING state, process has stayed up for > than %s seconds (startsecs)",
		m.p.Name, seconds(m.p.StartSecs))
}

// startSecsElapsed: the startsecs timer fired in STARTING. The reference
// tests now - laststart > startsecs; the timer fires when startsecs has
// elapsed. The two differ only for a child reaped at exactly startsecs,
// which the reap rule (lived < startsecs → BACKOFF) also lets reach
// RUNNING before EXITED, so either order of the two events ends alike.
func (m *machine) startSecsElapsed(input) {
	if m.st.state == Starting && m.st.pid != 0 {
		m.running()
	}
}

// backoffElapsed: BACKOFF → STARTING when the delay has passed and tries
// is still within startretries; never while shutting down.
func (m *machine) backoffElapsed(input) {
	if m.st.state == Backoff && !m.st.shutdown && m.st.tries <= m.p.StartRetries {
		m.spawn()
	}
}

// seconds prints a startsecs value as the reference's integer option.
func seconds(d time.Duration) string {
	if d%time.Second == 0 {
		return strconv.FormatInt(int64(d/time.Second), 10)
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

// killGroup: stopasgroup implies killasgroup.
func (m *machine) killGroup() bool { return m.p.KillAsGroup || m.p.StopAsGroup }
