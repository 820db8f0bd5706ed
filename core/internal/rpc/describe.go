package rpc

import (
	"fmt"
	"math"
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
		return fmt.Sprintf("pid %d, uptime %s", i.Pid, uptime(int64(epoch(now))-int64(epoch(i.Start))))
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
func uptime(secs int64) string {
	secs = max(secs, 0)
	days, secs := secs/86400, secs%86400
	hms := fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	switch days {
	case 0:
		return hms
	case 1:
		return "1 day, " + hms
	}
	return fmt.Sprintf("%d days, %s", days, hms)
}
