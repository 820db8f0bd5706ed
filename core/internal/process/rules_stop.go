package process

import (
	"log/slog"
	"syscall"
)

// stopRequest: stopProcess. BACKOFF → STOPPED at once, with no signal and
// pid 0; STARTING and RUNNING → STOPPING; anything else is NOT_RUNNING.
// With a waiting caller, "waiting for x to stop" is logged now and every
// two seconds until the process stops.
func (m *machine) stopRequest(in input) {
	switch m.st.state {
	case Backoff:
		m.logf(slog.LevelDebug, "Attempted to kill %s, which is in BACKOFF state.", m.p.Name)
		m.cancelTimer(timerBackoff)
		m.change(Stopped, true, 0)
	case Starting, Running:
		m.kill(m.p.stopSignal(), m.p.StopAsGroup)
		if in.wait {
			m.stopReport(in)
		}
	default:
		m.reject(ErrNotRunning)
	}
}

// kill is the reference's kill(): log, arm stopwaitsecs, enter STOPPING
// and send sig to the pid or, with group, to the process group.
func (m *machine) kill(sig syscall.Signal, group bool) {
	as := ""
	if group {
		as = "process group "
	}
	m.logf(slog.LevelDebug, "killing %s (pid %d) %swith signal %s", m.p.Name, m.st.pid, as, SignalName(sig))
	m.startTimer(timerStopWait, m.p.StopWaitSecs)
	if m.st.state == Starting {
		m.cancelTimer(timerStartSecs)
	}
	m.change(Stopping, true, m.st.pid) // no change when already STOPPING
	m.signal(sig, group, true)
}

// stopWaitElapsed: STOPPING for stopwaitsecs → SIGKILL, to the group with
// killasgroup, and again every further stopwaitsecs while the process
// survives (an unkillable process stays STOPPING).
func (m *machine) stopWaitElapsed(input) {
	if m.st.state != Stopping {
		return
	}
	m.logf(slog.LevelWarn, "killing '%s' (%d) with SIGKILL", m.p.Name, m.st.pid)
	m.kill(syscall.SIGKILL, m.killGroup())
}

// stopReport logs that a stop is being waited for and schedules the next
// report (the reference's stop_report, called by stopProcess's waiter).
func (m *machine) stopReport(input) {
	if m.st.state != Stopping {
		return
	}
	m.logf(slog.LevelInfo, "waiting for %s to stop", m.p.Name)
	m.startTimer(timerStopReport, stopReportEvery)
}

// signalRequest: signalProcess, only in STARTING, RUNNING and STOPPING; it
// goes to the pid, not the group, and changes no state.
func (m *machine) signalRequest(in input) {
	if !m.st.state.IsSignallable() || m.st.pid == 0 {
		m.reject(ErrNotRunning)
		return
	}
	m.logf(slog.LevelDebug, "sending %s (pid %d) sig %s", m.p.Name, m.st.pid, SignalName(in.sig))
	m.signal(in.sig, false, false)
}

// signalFailed: any → UNKNOWN when signalling fails for a reason other
// than the process being gone already.
func (m *machine) signalFailed(in input) {
	if m.st.pid == 0 {
		return
	}
	what := "sending sig"
	if in.kill {
		what = "killing"
	}
	m.logf(LevelCritical, errSignalFormat, what, m.p.Name, m.st.pid, in.err)
	m.cancelTimer(timerStopWait)
	m.cancelTimer(timerStopReport)
	m.change(Unknown, true, 0)
}

// shutdownRequest: the daemon stops or reloads. RUNNING and STARTING are
// stopped, BACKOFF gives up to FATAL silently, and nothing spawns again.
func (m *machine) shutdownRequest(input) {
	m.st.shutdown = true
	switch m.st.state {
	case Starting, Running:
		m.kill(m.p.stopSignal(), m.p.StopAsGroup)
	case Backoff:
		m.cancelTimer(timerBackoff)
		m.giveUp(false)
	}
}

// stdinRequest: sendProcessStdin needs a live child that is not being
// stopped.
func (m *machine) stdinRequest(input) {
	if m.st.pid == 0 || m.st.state == Stopping {
		m.reject(ErrNotRunning)
	}
}
