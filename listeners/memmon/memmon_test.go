package main

import (
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// transcript is stdout after one acknowledged event and the end of
// stdin: superlance's tests assert "READY\nRESULT 2\nOK"; Serve then
// announces READY for the next event before it sees EOF.
const transcript = "READY\nRESULT 2\nOK" + "READY\n"

// The ports of superlance's test_memmon.py (MemmonTests), one row per
// test that drives a TICK: the exact stderr lines, the calls to
// supervisord and the last mail.
func TestTickSuperlance(t *testing.T) {
	t.Parallel()
	restartMail := func(ns string, rss int) []string {
		return []string{
			"To: chrism@plope.com",
			"Subject: memmon: process " + ns + " restarted",
			"",
			"memmon.py restarted the process named " + ns + " at <asctime> because it was consuming too much memory (" + strconv.Itoa(rss) + " bytes RSS)",
		}
	}
	for _, tc := range []struct {
		name  string
		args  []string
		event string
		err   []string // stderr lines
		calls []string
		mail  []string // the last mail, nil for none
	}{
		{
			name: "notatick", args: []string{"-p", "foo=0", "-m", "chrism@plope.com"}, event: "PROCESS_STATE_RUNNING",
			err: []string{""},
		},
		{
			name: "tick_programs", args: []string{"-p", "foo=0", "-p", "bar=0", "-p", "baz_01=0", "-m", "chrism@plope.com"},
			err: []string{
				"Checking programs bar=0, baz_01=0, foo=0",
				"RSS of foo:foo is 2264064", "Restarting foo:foo",
				"RSS of bar:bar is 2265088", "Restarting bar:bar",
				"RSS of baz:baz_01 is 2265088", "Restarting baz:baz_01",
				"",
			},
			calls: []string{"stop foo:foo", "start foo:foo", "stop bar:bar", "start bar:bar", "stop baz:baz_01", "start baz:baz_01"},
			mail:  restartMail("baz:baz_01", 2265088),
		},
		{
			name: "tick_groups", args: []string{"-g", "foo=0", "-m", "chrism@plope.com"},
			err:   []string{"Checking groups foo=0", "RSS of foo:foo is 2264064", "Restarting foo:foo", ""},
			calls: []string{"stop foo:foo", "start foo:foo"},
			mail:  restartMail("foo:foo", 2264064),
		},
		{
			name: "tick_any", args: []string{"-a", "0", "-m", "chrism@plope.com"},
			err: []string{
				"Checking any=0",
				"RSS of foo:foo is 2264064", "Restarting foo:foo",
				"RSS of bar:bar is 2265088", "Restarting bar:bar",
				"RSS of baz:baz_01 is 2265088", "Restarting baz:baz_01",
				"",
			},
			calls: []string{"stop foo:foo", "start foo:foo", "stop bar:bar", "start bar:bar", "stop baz:baz_01", "start baz:baz_01"},
			mail:  restartMail("baz:baz_01", 2265088),
		},
		{
			name: "tick_programs_and_groups", args: []string{"-p", "baz_01=0", "-g", "foo=0", "-m", "chrism@plope.com"},
			err: []string{
				"Checking programs baz_01=0", "Checking groups foo=0",
				"RSS of foo:foo is 2264064", "Restarting foo:foo",
				"RSS of baz:baz_01 is 2265088", "Restarting baz:baz_01",
				"",
			},
			calls: []string{"stop foo:foo", "start foo:foo", "stop baz:baz_01", "start baz:baz_01"},
			mail:  restartMail("baz:baz_01", 2265088),
		},
		{
			// superlance passes maxint; byte_size tops out lower here.
			name: "tick_programs_norestart", args: []string{"-p", "foo=4611686018427387904", "-m", "chrism@plope.com"},
			err: []string{"Checking programs foo=4611686018427387904", "RSS of foo:foo is 2264064", ""},
		},
		{
			name: "stopprocess_fault_tick_programs_norestart", args: []string{"-p", "foo=4611686018427387904", "-m", "chrism@plope.com"},
			err: []string{"Checking programs foo=4611686018427387904", "RSS of foo:foo is 2264064", ""},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tc.args...)
			event := tc.event
			if event == "" {
				event = "TICK_60"
			}
			h.serve(t, eventText(t, event))
			if got := h.stdout.String(); got != transcript {
				t.Errorf("stdout = %q; want %q", got, transcript)
			}
			if diff := cmp.Diff(tc.err, h.lines()); diff != "" {
				t.Errorf("stderr lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.calls, h.rpc.Calls()); diff != "" {
				t.Errorf("supervisord calls (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.mail, maskAsctime(h.lastMail())); diff != "" {
				t.Errorf("last mail (-want +got):\n%s", diff)
			}
			if h.logs.Len() != 0 {
				t.Errorf("diagnostics on stderr: %s", h.logs.String())
			}
		})
	}
}

// eventText is the stdin of one event; a TICK carries its when: payload.
func eventText(t *testing.T, name string) string {
	t.Helper()
	if strings.HasPrefix(name, "TICK") {
		return event(t, name, "when:1151365354")
	}
	return event(t, name, "processname:foo groupname:foo from_state:STARTING pid:11")
}

// maskAsctime replaces the time in a restart mail's body with <asctime>.
func maskAsctime(lines []string) []string {
	if len(lines) < 4 {
		return lines
	}
	out := slices.Clone(lines)
	body := out[3]
	at, because := strings.Index(body, " at "), strings.Index(body, " because ")
	if at >= 0 && because > at {
		out[3] = body[:at+4] + "<asctime>" + body[because:]
	}
	return out
}

// TestTickAnyEvent checks memmon.py's test: any event whose name starts
// with TICK triggers a check.
func TestTickAnyEvent(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"TICK_5", "TICK_60", "TICK_3600", "TICK"} {
		h := newHarness(t, "-g", "foo=0")
		h.serve(t, eventText(t, name))
		if got := h.rpc.Calls(); len(got) != 2 {
			t.Errorf("%s: calls %q; want a restart of foo:foo", name, got)
		}
	}
}

// TestStopProcessFailsToStop is test_stopprocess_fails_to_stop, with the
// B6 fix: memmon.py re-raised the fault and died ("exiting"); memmon
// reports it, mails it, acknowledges the event and carries on.
func TestStopProcessFailsToStop(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "-p", "BAD_NAME=0", "-m", "chrism@plope.com")
	h.rpc.procs = []xmlrpc.ProcessInfo{{Name: "BAD_NAME", Group: "BAD_NAME", PID: 11, Start: dummyNow - 100, Now: dummyNow}}
	h.tick(t)
	lines := h.lines()
	want := []string{
		"Checking programs BAD_NAME=0",
		"RSS of BAD_NAME:BAD_NAME is 2264064",
		"Restarting BAD_NAME:BAD_NAME",
		"Failed to stop process BAD_NAME:BAD_NAME (RSS 2264064): <Fault 10: 'BAD_NAME'>",
		"",
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("stderr lines (-want +got):\n%s", diff)
	}
	mail := h.lastMail()
	if len(mail) != 4 || mail[1] != "Subject: memmon: failed to stop process BAD_NAME:BAD_NAME" || !strings.HasPrefix(mail[3], "Failed") {
		t.Errorf("mail = %q; want subject \"memmon: failed to stop process BAD_NAME:BAD_NAME\" and a body starting Failed", mail)
	}
	if got := h.stdout.String(); got != transcript {
		t.Errorf("stdout = %q; want the event acknowledged, %q", got, transcript)
	}
	if got := h.rpc.Calls(); !slices.Equal(got, []string{"stop BAD_NAME:BAD_NAME"}) {
		t.Errorf("calls = %q; want only the stop (no start after a failed stop)", got)
	}
}

// TestSubject is test_subject_no_name and test_subject_with_name.
func TestSubject(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-p", "foo=0", "-m", "chrism@plope.com"}, "Subject: memmon: process foo:foo restarted"},
		{[]string{"-p", "foo=0", "-m", "chrism@plope.com", "-n", "thinko"}, "Subject: memmon [thinko]: process foo:foo restarted"},
	} {
		h := newHarness(t, tc.args...)
		h.tick(t)
		if mail := h.lastMail(); len(mail) < 2 || mail[1] != tc.want {
			t.Errorf("%q: mail %q; want %q", tc.args, mail, tc.want)
		}
	}
}

// TestUptimeEmail is test_uptime_short_email and
// test_uptime_long_no_email: the process has been up 100 s; a restart is
// mailed when that is at most -u.
func TestUptimeEmail(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		limit  string
		mailed bool
	}{{"101", true}, {"100", true}, {"99", false}} {
		h := newHarness(t, "-p", "foo=0", "-m", "chrism@plope.com", "-u", tc.limit)
		h.tick(t)
		if got := len(h.mails()) == 1; got != tc.mailed {
			t.Errorf("-u %s: mailed = %v; want %v", tc.limit, got, tc.mailed)
		}
	}
}

// TestRestartMailText checks the whole restart mail, its time included:
// memmon.py's time.asctime() and strftime('%Z'), in local time.
func TestRestartMailText(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, "-p", "foo=0", "-m", "chrism@plope.com")
		h.tick(t)
		at := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).In(time.Local).Format("Mon Jan _2 15:04:05 2006 MST")
		want := "To: chrism@plope.com\nSubject: memmon: process foo:foo restarted\n\n" +
			"memmon.py restarted the process named foo:foo at " + at + " because it was consuming too much memory (2264064 bytes RSS)"
		if got := h.mails(); len(got) != 1 || got[0] != want {
			t.Errorf("mail = %q; want %q", got, want)
		}
		msg := h.mail.Messages()[0]
		wantLabels := map[string]string{"alertname": "ProcessMemoryHigh", "process": "foo", "group": "foo"}
		if diff := cmp.Diff(wantLabels, msg.Labels); diff != "" {
			t.Errorf("labels (-want +got):\n%s", diff)
		}
	})
}

// TestNoMailWithoutEmail: superlance mails only with -m (the default
// mailer is configured, but nothing is sent).
func TestNoMailWithoutEmail(t *testing.T) {
	t.Parallel()
	o, err := parseArgs([]string{"-p", "foo=0"})
	if err != nil {
		t.Fatal(err)
	}
	sender, err := senders(o, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil || sender != nil {
		t.Fatalf("senders(-p foo=0) = %v, %v; want none", sender, err)
	}
}

// TestNoLimitsStatusLine: with no limit at all memmon.py still writes its
// (empty) status line on every TICK.
func TestNoLimitsStatusLine(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "-m", "chrism@plope.com")
	h.tick(t)
	if got := h.out.String(); got != "\n" {
		t.Errorf("stderr = %q; want %q", got, "\n")
	}
	if got := h.rpc.Calls(); len(got) != 0 {
		t.Errorf("calls = %q; want none", got)
	}
}

// TestPercentLimitStatus: a percentage limit is printed resolved, in
// bytes, like every byte_size (the harness has 1 GiB).
func TestPercentLimitStatus(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "-g", "foo=25%", "-a", "50%")
	h.tick(t)
	want := []string{"Checking groups foo=268435456", "Checking any=536870912",
		"RSS of foo:foo is 2264064", "RSS of foo:foo is 2264064",
		"RSS of bar:bar is 2265088", "RSS of baz:baz_01 is 2265088", ""}
	if diff := cmp.Diff(want, h.lines()); diff != "" {
		t.Errorf("stderr lines (-want +got):\n%s", diff)
	}
	if l := (Limit{Percent: 12.5}); l.bytes(1000) != 125 || (Limit{Bytes: 7}).bytes(1000) != 7 {
		t.Errorf("Limit.bytes wrong")
	}
}
