package main

import (
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestPolicyNext walks the restart policy through sequences of TICKs:
// each step is a sample and the verdict it must get.
func TestPolicyNext(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	type step struct {
		pid    int
		over   bool
		uptime time.Duration
		at     time.Duration // after t0
		want   verdict
	}
	long := time.Hour
	for _, tc := range []struct {
		name   string
		policy Policy
		steps  []step
	}{
		{"superlance: one sample restarts", Policy{}, []step{
			{1, false, long, 0, verdictUnder},
			{1, true, long, time.Minute, verdictRestart},
			{2, true, 0, 2 * time.Minute, verdictRestart},
		}},
		{"cycles: three in a row", Policy{Cycles: 3}, []step{
			{1, true, long, 0, verdictCycles},
			{1, true, long, time.Minute, verdictCycles},
			{1, false, long, 2 * time.Minute, verdictUnder}, // the run is broken
			{1, true, long, 3 * time.Minute, verdictCycles},
			{1, true, long, 4 * time.Minute, verdictCycles},
			{1, true, long, 5 * time.Minute, verdictRestart},
			{2, true, long, 6 * time.Minute, verdictCycles}, // counted afresh
		}},
		{"cycles: a new pid starts afresh", Policy{Cycles: 2}, []step{
			{1, true, long, 0, verdictCycles},
			{2, true, long, time.Minute, verdictCycles},
			{2, true, long, 2 * time.Minute, verdictRestart},
		}},
		{"grace", Policy{Grace: 5 * time.Minute}, []step{
			{1, true, time.Minute, 0, verdictGrace},
			{1, true, 4*time.Minute + 59*time.Second, time.Minute, verdictGrace},
			{1, true, 5 * time.Minute, 2 * time.Minute, verdictRestart},
		}},
		{"grace and cycles: samples in grace count", Policy{Cycles: 2, Grace: 2 * time.Minute}, []step{
			{1, true, 0, 0, verdictCycles},
			{1, true, time.Minute, time.Minute, verdictGrace},
			{1, true, 2 * time.Minute, 2 * time.Minute, verdictRestart},
		}},
		{"max-restarts 2 per hour", Policy{MaxRestarts: 2, Per: time.Hour}, []step{
			{1, true, long, 0, verdictRestart},
			{2, true, long, time.Minute, verdictRestart},
			{3, true, long, 2 * time.Minute, verdictThrottledNew},
			{3, true, long, 3 * time.Minute, verdictThrottled},
			{3, false, long, 4 * time.Minute, verdictUnder},
			{3, true, long, 5 * time.Minute, verdictThrottledNew}, // a new episode is alerted again
			{3, true, long, 60 * time.Minute, verdictRestart},     // the first restart left the window
			{4, true, long, 61 * time.Minute, verdictRestart},     // and so did the second
			{5, true, long, 62 * time.Minute, verdictThrottledNew},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var tr track
			for i, s := range tc.steps {
				var v verdict
				tr, v = tc.policy.next(tr, sample{pid: s.pid, over: s.over, uptime: s.uptime, now: t0.Add(s.at)})
				if v != s.want {
					t.Fatalf("step %d: next(%+v) = %v; want %v", i, s, v, s.want)
				}
			}
		})
	}
}

// TestCyclesThroughMemmon: with --cycles 2 the first TICK over the limit
// only logs, the second restarts.
func TestCyclesThroughMemmon(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "-g", "foo=0", "--cycles", "2")
	h.tick(t)
	if got := h.rpc.Calls(); len(got) != 0 {
		t.Fatalf("calls after 1 TICK = %q; want none", got)
	}
	if !strings.Contains(h.logs.String(), "reason=cycles") {
		t.Errorf("logs = %q; want the hold explained", h.logs.String())
	}
	h.tick(t)
	if got := h.rpc.Calls(); !slices.Equal(got, []string{"stop foo:foo", "start foo:foo"}) {
		t.Errorf("calls after 2 TICKs = %q; want a restart", got)
	}
}

// TestGraceThroughMemmon: the dummy processes have been up 100 s.
func TestGraceThroughMemmon(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		grace   string
		restart bool
	}{{"101", false}, {"2m", false}, {"100", true}, {"1m40s", true}} {
		h := newHarness(t, "-g", "foo=0", "--grace", tc.grace)
		h.tick(t)
		if got := len(h.rpc.Calls()) == 2; got != tc.restart {
			t.Errorf("--grace %s: restarted = %v; want %v", tc.grace, got, tc.restart)
		}
	}
}

// TestMaxRestartsThroughMemmon: with --max-restarts 1 --per 1h the
// second restart within the hour is held back and alerted once; an hour
// later restarts resume.
func TestMaxRestartsThroughMemmon(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, "-g", "foo=0", "-m", "x@example.org", "--max-restarts", "1", "--per", "1h")
		h.tick(t)
		time.Sleep(time.Minute)
		h.tick(t)
		time.Sleep(time.Minute)
		h.tick(t)
		want := []string{"stop foo:foo", "start foo:foo"}
		if diff := cmp.Diff(want, h.rpc.Calls()); diff != "" {
			t.Errorf("calls after 3 TICKs (-want +got):\n%s", diff)
		}
		var subjects []string
		for _, m := range h.mail.Messages() {
			subjects = append(subjects, m.Subject)
		}
		wantSubjects := []string{"memmon: process foo:foo restarted", "memmon: process foo:foo not restarted"}
		if diff := cmp.Diff(wantSubjects, subjects); diff != "" {
			t.Errorf("mails (-want +got):\n%s", diff)
		}
		if body := h.mail.Messages()[1].Body; !strings.Contains(body, "it had 1 restart(s) in the last 1h0m0s already (--max-restarts 1 --per 1h0m0s)") {
			t.Errorf("held-back mail body = %q", body)
		}
		time.Sleep(time.Hour)
		h.tick(t)
		if got := len(h.rpc.Calls()); got != 4 {
			t.Errorf("%d calls an hour later; want a second restart", got)
		}
	})
}

// TestTracksForgetRemovedProcesses: a process gone from supervisord
// (removed by an update) is forgotten.
func TestTracksForgetRemovedProcesses(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "-a", "1GB", "--cycles", "3")
	h.tick(t)
	if len(h.m.tracks) != 3 {
		t.Fatalf("%d tracks; want 3", len(h.m.tracks))
	}
	h.rpc.procs = h.rpc.procs[:1]
	h.tick(t)
	if _, ok := h.m.tracks["foo:foo"]; len(h.m.tracks) != 1 || !ok {
		t.Errorf("tracks = %v; want foo:foo only", h.m.tracks)
	}
}

func (v verdict) String() string {
	return [...]string{"under", "restart", "cycles", "grace", "throttled", "throttled-new"}[v]
}
