package xmlrpc

import (
	"fmt"
	"time"
)

// The result types of the supervisor.* methods. Field order is the member
// order of supervisord 4.2.5's responses, so that a server encoding these
// structs with [EncodeResponse] sends the same bytes as Python.

// State is the result of supervisor.getState. Codes: 2 FATAL, 1 RUNNING,
// 0 RESTARTING, -1 SHUTDOWN.
type State struct {
	Code int    `xmlrpc:"statecode"`
	Name string `xmlrpc:"statename"`
}

// ProcessInfo is the result of supervisor.getProcessInfo, one process
// (supervisor.md §2.4). Times are Unix seconds, 0 when never.
type ProcessInfo struct {
	Name          string `xmlrpc:"name"`
	Group         string `xmlrpc:"group"`
	Start         int    `xmlrpc:"start"` // last spawn, capped at 2^31-1
	Stop          int    `xmlrpc:"stop"`  // last exit
	Now           int    `xmlrpc:"now"`   // server time
	State         int    `xmlrpc:"state"` // process state code: 0 STOPPED ... 1000 UNKNOWN
	StateName     string `xmlrpc:"statename"`
	SpawnErr      string `xmlrpc:"spawnerr"`
	ExitStatus    int    `xmlrpc:"exitstatus"` // -1 if killed by a signal
	Logfile       string `xmlrpc:"logfile"`    // alias of stdout_logfile
	StdoutLogfile string `xmlrpc:"stdout_logfile"`
	StderrLogfile string `xmlrpc:"stderr_logfile"`
	PID           int    `xmlrpc:"pid"` // 0 when not running
	Description   string `xmlrpc:"description"`
}

// Namespec returns the name supervisord accepts for the process:
// "group:name", or just "name" when the two are equal (supervisord's
// make_namespec).
func (p ProcessInfo) Namespec() string {
	if p.Group == p.Name {
		return p.Name
	}
	return p.Group + ":" + p.Name
}

// StartTime returns Start as a time, or the zero time if never started.
func (p ProcessInfo) StartTime() time.Time { return unixOrZero(p.Start) }

// StopTime returns Stop as a time, or the zero time if never stopped.
func (p ProcessInfo) StopTime() time.Time { return unixOrZero(p.Stop) }

func unixOrZero(sec int) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(int64(sec), 0)
}

// ConfigInfo is one entry of supervisor.getAllConfigInfo: the configuration
// of one process, from the last parsed configuration. supervisord sends
// automatic values as "auto" and unset ones as "none" (in string fields),
// and UID as the string "none" when unset.
type ConfigInfo struct {
	Autostart             bool        `xmlrpc:"autostart"`
	Directory             string      `xmlrpc:"directory"`
	UID                   OptionalInt `xmlrpc:"uid"`
	Command               string      `xmlrpc:"command"`
	ExitCodes             []int       `xmlrpc:"exitcodes"`
	Group                 string      `xmlrpc:"group"`
	GroupPrio             int         `xmlrpc:"group_prio"`
	InUse                 bool        `xmlrpc:"inuse"` // the group is active
	KillAsGroup           bool        `xmlrpc:"killasgroup"`
	Name                  string      `xmlrpc:"name"`
	ProcessPrio           int         `xmlrpc:"process_prio"`
	RedirectStderr        bool        `xmlrpc:"redirect_stderr"`
	StartRetries          int         `xmlrpc:"startretries"`
	StartSecs             int         `xmlrpc:"startsecs"`
	StdoutCaptureMaxBytes int         `xmlrpc:"stdout_capture_maxbytes"`
	StdoutEventsEnabled   bool        `xmlrpc:"stdout_events_enabled"`
	StdoutLogfile         string      `xmlrpc:"stdout_logfile"`
	StdoutLogfileBackups  int         `xmlrpc:"stdout_logfile_backups"`
	StdoutLogfileMaxBytes int         `xmlrpc:"stdout_logfile_maxbytes"`
	StdoutSyslog          bool        `xmlrpc:"stdout_syslog"`
	StopSignal            int         `xmlrpc:"stopsignal"`
	StopWaitSecs          int         `xmlrpc:"stopwaitsecs"`
	StderrCaptureMaxBytes int         `xmlrpc:"stderr_capture_maxbytes"`
	StderrEventsEnabled   bool        `xmlrpc:"stderr_events_enabled"`
	StderrLogfile         string      `xmlrpc:"stderr_logfile"`
	StderrLogfileBackups  int         `xmlrpc:"stderr_logfile_backups"`
	StderrLogfileMaxBytes int         `xmlrpc:"stderr_logfile_maxbytes"`
	StderrSyslog          bool        `xmlrpc:"stderr_syslog"`
	ServerURL             string      `xmlrpc:"serverurl"`
}

// OptionalInt is an int that supervisord sends as the string "none" when
// it is unset (getAllConfigInfo's uid). The zero value is unset.
type OptionalInt struct {
	Int   int
	Valid bool // false for "none"
}

// MarshalXMLRPC encodes o as an int, or the string "none" when unset.
func (o OptionalInt) MarshalXMLRPC() (Value, error) {
	if !o.Valid {
		return String("none"), nil
	}
	return Int(int64(o.Int)), nil
}

// UnmarshalXMLRPC decodes an int, or the string "none" as unset.
func (o *OptionalInt) UnmarshalXMLRPC(v Value) error {
	if s, ok := v.AsString(); ok && s == "none" {
		*o = OptionalInt{}
		return nil
	}
	n, ok := v.AsInt()
	if !ok || int64(int(n)) != n {
		return fmt.Errorf("want int or \"none\", got %s", v.Kind())
	}
	*o = OptionalInt{Int: int(n), Valid: true}
	return nil
}

// Result is one entry in the result array of a bulk method
// (startProcessGroup, stopAllProcesses, signalProcessGroup,
// clearAllProcessLogs and the like). Status is [FaultSuccess] (80) with
// Description "OK", or the fault code of the failure with its fault string.
type Result struct {
	Name        string `xmlrpc:"name"`
	Group       string `xmlrpc:"group"`
	Status      int    `xmlrpc:"status"`
	Description string `xmlrpc:"description"`
}

// Namespec returns "group:name", or "name" when the two are equal.
func (r Result) Namespec() string {
	return ProcessInfo{Name: r.Name, Group: r.Group}.Namespec()
}

// Err returns nil for a successful entry, else the failure as a *[Fault],
// so that errors.Is(r.Err(), ErrAlreadyStarted) works.
func (r Result) Err() error {
	if r.Status == FaultSuccess {
		return nil
	}
	return &Fault{Code: r.Status, String: r.Description}
}

// Tail is the result of tailProcessStdoutLog and tailProcessStderrLog,
// which supervisord sends as the array [data, offset, overflow]. Offset is
// the log size, to pass back on the next call; Overflow reports that more
// than the requested length was new, so that data starts mid-way.
type Tail struct {
	Data     string
	Offset   int
	Overflow bool
}

// MarshalXMLRPC encodes t as the array [data, offset, overflow].
func (t Tail) MarshalXMLRPC() (Value, error) {
	return Array(String(t.Data), Int(int64(t.Offset)), Bool(t.Overflow)), nil
}

// UnmarshalXMLRPC decodes t from the array [data, offset, overflow].
func (t *Tail) UnmarshalXMLRPC(v Value) error {
	vs, ok := v.AsArray()
	if !ok || len(vs) != 3 {
		return fmt.Errorf("want array [string, int, boolean], got %v", v.Kind())
	}
	data, ok1 := vs[0].AsString()
	off, ok2 := vs[1].AsInt()
	overflow, ok3 := vs[2].AsBool()
	if !ok1 || !ok2 || !ok3 || int64(int(off)) != off {
		return fmt.Errorf("want array [string, int, boolean], got [%s, %s, %s]",
			vs[0].Kind(), vs[1].Kind(), vs[2].Kind())
	}
	*t = Tail{Data: data, Offset: int(off), Overflow: overflow}
	return nil
}
