package main

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// Each test here fails on superlance's memmon.py: the defect ids are
// superlance.md §1.8's.

// B1: -p group:name=SIZE raised KeyError (memmon.py compared against the
// bare name) and the listener crash-looped. It now uses that entry's
// limit, and only that one.
func TestB1GroupNameProgram(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "-p", "baz:baz_01=0", "-p", "foo:foo=1GB")
	h.tick(t)
	want := []string{
		"Checking programs baz:baz_01=0, foo:foo=1073741824",
		"RSS of foo:foo is 2264064",
		"RSS of baz:baz_01 is 2265088", "Restarting baz:baz_01",
		"",
	}
	if diff := cmp.Diff(want, h.lines()); diff != "" {
		t.Errorf("stderr lines (-want +got):\n%s", diff)
	}
	if got := h.rpc.Calls(); !slices.Equal(got, []string{"stop baz:baz_01", "start baz:baz_01"}) {
		t.Errorf("calls = %q; want baz:baz_01 restarted once", got)
	}
}

// B2: a process matched by -p and -g (and -a) was restarted once per
// matching rule in the same TICK. It is restarted once; the rules after
// the first it exceeds are not even checked.
func TestB2OneRestartPerTick(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		rss  []string // the RSS lines of foo:foo
	}{
		{"program and group", []string{"-p", "foo=0", "-g", "foo=0"}, []string{"RSS of foo:foo is 2264064"}},
		{"name and group:name", []string{"-p", "foo=0", "-p", "foo:foo=0", "-a", "0"}, []string{"RSS of foo:foo is 2264064"}},
		{"under the first, over the second", []string{"-p", "foo=1GB", "-g", "foo=0", "-a", "0"},
			[]string{"RSS of foo:foo is 2264064", "RSS of foo:foo is 2264064"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tc.args...)
			h.rpc.procs = h.rpc.procs[:1]
			h.tick(t)
			var rss []string
			for _, l := range h.lines() {
				if strings.HasPrefix(l, "RSS of") {
					rss = append(rss, l)
				}
			}
			if diff := cmp.Diff(tc.rss, rss); diff != "" {
				t.Errorf("RSS lines (-want +got):\n%s", diff)
			}
			if got := h.rpc.Calls(); !slices.Equal(got, []string{"stop foo:foo", "start foo:foo"}) {
				t.Errorf("calls = %q; want one restart", got)
			}
		})
	}
}

// B5: memmon.py kept the names of -p and -g in the variable that holds
// -n, so a -p or -g after -n replaced the subject's tag, and -p foo=...
// without -n tagged every subject "memmon [foo]".
func TestB5NameNotOverwritten(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-n", "proj", "-p", "foo=0", "-m", "x@example.org"}, "Subject: memmon [proj]: process foo:foo restarted"},
		{[]string{"-p", "foo=0", "-m", "x@example.org"}, "Subject: memmon: process foo:foo restarted"},
		{[]string{"-n", "proj", "-g", "foo=0", "-m", "x@example.org"}, "Subject: memmon [proj]: process foo:foo restarted"},
	} {
		h := newHarness(t, tc.args...)
		h.tick(t)
		if mail := h.lastMail(); len(mail) < 2 || mail[1] != tc.want {
			t.Errorf("%q: mail %q; want %q", tc.args, mail, tc.want)
		}
	}
}

// B6: a fault from stopProcess or startProcess made memmon.py mail
// "..., exiting" and die, so supervisord restarted it and re-sent the
// TICK. memmon reports the fault, mails it, and goes on with the other
// processes; the event is acknowledged.
func TestB6FaultsDoNotStopTheTick(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "-a", "0", "-m", "x@example.org")
	h.rpc.procs = []xmlrpc.ProcessInfo{
		{Name: "FAILED", Group: "a", PID: 11, Start: dummyNow - 100, Now: dummyNow},
		{Name: "SPAWN_ERROR", Group: "b", PID: 12, Start: dummyNow - 100, Now: dummyNow},
		{Name: "ok", Group: "c", PID: 13, Start: dummyNow - 100, Now: dummyNow},
	}
	h.tick(t)
	want := []string{
		"Checking any=0",
		"RSS of a:FAILED is 2264064", "Restarting a:FAILED",
		"Failed to stop process a:FAILED (RSS 2264064): <Fault 30: 'FAILED'>",
		"RSS of b:SPAWN_ERROR is 2265088", "Restarting b:SPAWN_ERROR",
		"Failed to start process b:SPAWN_ERROR after stopping it: <Fault 50: 'SPAWN_ERROR'>",
		"RSS of c:ok is 2266112", "Restarting c:ok",
		"",
	}
	if diff := cmp.Diff(want, h.lines()); diff != "" {
		t.Errorf("stderr lines (-want +got):\n%s", diff)
	}
	var subjects []string
	for _, m := range h.mail.Messages() {
		subjects = append(subjects, m.Subject)
	}
	wantSubjects := []string{
		"memmon: failed to stop process a:FAILED",
		"memmon: failed to start process b:SPAWN_ERROR",
		"memmon: process c:ok restarted",
	}
	if diff := cmp.Diff(wantSubjects, subjects); diff != "" {
		t.Errorf("mail subjects (-want +got):\n%s", diff)
	}
	if got := h.stdout.String(); got != transcript {
		t.Errorf("stdout = %q; want %q", got, transcript)
	}
}

// An "already there" answer is not a failure: a process that stopped by
// itself between the measurement and stopProcess (NOT_RUNNING) is still
// started, and one that autorestart brought back (ALREADY_STARTED) is
// running as wanted.
func TestStopNotRunningStillStarts(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "-g", "foo=0", "-m", "x@example.org")
	h.rpc.stopErr = map[string]error{"foo:foo": xmlrpc.NewFault(xmlrpc.FaultNotRunning, "")}
	h.tick(t)
	if got := h.rpc.Calls(); !slices.Equal(got, []string{"stop foo:foo", "start foo:foo"}) {
		t.Errorf("calls = %q; want stop then start", got)
	}
	if strings.Contains(h.out.String(), "Failed") || len(h.mails()) != 1 {
		t.Errorf("stderr %q, %d mails; want a plain restart", h.out.String(), len(h.mails()))
	}
}

// A process whose pid changed between getAllProcessInfo and the restart
// was restarted by someone else already (autorestart, httpok, an
// operator): memmon.py restarted it once more.
func TestPidChangedSkipsRestart(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "-g", "foo=0")
	h.rpc.pidNow = map[string]int{"foo:foo": 99}
	h.tick(t)
	if got := h.rpc.Calls(); len(got) != 0 {
		t.Errorf("calls = %q; want none", got)
	}
	if !strings.Contains(h.logs.String(), "pid changed") {
		t.Errorf("logs = %q; want the skip explained", h.logs.String())
	}
}

// B7: memmon.py measured every process with a pid, itself included, and
// -a asked supervisord to stop memmon itself, which killed it in the
// middle of the call. memmon leaves its own process alone; other
// processes in any state with a pid are still checked, as superlance
// does.
func TestB7NeverItself(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "-a", "0")
	h.m.self = "foo:foo"
	h.tick(t)
	if got := h.rpc.Calls(); !slices.Equal(got, []string{"stop bar:bar", "start bar:bar", "stop baz:baz_01", "start baz:baz_01"}) {
		t.Errorf("calls = %q; want bar and baz (FATAL and STOPPED, with pids) but not foo:foo", got)
	}
	if strings.Contains(h.out.String(), "foo:foo") {
		t.Errorf("stderr mentions itself: %q", h.out.String())
	}
	if got := selfName(mapEnv{"SUPERVISOR_GROUP_NAME": "g", "SUPERVISOR_PROCESS_NAME": "memmon"}.get); got != "g:memmon" {
		t.Errorf("selfName = %q; want g:memmon", got)
	}
	if got := selfName(mapEnv{}.get); got != "" {
		t.Errorf("selfName outside supervisord = %q; want \"\"", got)
	}
}

// An unreachable supervisord (or a 401) made memmon.py die on every TICK.
// memmon logs it, acknowledges the TICK, and checks again on the next.
func TestUnreachableSupervisord(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "-a", "0")
	h.rpc.listErr = errors.New("dial unix /run/supervisor.sock: connect: no such file or directory")
	h.tick(t)
	if got := h.stdout.String(); got != transcript {
		t.Errorf("stdout = %q; want %q", got, transcript)
	}
	if !strings.Contains(h.logs.String(), "cannot list processes") || !strings.Contains(h.logs.String(), "no such file") {
		t.Errorf("logs = %q; want the failure", h.logs.String())
	}
	h.rpc.listErr = nil
	h.tick(t)
	if got := len(h.rpc.Calls()); got != 6 {
		t.Errorf("%d calls on the next TICK; want 3 restarts", got)
	}
}

// B11: a mailer that fails (no sendmail in the container) crashed
// memmon.py with a broken pipe, and the redelivered TICK restarted the
// process again. memmon logs the failure and goes on.
func TestMailFailureIsLogged(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "-g", "foo=0", "-m", "x@example.org")
	h.mail.Fail(errors.New("exec: /usr/sbin/sendmail: no such file"))
	h.tick(t)
	if got := h.rpc.Calls(); !slices.Equal(got, []string{"stop foo:foo", "start foo:foo"}) {
		t.Errorf("calls = %q; want the restart done", got)
	}
	if !strings.Contains(h.logs.String(), "alert not sent") {
		t.Errorf("logs = %q; want the mail failure", h.logs.String())
	}
	if got := h.stdout.String(); got != transcript {
		t.Errorf("stdout = %q; want %q", got, transcript)
	}
}

// mapEnv is a fake environment.
type mapEnv map[string]string

func (e mapEnv) get(k string) string { return e[k] }
