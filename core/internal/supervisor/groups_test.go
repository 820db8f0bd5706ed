package supervisor

import (
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
)

const (
	groupsBefore = `
[program:a]
command = a

[program:b]
command = b
priority = 5
autostart = false
`
	// a changed, b removed, c and d added.
	groupsAfter = `
[program:a]
command = a2

[program:c]
command = c
priority = 1

[program:d]
command = d
autostart = false
`
)

func groupNames(gs []*config.Group) []string {
	out := []string{}
	for _, g := range gs {
		out = append(out, g.Name)
	}
	return out
}

// TestRereadAddRemove walks reread and update: the diff, then adding,
// removing and replacing groups, with their errors and events.
func TestRereadAddRemove(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, groupsBefore).start()
		ctx := t.Context()
		time.Sleep(2 * time.Second)
		h.events.take()

		c, err := h.Reread()
		if err != nil {
			t.Fatalf("Reread() = %v", err)
		}
		if !c.Empty() {
			t.Errorf("Reread() of the same file = %+v; want no changes", c)
		}
		h.conf.write(t, groupsAfter)
		if c, err = h.Reread(); err != nil {
			t.Fatalf("Reread() = %v", err)
		}
		var changed []string
		for _, gc := range c.Changed {
			changed = append(changed, gc.New.Name)
		}
		if got := [3][]string{groupNames(c.Added), changed, groupNames(c.Removed)}; !slices.Equal(got[0], []string{"c", "d"}) ||
			!slices.Equal(got[1], []string{"a"}) || !slices.Equal(got[2], []string{"b"}) {
			t.Errorf("Reread() added, changed, removed = %q; want [c d] [a] [b]", got)
		}
		if got := h.states(); !slices.Equal(got, []string{"b:b STOPPED", "a:a RUNNING"}) {
			t.Errorf("Reread changed what runs: %q", got)
		}

		for _, step := range []struct {
			name string
			err  error
			want string
		}{
			{"AddGroup(c)", h.AddGroup(ctx, "c"), "OK"},
			{"AddGroup(c) again", h.AddGroup(ctx, "c"), "ALREADY_ADDED"},
			{"AddGroup(d)", h.AddGroup(ctx, "d"), "OK"},
			{"AddGroup(zz)", h.AddGroup(ctx, "zz"), "BAD_NAME"},
			{"AddGroup(a)", h.AddGroup(ctx, "a"), "ALREADY_ADDED"},
			// b still runs but is gone from the config: the reference
			// looks in the config first.
			{"AddGroup(b) gone from the config", h.AddGroup(ctx, "b"), "BAD_NAME"},
			{"RemoveGroup(a)", h.RemoveGroup(ctx, "a"), "STILL_RUNNING"},
			{"RemoveGroup(b)", h.RemoveGroup(ctx, "b"), "OK"},
			{"RemoveGroup(b) again", h.RemoveGroup(ctx, "b"), "BAD_NAME"},
			{"StopGroup(a)", second(h.StopGroup(ctx, "a", true)), "OK"},
			{"RemoveGroup(a) stopped", h.RemoveGroup(ctx, "a"), "OK"},
			{"AddGroup(a) changed", h.AddGroup(ctx, "a"), "OK"},
		} {
			if got := faultName(step.err); got != step.want {
				t.Errorf("%s = %s; want %s", step.name, got, step.want)
			}
		}
		time.Sleep(2 * time.Second)
		if got, want := h.states(), []string{"c:c RUNNING", "a:a RUNNING", "d:d STOPPED"}; !slices.Equal(got, want) {
			t.Errorf("states = %q; want %q", got, want)
		}
		if sp, _ := h.fake.spec("a"); !slices.Equal(sp.Argv, []string{"a2"}) {
			t.Errorf("a re-added runs %q; want [a2]", sp.Argv)
		}
		if d := diffLines(notProcessState(h.events.take()), []string{
			"PROCESS_GROUP_ADDED groupname:c",
			"PROCESS_GROUP_ADDED groupname:d",
			"PROCESS_GROUP_REMOVED groupname:b",
			"PROCESS_GROUP_REMOVED groupname:a",
			"PROCESS_GROUP_ADDED groupname:a",
		}); d != "" {
			t.Errorf("events:\n%s", d)
		}
		h.stop()
	})
}

func TestRereadErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, groupsBefore).start()
		h.conf.write(t, "[program:bad]\ncommand = bad\nstartsecs = soon\n")
		if _, err := h.Reread(); !errors.Is(err, ErrCantReread) {
			t.Errorf("Reread() of a bad file = %v; want %v", err, ErrCantReread)
		}
		// The failed reread leaves the last good config for AddGroup.
		if err := h.AddGroup(t.Context(), "bad"); !errors.Is(err, ErrBadName) {
			t.Errorf("AddGroup(bad) = %v; want %v", err, ErrBadName)
		}
		h.stop()
	})
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, groupsBefore)
		h.opts.Reload = nil
		h.start()
		if _, err := h.Reread(); !errors.Is(err, ErrCantReread) {
			t.Errorf("Reread() without Reload = %v; want %v", err, ErrCantReread)
		}
		h.stop()
	})
}

// TestProcessStateEvents checks the PROCESS_STATE events of one process's
// life, and the supervisor's own events around them.
func TestProcessStateEvents(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, "[program:x]\ncommand = x\nstartretries = 1\n")
		h.fake.script("x",
			script{exitAfter: 2 * time.Second, code: 3}, // RUNNING, then an unexpected exit
			script{exitAfter: 500 * time.Millisecond},   // too quick: BACKOFF
			script{}, // up
		)
		h.start()
		time.Sleep(5 * time.Second)
		h.stop()
		h.expectEvents(
			"PROCESS_GROUP_ADDED groupname:x",
			"SUPERVISOR_STATE_CHANGE_RUNNING",
			"PROCESS_STATE_STARTING processname:x groupname:x from_state:STOPPED tries:0",
			"PROCESS_STATE_RUNNING processname:x groupname:x from_state:STARTING pid:101",
			"PROCESS_STATE_EXITED processname:x groupname:x from_state:RUNNING expected:0 pid:101",
			"PROCESS_STATE_STARTING processname:x groupname:x from_state:EXITED tries:0",
			"PROCESS_STATE_BACKOFF processname:x groupname:x from_state:STARTING tries:1",
			"PROCESS_STATE_STARTING processname:x groupname:x from_state:BACKOFF tries:1",
			"PROCESS_STATE_RUNNING processname:x groupname:x from_state:STARTING pid:103",
			"SUPERVISOR_STATE_CHANGE_STOPPING",
			"PROCESS_STATE_STOPPING processname:x groupname:x from_state:RUNNING pid:103",
			"PROCESS_STATE_STOPPED processname:x groupname:x from_state:STOPPING pid:103",
		)
	})
}
