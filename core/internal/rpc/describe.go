package rpc

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/core/internal/supervisor"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// processInfo builds the getProcessInfo struct of st at now.
func processInfo(st supervisor.ProcessStatus, now time.Time, loc *time.Location) xmlrpc.ProcessInfo {
	return xmlrpc.ProcessInfo{
		Name:          st.Name,
		Group:         st.Group,
		Start:         epoch(st.Start),
		Stop:          epoch(st.Stop),
		Now:           epoch(now),
		State:         int(st.State),
		StateName:     st.State.String(),
		SpawnErr:      st.SpawnErr,
		ExitStatus:    st.ExitStatus,
		Logfile:       st.StdoutLogfile,
		StdoutLogfile: st.StdoutLogfile,
		StderrLogfile: st.StderrLogfile,
		PID:           st.Pid,
		Description:   describe(st.Info, now, loc),
	}
}

// epoch is a time as the reference sends it: whole Unix seconds, capped
// to the XML-RPC int range (its capped_int), 0 for never.
func epoch(t time.Time) int {
	if t.IsZero() {
		return 0
	}
	return int(min(max(t.Unix(), math.MinInt32), math.MaxInt32))
}

// describe is the reference's description of a process
// (_interpretProcessInfo, supervisor.md §2.4):
//
//   - RUNNING: "pid 8366, uptime 0:00:20";
//   - BACKOFF, FATAL: the spawn error, or `unknown error (try "tail NAME")`;
//   - STOPPED, EXITED: the stop time, "Nov 22 04:19 AM" in loc, or
//     "Not started" if the process never started;
//   - otherwise "".
//
// Times are taken at whole seconds, as the reference computes from its
// capped ints.
func describe(i process.Info, now time.Time, loc *time.Location) string {
	switch i.State {
	case process.Running:
		// Built by hand: getAllProcessInfo writes one per process.
		b := make([]byte, 0, 48)
		b = append(b, "pid "...)
		b = strconv.AppendInt(b, int64(i.Pid), 10)
		b = append(b, ", uptime "...)
		return string(appendUptime(b, int64(epoch(now))-int64(epoch(i.Start))))
	case process.Backoff, process.Fatal:
		if i.SpawnErr != "" {
			return i.SpawnErr
		}
		return fmt.Sprintf("unknown error (try \"tail %s\")", i.Name)
	case process.Stopped, process.Exited:
		if epoch(i.Start) == 0 {
			return "Not started"
		}
		return time.Unix(int64(epoch(i.Stop)), 0).In(loc).Format("Jan 02 03:04 PM")
	}
	return ""
}

// uptime formats secs as Python's timedelta does ("0:00:20", "1 day,
// 2:03:04", "3 days, ..."); a negative uptime (the clock was set back) is
// 0.
func uptime(secs int64) string { return string(appendUptime(nil, secs)) }

func appendUptime(b []byte, secs int64) []byte {
	secs = max(secs, 0)
	days, secs := secs/86400, secs%86400
	switch days {
	case 0:
	case 1:
		b = append(b, "1 day, "...)
	default:
		b = strconv.AppendInt(b, days, 10)
		b = append(b, " days, "...)
	}
	b = strconv.AppendInt(b, secs/3600, 10)
	b = append(b, ':')
	b = append2(b, secs/60%60)
	b = append(b, ':')
	return append2(b, secs%60)
}

// append2 appends n (0-99) with two digits, as %02d.
func append2(b []byte, n int64) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }
