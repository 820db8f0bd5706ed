package supervisor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lancerhq/lancer/core/internal/process"
)

// orderConf has groups whose file order, name order and priority order
// all differ, a heterogeneous group listing its programs out of name
// order, numprocs and an autostart=false program.
const orderConf = `
[program:late]
command = late
priority = 300

[program:nums]
command = nums
numprocs = 3
process_name = %(program_name)s_%(process_num)d
priority = 150

[group:mid]
programs = m2,m1
priority = 200

[program:m1]
command = m1
priority = 1

[program:m2]
command = m2
priority = 2

[program:off]
command = off
autostart = false
priority = 50

[program:early]
command = early
priority = 100
`

func TestAutostartOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, orderConf).start()
		// A [group:x] runs its programs in the order it lists them, whatever
		// their priority, as the reference's group config does.
		want := []string{"early", "nums_0", "nums_1", "nums_2", "m2", "m1", "late"}
		if got := h.fake.spawnOrder(); !slices.Equal(got, want) {
			t.Errorf("spawn order = %q; want %q", got, want)
		}
		h.expect(
			"0s INFO supervisord started with pid 42",
			"0s spawn early 101", "0s INFO spawned: 'early' with pid 101",
			"0s spawn nums_0 102", "0s INFO spawned: 'nums_0' with pid 102",
			"0s spawn nums_1 103", "0s INFO spawned: 'nums_1' with pid 103",
			"0s spawn nums_2 104", "0s INFO spawned: 'nums_2' with pid 104",
			"0s spawn m2 105", "0s INFO spawned: 'm2' with pid 105",
			"0s spawn m1 106", "0s INFO spawned: 'm1' with pid 106",
			"0s spawn late 107", "0s INFO spawned: 'late' with pid 107",
		)
		h.stop()
	})
}

func TestSnapshot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, orderConf).start()
		time.Sleep(2 * time.Second) // past startsecs
		var got []string
		for _, st := range h.Snapshot() {
			got = append(got, fmt.Sprintf("%s:%s %s pid=%d cfg=%s/%s logs=%q,%q",
				st.Group, st.Name, st.State, st.Pid, st.GroupConfig.Name, st.Config.Name, st.StdoutLogfile, st.StderrLogfile))
		}
		// Groups in (priority, name) order, processes in group order.
		want := []string{
			`off:off STOPPED pid=0 cfg=off/off logs="",""`,
			`early:early RUNNING pid=101 cfg=early/early logs="",""`,
			`nums:nums_0 RUNNING pid=102 cfg=nums/nums_0 logs="",""`,
			`nums:nums_1 RUNNING pid=103 cfg=nums/nums_1 logs="",""`,
			`nums:nums_2 RUNNING pid=104 cfg=nums/nums_2 logs="",""`,
			`mid:m2 RUNNING pid=105 cfg=mid/m2 logs="",""`,
			`mid:m1 RUNNING pid=106 cfg=mid/m1 logs="",""`,
			`late:late RUNNING pid=107 cfg=late/late logs="",""`,
		}
		if d := diffLines(got, want); d != "" {
			t.Errorf("Snapshot():\n%s", d)
		}
		h.stop()
	})
}

// TestSnapshotBeforeRun checks that a Supervisor that has not run yet
// has an empty snapshot rather than a nil view.
func TestSnapshotBeforeRun(t *testing.T) {
	s, err := New(Options{Config: newConfFile(t, orderConf).load(t)})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Snapshot(); len(got) != 0 {
		t.Errorf("Snapshot() before Run = %v; want none", got)
	}
	if _, err := New(Options{}); err == nil {
		t.Error("New(Options{}) = nil error; want one for the missing config")
	}
}

func TestLookup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, orderConf).start()
		tests := []struct {
			name string
			want string // namespec, or the error
		}{
			{"early", "early"},
			{"early:early", "early"},
			{"nums:nums_1", "nums:nums_1"},
			{"mid:m1", "mid:m1"},
			{"m1", "BAD_NAME"},      // a process of a [group:x] needs its group
			{"mid", "BAD_NAME"},     // a group with no process of its name
			{"nums", "BAD_NAME"},    // numprocs: no process named like the group
			{"mid:*", "BAD_NAME"},   // a whole group is not one process
			{"mid:", "BAD_NAME"},    // nor is this form of it
			{"early:*", "BAD_NAME"}, // even when it holds one process
			{"mid:m3", "BAD_NAME"},
			{"nope", "BAD_NAME"},
			{"", "BAD_NAME"},
		}
		v := h.view.Load()
		for _, tt := range tests {
			got := "BAD_NAME"
			p, err := v.lookup(tt.name)
			if err == nil {
				got = p.namespec()
			} else if !errors.Is(err, ErrBadName) {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("lookup(%q) = %s; want %s", tt.name, got, tt.want)
			}
		}
		h.stop()
	})
}

// apiConf has a running program before a group holding a running, a
// stopped and a failing process.
const apiConf = `
[program:solo]
command = solo
priority = 10

[group:g]
programs = a,b,c

[program:a]
command = a

[program:b]
command = b
autostart = false

[program:c]
command = c
startretries = 0
`

// newAPIHarness runs apiConf until solo and g:a are RUNNING, g:b is
// STOPPED and g:c is FATAL.
func newAPIHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, apiConf)
	h.fake.script("c", script{spawnErr: "can't find command 'c'"})
	h.start()
	time.Sleep(2 * time.Second)
	want := []string{"solo:solo RUNNING", "g:a RUNNING", "g:b STOPPED", "g:c FATAL"}
	if got := h.states(); !slices.Equal(got, want) {
		t.Fatalf("states = %q; want %q", got, want)
	}
	return h
}

// faultName names err as the rpc layer's fault table will.
func faultName(err error) string {
	for _, f := range []struct {
		err  error
		name string
	}{
		{ErrBadName, "BAD_NAME"}, {ErrShutdownState, "SHUTDOWN_STATE"},
		{ErrAlreadyAdded, "ALREADY_ADDED"}, {ErrStillRunning, "STILL_RUNNING"},
		{ErrCantReread, "CANT_REREAD"}, {process.ErrSpawn, "SPAWN_ERROR"},
		{process.ErrAlreadyStarted, "ALREADY_STARTED"}, {process.ErrNotRunning, "NOT_RUNNING"},
		{process.ErrAbnormalTermination, "ABNORMAL_TERMINATION"}, {process.ErrNotFound, "NO_FILE"},
	} {
		if errors.Is(err, f.err) {
			return f.name
		}
	}
	if err == nil {
		return "OK"
	}
	return err.Error()
}

func renderResults(res []Result, err error) []string {
	if err != nil {
		return []string{faultName(err)}
	}
	out := []string{}
	for _, r := range res {
		out = append(out, r.Group+":"+r.Name+" "+faultName(r.Err))
	}
	return out
}

// TestGroupCommands checks which processes the group and all-process
// commands act on and report (reference §2.5): start the ones not
// running, stop the running ones, signal the signallable ones.
func TestGroupCommands(t *testing.T) {
	tests := []struct {
		name       string
		call       func(context.Context, *harness) ([]Result, error)
		want       []string
		wantStates []string
	}{
		// With wait, a start that fails at once comes before one that
		// waits for RUNNING, as in the reference's result arrays.
		{"start group", func(ctx context.Context, h *harness) ([]Result, error) { return h.StartGroup(ctx, "g", true) },
			[]string{"g:c SPAWN_ERROR", "g:b OK"},
			[]string{"solo:solo RUNNING", "g:a RUNNING", "g:b RUNNING", "g:c FATAL"}},
		{"start group g:*", func(ctx context.Context, h *harness) ([]Result, error) { return h.StartGroup(ctx, "g:*", true) },
			[]string{"g:c SPAWN_ERROR", "g:b OK"},
			[]string{"solo:solo RUNNING", "g:a RUNNING", "g:b RUNNING", "g:c FATAL"}},
		{"start group without waiting", func(ctx context.Context, h *harness) ([]Result, error) { return h.StartGroup(ctx, "g", false) },
			[]string{"g:b OK", "g:c SPAWN_ERROR"},
			[]string{"solo:solo RUNNING", "g:a RUNNING", "g:b STARTING", "g:c FATAL"}},
		{"start running group", func(ctx context.Context, h *harness) ([]Result, error) { return h.StartGroup(ctx, "solo", true) },
			[]string{},
			[]string{"solo:solo RUNNING", "g:a RUNNING", "g:b STOPPED", "g:c FATAL"}},
		{"start unknown group", func(ctx context.Context, h *harness) ([]Result, error) { return h.StartGroup(ctx, "nope", true) },
			[]string{"BAD_NAME"}, nil},
		{"start group by process name", func(ctx context.Context, h *harness) ([]Result, error) { return h.StartGroup(ctx, "g:b", true) },
			[]string{"BAD_NAME"}, nil},
		{"start group without a name", func(ctx context.Context, h *harness) ([]Result, error) { return h.StartGroup(ctx, "", true) },
			[]string{"BAD_NAME"}, nil},
		{"stop group without a name", func(ctx context.Context, h *harness) ([]Result, error) { return h.StopGroup(ctx, "", true) },
			[]string{"BAD_NAME"}, nil},
		{"signal group without a name", func(ctx context.Context, h *harness) ([]Result, error) {
			return h.SignalGroup(ctx, "", syscall.SIGUSR1)
		}, []string{"BAD_NAME"}, nil},
		{"start all", func(ctx context.Context, h *harness) ([]Result, error) { return h.StartAll(ctx, true) },
			[]string{"g:c SPAWN_ERROR", "g:b OK"},
			[]string{"solo:solo RUNNING", "g:a RUNNING", "g:b RUNNING", "g:c FATAL"}},
		{"stop group", func(ctx context.Context, h *harness) ([]Result, error) { return h.StopGroup(ctx, "g", true) },
			[]string{"g:a OK"},
			[]string{"solo:solo RUNNING", "g:a STOPPED", "g:b STOPPED", "g:c FATAL"}},
		{"stop stopped group", func(ctx context.Context, h *harness) ([]Result, error) {
			if _, err := h.StopGroup(ctx, "g", true); err != nil {
				return nil, err
			}
			return h.StopGroup(ctx, "g", true)
		}, []string{}, nil},
		{"stop unknown group", func(ctx context.Context, h *harness) ([]Result, error) { return h.StopGroup(ctx, "nope", true) },
			[]string{"BAD_NAME"}, nil},
		{"stop all", func(ctx context.Context, h *harness) ([]Result, error) { return h.StopAll(ctx, true) },
			[]string{"solo:solo OK", "g:a OK"},
			[]string{"solo:solo STOPPED", "g:a STOPPED", "g:b STOPPED", "g:c FATAL"}},
		{"signal group", func(ctx context.Context, h *harness) ([]Result, error) {
			return h.SignalGroup(ctx, "g", syscall.SIGUSR1)
		},
			[]string{"g:a OK"}, nil},
		{"signal unknown group", func(ctx context.Context, h *harness) ([]Result, error) {
			return h.SignalGroup(ctx, "nope", syscall.SIGUSR1)
		}, []string{"BAD_NAME"}, nil},
		{"signal all", func(ctx context.Context, h *harness) ([]Result, error) { return h.SignalAll(ctx, syscall.SIGUSR1) },
			[]string{"solo:solo OK", "g:a OK"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newAPIHarness(t)
				got := renderResults(tt.call(t.Context(), h))
				if !slices.Equal(got, tt.want) {
					t.Errorf("results = %q; want %q", got, tt.want)
				}
				if tt.wantStates != nil {
					if got := h.states(); !slices.Equal(got, tt.wantStates) {
						t.Errorf("states = %q; want %q", got, tt.wantStates)
					}
				}
				h.stop()
			})
		})
	}
}

// TestProcessCommands checks the single-process commands' errors.
func TestProcessCommands(t *testing.T) {
	tests := []struct {
		name      string
		call      func(context.Context, *harness) error
		want      string
		wantState string // of the process named in the call, "" to skip
	}{
		{"start running", func(ctx context.Context, h *harness) error { return h.StartProcess(ctx, "solo", true) }, "ALREADY_STARTED", "solo:solo RUNNING"},
		{"start stopped", func(ctx context.Context, h *harness) error { return h.StartProcess(ctx, "g:b", true) }, "OK", "g:b RUNNING"},
		{"start failing", func(ctx context.Context, h *harness) error { return h.StartProcess(ctx, "g:c", true) }, "SPAWN_ERROR", "g:c FATAL"},
		{"start group form", func(ctx context.Context, h *harness) error { return h.StartProcess(ctx, "g:*", true) }, "BAD_NAME", ""},
		{"start unknown", func(ctx context.Context, h *harness) error { return h.StartProcess(ctx, "b", true) }, "BAD_NAME", ""},
		{"stop stopped", func(ctx context.Context, h *harness) error { return h.StopProcess(ctx, "g:b", true) }, "NOT_RUNNING", "g:b STOPPED"},
		{"stop running", func(ctx context.Context, h *harness) error { return h.StopProcess(ctx, "g:a", true) }, "OK", "g:a STOPPED"},
		{"stop group form", func(ctx context.Context, h *harness) error { return h.StopProcess(ctx, "g:", true) }, "BAD_NAME", ""},
		{"signal stopped", func(ctx context.Context, h *harness) error { return h.SignalProcess(ctx, "g:b", syscall.SIGHUP) }, "NOT_RUNNING", "g:b STOPPED"},
		{"signal running", func(ctx context.Context, h *harness) error { return h.SignalProcess(ctx, "solo", syscall.SIGHUP) }, "OK", ""},
		{"signal unknown", func(ctx context.Context, h *harness) error { return h.SignalProcess(ctx, "nope", syscall.SIGHUP) }, "BAD_NAME", ""},
		{"stdin stopped", func(ctx context.Context, h *harness) error { return h.WriteStdin(ctx, "g:b", []byte("x")) }, "NOT_RUNNING", ""},
		{"stdin running", func(ctx context.Context, h *harness) error { return h.WriteStdin(ctx, "g:a", []byte("x")) }, "OK", ""},
		{"stdin group form", func(ctx context.Context, h *harness) error { return h.WriteStdin(ctx, "g:*", []byte("x")) }, "BAD_NAME", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newAPIHarness(t)
				if got := faultName(tt.call(t.Context(), h)); got != tt.want {
					t.Errorf("%s = %s; want %s", tt.name, got, tt.want)
				}
				if tt.wantState != "" && !slices.Contains(h.states(), tt.wantState) {
					t.Errorf("states = %q; want %q among them", h.states(), tt.wantState)
				}
				h.stop()
			})
		})
	}
}
