package rpc

import (
	"math"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

func TestDescribe(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 16, 19, 30, 900e6, time.UTC)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		info process.Info
		loc  *time.Location
		want string
	}{
		{"running", process.Info{State: process.Running, Pid: 8366, Start: now.Add(-20 * time.Second)}, time.UTC, "pid 8366, uptime 0:00:20"},
		{"whole seconds", process.Info{State: process.Running, Pid: 1, Start: now.Add(-1500 * time.Millisecond)}, time.UTC, "pid 1, uptime 0:00:01"},
		{"one day", process.Info{State: process.Running, Pid: 1, Start: now.Add(-(24*time.Hour + 3723*time.Second))}, time.UTC, "pid 1, uptime 1 day, 1:02:03"},
		{"days", process.Info{State: process.Running, Pid: 1, Start: now.Add(-50 * time.Hour)}, time.UTC, "pid 1, uptime 2 days, 2:00:00"},
		{"clock set back", process.Info{State: process.Running, Pid: 1, Start: now.Add(time.Hour)}, time.UTC, "pid 1, uptime 0:00:00"},
		{"backoff", process.Info{Name: "web", State: process.Backoff, SpawnErr: "Exited too quickly (process log may have details)"}, time.UTC,
			"Exited too quickly (process log may have details)"},
		{"fatal unknown", process.Info{Name: "web", State: process.Fatal}, time.UTC, `unknown error (try "tail web")`},
		{"never started", process.Info{State: process.Stopped}, time.UTC, "Not started"},
		{"stopped", process.Info{State: process.Stopped, Start: now.Add(-time.Hour), Stop: now}, time.UTC, "Nov 22 04:19 PM"},
		{"exited local", process.Info{State: process.Exited, Start: now.Add(-time.Hour), Stop: now}, paris, "Nov 22 05:19 PM"},
		{"exited morning", process.Info{State: process.Exited, Start: now, Stop: now.Add(-12 * time.Hour)}, time.UTC, "Nov 22 04:19 AM"},
		{"starting", process.Info{State: process.Starting, Pid: 3}, time.UTC, ""},
		{"stopping", process.Info{State: process.Stopping, Pid: 3}, time.UTC, ""},
		{"unknown", process.Info{State: process.Unknown}, time.UTC, ""},
	}
	for _, tt := range tests {
		if got := describe(tt.info, now, tt.loc); got != tt.want {
			t.Errorf("%s: describe(%+v) = %q; want %q", tt.name, tt.info, got, tt.want)
		}
	}
}

func TestEpoch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		t    time.Time
		want int
	}{
		{time.Time{}, 0},
		{time.Unix(946684800, 999e6), 946684800},
		{time.Unix(1<<40, 0), math.MaxInt32}, // the reference's capped_int
	}
	for _, tt := range tests {
		if got := epoch(tt.t); got != tt.want {
			t.Errorf("epoch(%v) = %d; want %d", tt.t, got, tt.want)
		}
	}
}

// TestGetAllConfigInfo covers what the golden file does not: AUTO logs of
// processes not running with the listed configuration, groups not in use,
// uid, and the Snapshot fallback without Options.Config.
func TestGetAllConfigInfo(t *testing.T) {
	running := config.Group{Name: "web", Priority: 5, Processes: []config.Process{
		{Name: "web", Command: "/bin/web", User: "www", UID: 33, StopSignal: syscall.SIGTERM, ExitCodes: []int{0},
			Stdout: config.Log{Kind: config.LogAuto}, Stderr: config.Log{Kind: config.LogNone}},
	}}
	reparsed := running // as a reread parses it again: equal, but another value
	reparsed.Processes = slices.Clone(running.Processes)
	reread := config.File{Groups: []config.Group{reparsed, {Name: "new", Processes: []config.Process{{Name: "new", Command: "/bin/new"}}}}}
	f := newFake(t)
	p := f.add("web", "web", process.Running)
	p.st.Config, p.st.GroupConfig = &running.Processes[0], &running
	p.st.StdoutLogfile = "/tmp/web-stdout---supervisor-abc.log"

	tests := []struct {
		name   string
		config func() *config.File
		want   []xmlrpc.ConfigInfo
	}{
		{"from snapshot", nil, []xmlrpc.ConfigInfo{
			configWant("web", "web", 5, true, "/tmp/web-stdout---supervisor-abc.log", 33),
		}},
		{"after reread", func() *config.File { return &reread }, []xmlrpc.ConfigInfo{
			configWant("new", "new", 0, false, "auto", -1),
			configWant("web", "web", 5, true, "auto", 33),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newHandler(t, f, Options{Config: tt.config})
			var got []xmlrpc.ConfigInfo
			if err := xmlrpc.Unmarshal(mustCall(t, h, "supervisor.getAllConfigInfo"), &got); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("getAllConfigInfo = %+v; want %+v", got, tt.want)
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.Name != w.Name || g.Group != w.Group || g.GroupPrio != w.GroupPrio || g.InUse != w.InUse ||
					g.StdoutLogfile != w.StdoutLogfile || g.StderrLogfile != w.StderrLogfile || g.UID != w.UID ||
					g.Directory != "none" || g.ServerURL != "none" {
					t.Errorf("getAllConfigInfo[%d] = %+v; want %+v", i, g, w)
				}
			}
		})
	}
}

func configWant(group, name string, prio int, inUse bool, stdout string, uid int) xmlrpc.ConfigInfo {
	ci := xmlrpc.ConfigInfo{Group: group, Name: name, GroupPrio: prio, InUse: inUse, StdoutLogfile: stdout, StderrLogfile: "none"}
	if name == "new" {
		ci.StderrLogfile = "auto"
	}
	if uid >= 0 {
		ci.UID = xmlrpc.OptionalInt{Int: uid, Valid: true}
	}
	return ci
}

// TestGetAllProcessInfoOrder checks the reference's lexical order: by
// group name, then process name, whatever the priorities.
func TestGetAllProcessInfoOrder(t *testing.T) {
	f := newFake(t)
	f.add("zeta", "a", process.Stopped)
	f.add("alpha", "b2", process.Stopped)
	f.add("alpha", "b10", process.Stopped)
	f.add("Beta", "c", process.Stopped)
	h, _ := newHandler(t, f, Options{})
	var got []xmlrpc.ProcessInfo
	if err := xmlrpc.Unmarshal(mustCall(t, h, "supervisor.getAllProcessInfo"), &got); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range got {
		names = append(names, p.Namespec())
	}
	if want := []string{"Beta:c", "alpha:b10", "alpha:b2", "zeta:a"}; !slices.Equal(names, want) {
		t.Errorf("getAllProcessInfo order = %q; want %q", names, want)
	}
	wantFault(t, h, "BAD_NAME: alpha", "supervisor.getProcessInfo", "alpha")
}
