package supervisor

import (
	"cmp"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/lancerhq/lancer/core/internal/config"
)

// scaleConf runs w with two processes and one with one. Logs are NONE in
// the file: the harness turns AUTO logs into NONE in what it loads, which
// a section read again from the file would not be.
const scaleConf = `
[program:w]
command = w %(process_num)d
process_name = w_%(process_num)d
numprocs = 2
startsecs = 0
stdout_logfile = NONE
stderr_logfile = NONE

[program:one]
command = one
startsecs = 0
stdout_logfile = NONE
stderr_logfile = NONE
`

// scaler returns a Scaler over h that reads the config as the harness
// loads it.
func (h *harness) scaler() *Scaler {
	return NewScaler(h.Supervisor, config.Options{Environ: []string{}, Hostname: "h", Dir: filepath.Dir(h.conf.path)})
}

// pids returns "namespec STATE pid" for every process.
func (h *harness) pids() []string {
	var out []string
	for _, st := range h.Snapshot() {
		out = append(out, fmt.Sprintf("%s %s %d", namespec(st.Group, st.Name), st.State, st.Pid))
	}
	return out
}

// byProcess orders events by process name, keeping each one's order:
// the events of processes started or stopped together interleave.
func byProcess(evs []string) []string {
	name := func(e string) string {
		_, after, _ := strings.Cut(e, "processname:")
		n, _, _ := strings.Cut(after, " ")
		return n
	}
	evs = slices.Clone(evs)
	slices.SortStableFunc(evs, func(a, b string) int { return cmp.Compare(name(a), name(b)) })
	return evs
}

// signals returns the signal lines of timeline lines, without times.
func signals(lines []string) []string {
	var out []string
	for _, l := range lines {
		if _, msg, _ := strings.Cut(l, " "); strings.HasPrefix(msg, "signal ") {
			out = append(out, msg)
		}
	}
	return out
}

func wantList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if d := diffLines(got, want); d != "" {
		t.Errorf("%s:\n%s", what, d)
	}
}

// TestSetNumprocs scales w up and down: the processes it keeps keep
// their pids, new ones take the next process_num, surplus ones stop
// highest first and go; then update puts the file's numprocs back.
func TestSetNumprocs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, scaleConf).start()
		sc, ctx := h.scaler(), t.Context()
		wantList(t, "pids at start", h.pids(), []string{"one RUNNING 101", "w:w_0 RUNNING 102", "w:w_1 RUNNING 103"})
		h.mark()

		added, removed, err := sc.SetNumprocs(ctx, "w", 4)
		if err != nil || !slices.Equal(added, []string{"w:w_2", "w:w_3"}) || removed != nil {
			t.Fatalf("SetNumprocs(w, 4) = %q, %q, %v; want [w:w_2 w:w_3], [], nil", added, removed, err)
		}
		synctest.Wait()
		wantList(t, "pids after 4", h.pids(), []string{"one RUNNING 101",
			"w:w_0 RUNNING 102", "w:w_1 RUNNING 103", "w:w_2 RUNNING 104", "w:w_3 RUNNING 105"})
		if sp, _ := h.fake.spec("w_3"); !slices.Equal(sp.Argv, []string{"w", "3"}) {
			t.Errorf("w_3 runs %q; want [w 3], its section expanded for process_num 3", sp.Argv)
		}
		wantList(t, "events of scaling up", byProcess(h.events.take()), []string{
			"PROCESS_STATE_STARTING processname:w_2 groupname:w from_state:STOPPED tries:0",
			"PROCESS_STATE_RUNNING processname:w_2 groupname:w from_state:STARTING pid:104",
			"PROCESS_STATE_STARTING processname:w_3 groupname:w from_state:STOPPED tries:0",
			"PROCESS_STATE_RUNNING processname:w_3 groupname:w from_state:STARTING pid:105",
		})

		h.mark()
		added, removed, err = sc.SetNumprocs(ctx, "w", 1)
		if err != nil || added == nil || len(added) != 0 || !slices.Equal(removed, []string{"w:w_3", "w:w_2", "w:w_1"}) {
			t.Fatalf("SetNumprocs(w, 1) = %q, %q, %v; want [], [w:w_3 w:w_2 w:w_1], nil", added, removed, err)
		}
		synctest.Wait()
		wantList(t, "signals", signals(h.tl.take()), []string{"signal w_3 SIGTERM", "signal w_2 SIGTERM", "signal w_1 SIGTERM"})
		wantList(t, "pids after 1", h.pids(), []string{"one RUNNING 101", "w:w_0 RUNNING 102"})
		wantList(t, "events of scaling down", byProcess(h.events.take()), []string{
			"PROCESS_STATE_STOPPING processname:w_1 groupname:w from_state:RUNNING pid:103",
			"PROCESS_STATE_STOPPED processname:w_1 groupname:w from_state:STOPPING pid:103",
			"PROCESS_STATE_STOPPING processname:w_2 groupname:w from_state:RUNNING pid:104",
			"PROCESS_STATE_STOPPED processname:w_2 groupname:w from_state:STOPPING pid:104",
			"PROCESS_STATE_STOPPING processname:w_3 groupname:w from_state:RUNNING pid:105",
			"PROCESS_STATE_STOPPED processname:w_3 groupname:w from_state:STOPPING pid:105",
		})

		// The file still says numprocs = 2: reread sees w changed, and
		// update adds w_1 back without touching w_0.
		changes, err := sc.Update(ctx, nil)
		if want := []Change{{Group: "w", Name: "w_1", Action: ActionAdded}}; err != nil || !slices.Equal(changes, want) {
			t.Errorf("Update() = %+v, %v; want %+v", changes, err, want)
		}
		synctest.Wait()
		wantList(t, "pids after update", h.pids(), []string{"one RUNNING 101", "w:w_0 RUNNING 102", "w:w_1 RUNNING 106"})
		if c, err := h.Reread(); err != nil || !c.Empty() {
			t.Errorf("Reread() after update = %+v, %v; want no changes", c, err)
		}
		h.stop()
	})
}

// TestSetNumprocsRefused checks what SetNumprocs refuses: each case
// leaves every process as it was.
func TestSetNumprocsRefused(t *testing.T) {
	listener := "\n[eventlistener:l]\ncommand = l\nevents = TICK_60\nstdout_logfile = NONE\nstderr_logfile = NONE\n"
	tests := []struct {
		name    string
		conf    string
		edit    string // the config file once started, if set
		program string
		n       int
		want    string // the error's text, or its fault name
	}{
		{name: "no such program", program: "nosuch", n: 2, want: "BAD_NAME"},
		{name: "zero", program: "w", n: 0, want: "numprocs 0: must be at least 1"},
		{name: "one process name", program: "one", n: 2,
			want: `supervisord.conf:14: [program:one] process_name: "%(program_name)s" must contain %(process_num) when numprocs is 2, so that each process has its own name`},
		{name: "file edited", edit: strings.Replace(scaleConf, "command = w %", "command = w2 %", 1), program: "w", n: 3,
			want: "cannot set the numprocs of w in place: w:w_0, w:w_1 would run with another configuration " +
				"(the config file was edited since, or the program uses %(numprocs)d); apply it with update"},
		{name: "uses numprocs", conf: strings.Replace(scaleConf, "command = w %(process_num)d", "command = w %(numprocs)d", 1),
			program: "w", n: 3,
			want: "cannot set the numprocs of w in place: w:w_0, w:w_1 would run with another configuration " +
				"(the config file was edited since, or the program uses %(numprocs)d); apply it with update"},
		{name: "listener pool", conf: scaleConf + listener, program: "l", n: 1,
			want: "l is an event listener pool, whose processes cannot change while it runs (use update)"},
		{name: "section gone", edit: "[program:other]\ncommand = other\n", program: "one", n: 1,
			want: "CANT_REREAD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newHarness(t, cmp.Or(tt.conf, scaleConf)).start()
				if tt.edit != "" {
					h.conf.write(t, tt.edit)
				}
				before := h.pids()
				_, _, err := h.scaler().SetNumprocs(t.Context(), tt.program, tt.n)
				got := strings.ReplaceAll(faultName(err), filepath.Dir(h.conf.path)+"/", "")
				if got != tt.want {
					t.Errorf("SetNumprocs(%s, %d) = %s; want %s", tt.program, tt.n, got, tt.want)
				}
				synctest.Wait()
				wantList(t, "pids", h.pids(), before)
				h.stop()
			})
		})
	}
}

// TestAddProgramToGroup adds a program to a running group, scales it,
// and checks the refusals.
func TestAddProgramToGroup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, scaleConf).start()
		sc, ctx := h.scaler(), t.Context()
		h.mark()
		opts := map[string]string{
			"command": "extra %(process_num)d %(group_name)s", "process_name": "extra_%(process_num)d", "numprocs": "2",
			"startsecs": "0", "stdout_logfile": "NONE", "stderr_logfile": "NONE",
		}
		if err := sc.AddProgramToGroup(ctx, "w", "extra", opts); err != nil {
			t.Fatalf("AddProgramToGroup(w, extra) = %v", err)
		}
		synctest.Wait()
		wantList(t, "pids after add", h.pids(), []string{"one RUNNING 101",
			"w:w_0 RUNNING 102", "w:w_1 RUNNING 103", "w:extra_0 RUNNING 104", "w:extra_1 RUNNING 105"})
		if sp, _ := h.fake.spec("extra_1"); !slices.Equal(sp.Argv, []string{"extra", "1", "w"}) {
			t.Errorf("extra_1 runs %q; want [extra 1 w]", sp.Argv)
		}
		if evs := notProcessState(h.events.take()); len(evs) != 0 {
			t.Errorf("events besides process states: %q; want none, as twiddler emits none", evs)
		}

		// Its section is the options given, not the file's.
		if added, _, err := sc.SetNumprocs(ctx, "extra", 3); err != nil || !slices.Equal(added, []string{"w:extra_2"}) {
			t.Errorf("SetNumprocs(extra, 3) = %q, %v; want [w:extra_2]", added, err)
		}
		manual := map[string]string{"command": "m", "autostart": "false"}
		for _, step := range []struct {
			name, group, program string
			opts                 map[string]string
			want                 string
		}{
			{"manual", "one", "m", manual, "OK"},
			{"again", "one", "m", manual, "ALREADY_ADDED"},
			{"a name the group has", "w", "w_0", map[string]string{"command": "x"}, "ALREADY_ADDED"},
			{"no such group", "nosuch", "m", manual, "BAD_NAME"},
			{"bad option", "one", "b", map[string]string{"command": "b", "startsecs": "soon"}, `[program:b] startsecs: invalid integer "soon"`},
			{"unknown option", "one", "b", map[string]string{"command": "b", "autorestrat": "true"}, "[program:b] autorestrat: unknown option"},
		} {
			err := sc.AddProgramToGroup(ctx, step.group, step.program, step.opts)
			got := faultName(err)
			var ce *config.Error
			if errors.As(err, &ce) {
				got = err.Error()
			}
			if got != step.want {
				t.Errorf("%s: AddProgramToGroup(%s, %s) = %s; want %s", step.name, step.group, step.program, got, step.want)
			}
		}
		synctest.Wait()
		wantList(t, "pids at the end", h.pids(), []string{"one RUNNING 101", "one:m STOPPED 0",
			"w:w_0 RUNNING 102", "w:w_1 RUNNING 103", "w:extra_0 RUNNING 104", "w:extra_1 RUNNING 105", "w:extra_2 RUNNING 106"})
		h.stop()
	})
}

// TestRemoveProcessFromGroup removes one stopped process of a group.
func TestRemoveProcessFromGroup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, scaleConf+"\n[eventlistener:l]\ncommand = l\nevents = TICK_60\nautostart = false\nstdout_logfile = NONE\nstderr_logfile = NONE\n").start()
		sc, ctx := h.scaler(), t.Context()
		for _, step := range []struct {
			name string
			err  error
			want string
		}{
			{"running", sc.RemoveProcessFromGroup(ctx, "w", "w_1"), "STILL_RUNNING"},
			{"stop", h.StopProcess(ctx, "w:w_1", true), "OK"},
			{"stopped", sc.RemoveProcessFromGroup(ctx, "w", "w_1"), "OK"},
			{"again", sc.RemoveProcessFromGroup(ctx, "w", "w_1"), "BAD_NAME"},
			{"no such group", sc.RemoveProcessFromGroup(ctx, "nosuch", "w_0"), "BAD_NAME"},
			{"listener", sc.RemoveProcessFromGroup(ctx, "l", "l"), "l is an event listener pool, whose processes cannot change while it runs"},
		} {
			if got := faultName(step.err); got != step.want {
				t.Errorf("%s = %s (%v); want %s", step.name, got, step.err, step.want)
			}
		}
		wantList(t, "pids", h.pids(), []string{"l STOPPED 0", "one RUNNING 101", "w:w_0 RUNNING 102"})
		if _, err := h.Log("w:w_1", "stdout"); !errors.Is(err, ErrBadName) {
			t.Errorf("Log(w:w_1) of a removed process = %v; want %v", err, ErrBadName)
		}
		h.stop()
	})
}

const (
	updateBefore = `
[group:g]
programs = a,b

[program:a]
command = a
startsecs = 0

[program:b]
command = b
startsecs = 0

[program:c]
command = c
startsecs = 0
`
	// a changed, b unchanged, d joins g; c removed, e added.
	updateAfter = `
[group:g]
programs = a,b,d

[program:a]
command = a2
startsecs = 0

[program:b]
command = b
startsecs = 0

[program:d]
command = d
startsecs = 0

[program:e]
command = e
startsecs = 0
`
)

// TestUpdate checks the per-process update: in a changed group only the
// changed process restarts, and the group is neither removed nor added.
func TestUpdate(t *testing.T) {
	tests := []struct {
		name    string
		after   string
		names   []string
		changes []Change
		pids    []string
		events  []string // besides PROCESS_STATE ones
	}{
		{
			name: "all", after: updateAfter,
			changes: []Change{
				{Group: "c", Action: ActionRemoved},
				{Group: "g", Name: "a", Action: ActionUpdated},
				{Group: "g", Name: "d", Action: ActionAdded},
				{Group: "e", Action: ActionAdded},
			},
			pids:   []string{"e RUNNING 106", "g:a RUNNING 104", "g:b RUNNING 103", "g:d RUNNING 105"},
			events: []string{"PROCESS_GROUP_REMOVED groupname:c", "PROCESS_GROUP_ADDED groupname:e"},
		},
		{
			name: "one group", after: updateAfter, names: []string{"c"},
			changes: []Change{{Group: "c", Action: ActionRemoved}},
			pids:    []string{"g:a RUNNING 102", "g:b RUNNING 103"},
			events:  []string{"PROCESS_GROUP_REMOVED groupname:c"},
		},
		{
			name: "group settings", after: strings.Replace(updateBefore, "programs = a,b", "programs = a,b\npriority = 5", 1),
			changes: []Change{{Group: "g", Action: ActionUpdated}},
			pids:    []string{"g:a RUNNING 104", "g:b RUNNING 105", "c RUNNING 101"},
			events:  []string{"PROCESS_GROUP_REMOVED groupname:g", "PROCESS_GROUP_ADDED groupname:g"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newHarness(t, updateBefore).start()
				wantList(t, "pids at start", h.pids(), []string{"c RUNNING 101", "g:a RUNNING 102", "g:b RUNNING 103"})
				h.conf.write(t, tt.after)
				h.mark()
				changes, err := h.scaler().Update(t.Context(), tt.names)
				if err != nil || !slices.Equal(changes, tt.changes) {
					t.Errorf("Update(%q) = %+v, %v; want %+v", tt.names, changes, err, tt.changes)
				}
				synctest.Wait()
				wantList(t, "pids", h.pids(), tt.pids)
				wantList(t, "events", notProcessState(h.events.take()), tt.events)
				h.stop()
			})
		})
	}
}

func TestUpdateErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, updateBefore).start()
		sc := h.scaler()
		h.conf.write(t, updateAfter)
		if _, err := sc.Update(t.Context(), []string{"c", "nosuch"}); faultName(err) != "BAD_NAME" {
			t.Errorf("Update([c nosuch]) = %v; want BAD_NAME", err)
		}
		h.conf.write(t, "[program:bad]\ncommand = x\nstartsecs = soon\n")
		if _, err := sc.Update(t.Context(), nil); faultName(err) != "CANT_REREAD" {
			t.Errorf("Update() of a bad file = %v; want CANT_REREAD", err)
		}
		wantList(t, "pids", h.pids(), []string{"c RUNNING 101", "g:a RUNNING 102", "g:b RUNNING 103"})
		h.stop()
	})
}
