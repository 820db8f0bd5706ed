package process

import (
	"fmt"
	"log/slog"
	"strings"
	"syscall"
	"time"
)

// t0 is where synctest's fake clock starts, used for pure tests too.
var t0 = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

// testPolicy is supervisord's defaults for a process named x.
func testPolicy() Policy {
	return Policy{
		Name: "x", AutoStart: true, AutoRestart: RestartUnexpected,
		StartSecs: time.Second, StartRetries: 3, ExitCodes: []int{0},
		StopSignal: syscall.SIGTERM, StopWaitSecs: 10 * time.Second,
	}
}

// payload renders a change as its PROCESS_STATE event would be, minus
// names: "RUNNING from_state:STARTING pid:7".
func payload(c Change) string {
	s := fmt.Sprintf("%s from_state:%s", c.To, c.From)
	switch c.To {
	case Starting, Backoff:
		s += fmt.Sprintf(" tries:%d", c.Tries)
	case Exited:
		e := 0
		if c.Expected {
			e = 1
		}
		s += fmt.Sprintf(" expected:%d pid:%d", e, c.Pid)
	case Running, Stopping, Stopped:
		s += fmt.Sprintf(" pid:%d", c.Pid)
	}
	return s
}

var levelNames = map[slog.Level]string{
	slog.LevelDebug: "DEBG", slog.LevelInfo: "INFO", slog.LevelWarn: "WARN", LevelCritical: "CRIT",
}

var timerNames = [numTimers]string{"startsecs", "backoff", "stopreport", "stopwait"}

// render writes actions one per line for table tests.
func render(acts []action) []string {
	var out []string
	for _, a := range acts {
		out = append(out, renderAction(a))
	}
	return out
}

func renderAction(a action) string {
	switch a.kind {
	case actEmit:
		return "emit " + payload(a.change)
	case actLog:
		return levelNames[a.level] + " " + a.msg
	case actSpawn:
		return "spawn"
	case actSignal:
		s := "signal " + SignalName(a.sig)
		if a.group {
			s += " group"
		}
		return s
	case actStartTimer:
		return fmt.Sprintf("timer %s %v", timerNames[a.timer], a.d)
	case actCancelTimer:
		return "cancel " + timerNames[a.timer]
	case actReject:
		return "reject " + a.err.Error()
	}
	return fmt.Sprintf("action(%d)", a.kind)
}

func lines(s ...string) []string { return s }

func diffLines(got, want []string) string {
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return ""
	}
	return fmt.Sprintf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
}
