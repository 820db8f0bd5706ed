package process

import (
	"log/slog"
	"strconv"
)

// exited: the child was reaped. The reference's order of evaluation
// (finish()): (1) being stopped → STOPPED; (2) lived less than startsecs
// → BACKOFF; (3) else EXITED, after passing through RUNNING if the
// startsecs timer had not fired yet.
func (m *machine) exited(in input) {
	if m.st.pid == 0 {
		return
	}
	m.st.stop = m.now
	switch {
	case m.st.state == Stopping:
		m.stopped(in.exit)
	case m.st.state == Unknown:
		// The reference has no rule here; the process stays UNKNOWN
		// and only forgets its pid.
		m.st.pid = 0
		m.st.exitStatus = in.exit.Status()
		m.logf(slog.LevelInfo, "exited: %s (%s)", m.p.Name, in.exit)
	case m.st.state == Starting && m.now.Sub(m.st.start) < m.p.StartSecs:
		m.tooQuickly(in.exit)
	default:
		m.exitedRunning(in.exit)
	}
}

// stopped: STOPPING → STOPPED whatever the exit status; the line is INFO
// when the status is an expected one, else WARN.
func (m *machine) stopped(e ExitStatus) {
	pid := m.st.pid
	m.st.pid = 0
	m.st.exitStatus = e.Status()
	m.cancelTimer(timerStopWait)
	m.cancelTimer(timerStopReport)
	m.change(Stopped, true, pid)
	m.logf(m.level(e), "stopped: %s (%s)", m.p.Name, e)
}

// tooQuickly: STARTING → BACKOFF for any exit within startsecs, even an
// expected one. The reference forgets the exit status here.
func (m *machine) tooQuickly(e ExitStatus) {
	m.st.pid = 0
	m.st.exitStatus = 0
	m.st.spawnErr = msgTooQuickly
	m.cancelTimer(timerStartSecs)
	m.change(Backoff, false, 0)
	m.logf(slog.LevelWarn, "exited: %s (%s; not expected)", m.p.Name, e)
	m.retryOrGiveUp()
}

// exitedRunning: RUNNING → EXITED, expected iff the status is in exitcodes
// (signal deaths never are); an unexpected one sets spawnerr "Bad exit
// code N". Then autorestart decides about EXITED → STARTING.
func (m *machine) exitedRunning(e ExitStatus) {
	pid, es := m.st.pid, e.Status()
	m.st.tries = 0
	m.st.exitStatus = es
	if m.st.state == Starting {
		// Reaped before the startsecs timer was handled but not too
		// quickly: the reference moves to RUNNING first, without the
		// success line.
		m.cancelTimer(timerStartSecs)
		m.change(Running, true, pid)
	}
	m.st.pid = 0
	if m.p.expected(es) {
		m.change(Exited, true, pid)
		m.logf(slog.LevelInfo, "exited: %s (%s; expected)", m.p.Name, e)
	} else {
		m.st.spawnErr = msgBadExitCode + strconv.Itoa(es)
		m.change(Exited, false, pid)
		m.logf(slog.LevelWarn, "exited: %s (%s; not expected)", m.p.Name, e)
	}
	m.autorestart(es)
}

// autorestart: EXITED → STARTING when autorestart=true, or when
// autorestart=unexpected and the status is not in exitcodes. There is no
// limit on such cycles; only startsecs protects.
func (m *machine) autorestart(es int) {
	if m.st.shutdown {
		return
	}
	switch m.p.AutoRestart {
	case RestartAlways:
		m.spawn()
	case RestartUnexpected:
		if !m.p.expected(es) {
			m.spawn()
		}
	}
}

func (m *machine) level(e ExitStatus) slog.Level {
	if m.p.expected(e.Status()) {
		return slog.LevelInfo
	}
	return slog.LevelWarn
}
