package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/listeners/internal/alert/alerttest"
	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// epoch is the fixed clock; its asctime is 2024-05-01 12:00:00,123.
var epoch = time.Date(2024, 5, 1, 12, 0, 0, 123e6, time.UTC)

const body = "Process foo in group bar exited unexpectedly (pid 1) from state RUNNING"

// event builds one event as supervisord sends it.
func event(t protocol.EventType, payload string) protocol.Event {
	return protocol.Event{
		Header: protocol.Header{Ver: protocol.Version, Server: "supervisor", Serial: 3, Pool: "crashmail",
			PoolSerial: 3, EventName: string(t), Len: len(payload)},
		Payload: payload,
	}
}

// exit is the payload of superlance's crashmail tests, for process name
// in group.
func exit(name, group string, expected int) protocol.Event {
	return event(protocol.ProcessStateExited,
		fmt.Sprintf("expected:%d processname:%s groupname:%s from_state:RUNNING pid:1", expected, name, group))
}

type fixture struct {
	c      *CrashMail
	sent   *alerttest.Recorder
	stderr *bytes.Buffer
	clock  *time.Time
}

// newFixture returns crashmail with options o delivering through mailed
// to a recorder, as superlance's tests use -o [foo] and -m
// chrism@plope.com.
func newFixture(t *testing.T, o Options) fixture {
	t.Helper()
	clock := epoch
	f := fixture{sent: &alerttest.Recorder{}, stderr: &bytes.Buffer{}, clock: &clock}
	if o.Per == 0 {
		o.Per = time.Hour
	}
	f.c = &CrashMail{opts: o, stderr: f.stderr, log: slog.New(slog.NewTextHandler(t.Output(), nil)),
		now: func() time.Time { return *f.clock }, ownGroup: "crashmail"}
	var s alert.Sender = mailed{S: f.sent, W: f.stderr}
	if o.RateLimit > 0 {
		s = &alert.Limiter{Sender: s, Burst: o.RateLimit, Per: o.Per, Now: f.c.now}
	}
	f.c.sender = s
	return f
}

func superlanceOptions() Options {
	return Options{OptionalHeader: "[foo]", Email: "chrism@plope.com"}
}

// serve runs f's crashmail over evs and returns stdout.
func (f fixture) serve(t *testing.T, evs ...protocol.Event) string {
	t.Helper()
	var in, out bytes.Buffer
	for _, ev := range evs {
		if err := protocol.WriteEvent(&in, ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := protocol.Serve(t.Context(), &in, &out, f.c); err != nil {
		t.Fatalf("Serve = %v", err)
	}
	return out.String()
}

// test_crashmail.py, without its test-mode-only stderr lines: stdout is
// the protocol only, and only an unexpected exit writes to stderr.
func TestSuperlanceCrashMail(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ev     protocol.Event
		stderr string
		sent   int
	}{
		{"not process state exited", event(protocol.ProcessStateRunning, "processname:foo groupname:bar from_state:STARTING pid:1"), "", 0},
		{"abstract PROCESS_STATE", event(protocol.AnyProcessState, ""), "", 0},
		{"expected exit", exit("foo", "bar", 1), "", 0},
		{"unexpected exit", exit("foo", "bar", 0),
			"unexpected exit, mailing\nMailed:\n\nTo: chrism@plope.com\nSubject: [foo]: foo crashed at 2024-05-01 12:00:00,123\n\n" + body + "\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, superlanceOptions())
			if got := f.serve(t, tc.ev); got != "READY\nRESULT 2\nOKREADY\n" {
				t.Errorf("stdout = %q; want one acknowledged event", got)
			}
			if got := f.stderr.String(); got != tc.stderr {
				t.Errorf("stderr = %q; want %q", got, tc.stderr)
			}
			if n := len(f.sent.Messages()); n != tc.sent {
				t.Errorf("%d sent; want %d", n, tc.sent)
			}
		})
	}
}

// The subject keeps superlance's leading space without -o.
func TestSubject(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"", " foo crashed at 2024-05-01 12:00:00,123"},
		{"[foo]", "[foo]: foo crashed at 2024-05-01 12:00:00,123"},
		{"prod-1", "prod-1: foo crashed at 2024-05-01 12:00:00,123"},
	} {
		f := newFixture(t, Options{OptionalHeader: tc.header, Email: "ops@example.org"})
		f.serve(t, exit("foo", "bar", 0))
		msgs := f.sent.Messages()
		if len(msgs) != 1 || msgs[0].Subject != tc.want {
			t.Errorf("-o %q: sent %+v; want subject %q", tc.header, msgs, tc.want)
			continue
		}
		want := alert.Message{To: []string{"ops@example.org"}, Subject: tc.want, Body: body, Date: epoch,
			Labels: map[string]string{"alertname": "ProcessCrashed", "process": "foo", "group": "bar"}}
		if diff := cmp.Diff(want, msgs[0]); diff != "" {
			t.Errorf("message (-want +got):\n%s", diff)
		}
	}
}

// B4 (issue #18): superlance parses -p and -a and then mails every exit.
func TestProgramSelection(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		programs []string
		any      bool
		proc     string // group:name that exits
		want     bool
	}{
		{"neither -p nor -a: all, as superlance", nil, false, "bar:foo", true},
		{"-a", nil, true, "bar:foo", true},
		{"-a overrides -p", []string{"other"}, true, "bar:foo", true},
		{"bare name", []string{"foo"}, false, "bar:foo", true},
		{"bare name of another", []string{"other"}, false, "bar:foo", false},
		{"group:name", []string{"bar:foo"}, false, "bar:foo", true},
		{"group:name of another group", []string{"baz:foo"}, false, "bar:foo", false},
		{"name:group, as superlance's usage says", []string{"foo:bar"}, false, "bar:foo", true},
		{"group:*", []string{"web:*"}, false, "web:web_01", true},
		{"group:", []string{"web:"}, false, "web:web_01", true},
		{"group name alone is a process name", []string{"web"}, false, "web:web_01", false},
		{"one of several", []string{"a", "b:c", "bar:foo"}, false, "bar:foo", true},
	} {
		group, name, _ := strings.Cut(tc.proc, ":")
		f := newFixture(t, Options{Programs: tc.programs, Any: tc.any, Email: "ops@example.org"})
		f.c.HandleEvent(t.Context(), exit(name, group, 0))
		if got := len(f.sent.Messages()) == 1; got != tc.want {
			t.Errorf("%s: -p %q -a=%v, exit of %s: mailed %v; want %v", tc.name, tc.programs, tc.any, tc.proc, got, tc.want)
		}
	}
}

// B4: without -m superlance pipes "To: None" to sendmail. Here nothing
// is sent and stderr says why, with the text that would have gone.
func TestNoEmailNoMail(t *testing.T) {
	f := newFixture(t, Options{})
	f.c.sender = nil // what newCrashMail builds without -m and channels
	f.serve(t, exit("foo", "bar", 0))
	if want := "unexpected exit, not mailing (no -m address given)\n" + body + "\n"; f.stderr.String() != want {
		t.Errorf("stderr = %q; want %q", f.stderr, want)
	}
	if f.sent.Calls() != 0 {
		t.Error("sent without -m")
	}
}

// A crash of crashmail's own pool is not reported by its successor: with
// a broken mailer, superlance crashed, was restarted, mailed about its own
// crash and crashed again, in a loop.
func TestOwnPoolNotReported(t *testing.T) {
	f := newFixture(t, Options{Email: "ops@example.org", Any: true})
	f.serve(t, exit("crashmail", "crashmail", 0), exit("crashmail_01", "crashmail", 0))
	if f.sent.Calls() != 0 || f.stderr.Len() != 0 {
		t.Errorf("own pool: %d sent, stderr %q; want nothing", f.sent.Calls(), f.stderr)
	}
}

// A failed delivery is logged, the event still acknowledged.
func TestFailedSendIsAcknowledged(t *testing.T) {
	f := newFixture(t, superlanceOptions())
	f.sent.Fail(errors.New("sendmail: exit status 75"))
	if got := f.serve(t, exit("foo", "bar", 0), exit("foo", "bar", 0)); got != "READY\nRESULT 2\nOKREADY\nRESULT 2\nOKREADY\n" {
		t.Errorf("stdout = %q; want both acknowledged", got)
	}
	if got := f.stderr.String(); got != "unexpected exit, mailing\nunexpected exit, mailing\n" {
		t.Errorf("stderr = %q; want no Mailed: block", got)
	}
}

// --rate-limit (issues #99, #108): a crash loop costs one mail per
// window, and the next mail counts what was held back.
func TestRateLimit(t *testing.T) {
	f := newFixture(t, Options{Email: "ops@example.org", RateLimit: 1, Per: time.Hour})
	for range 3 {
		f.c.HandleEvent(t.Context(), exit("foo", "bar", 0))
		*f.clock = f.clock.Add(time.Minute)
	}
	f.c.HandleEvent(t.Context(), exit("other", "bar", 0)) // its own budget
	if n := len(f.sent.Messages()); n != 2 {
		t.Fatalf("%d sent in the window; want 2 (foo once, other once)", n)
	}
	*f.clock = epoch.Add(time.Hour + time.Minute)
	f.c.HandleEvent(t.Context(), exit("foo", "bar", 0))
	msgs := f.sent.Messages()
	if len(msgs) != 3 {
		t.Fatalf("%d sent after the window; want 3", len(msgs))
	}
	if want := body + "\n2 similar alerts suppressed since 2024-05-01T12:01:00Z"; msgs[2].Body != want {
		t.Errorf("body = %q; want %q", msgs[2].Body, want)
	}
	if !strings.Contains(f.stderr.String(), "2 similar alerts suppressed") {
		t.Error("the Mailed: block lacks the digest")
	}
}

// fakeTailer answers tailProcessStderrLog from a map of logs.
type fakeTailer struct {
	logs  map[string]string
	asked []string
}

func (ft *fakeTailer) TailProcessStderrLog(_ context.Context, name string, offset, length int) (xmlrpc.Tail, error) {
	ft.asked = append(ft.asked, fmt.Sprintf("%s %d %d", name, offset, length))
	data, ok := ft.logs[name]
	if !ok {
		return xmlrpc.Tail{}, &xmlrpc.Fault{Code: 10, String: "BAD_NAME: " + name}
	}
	return xmlrpc.Tail{Data: data, Offset: len(data)}, nil
}

// --tail (issues #49, #134): the end of the stderr log in the mail.
func TestTail(t *testing.T) {
	tailer := &fakeTailer{logs: map[string]string{
		"bar:foo":   "starting\nconfig loaded\npanic: nil map\ngoroutine 1\n",
		"bar:quiet": "",
	}}
	for _, tc := range []struct {
		name, proc string
		n          int
		want       string
	}{
		{"last lines", "foo", 2, "Last 2 lines of stderr of bar:foo:\npanic: nil map\ngoroutine 1"},
		{"fewer lines than asked", "foo", 10, "Last 4 lines of stderr of bar:foo:\nstarting\nconfig loaded\npanic: nil map\ngoroutine 1"},
		{"empty log", "quiet", 5, "(stderr log of bar:quiet is empty)"},
		{"fault", "gone", 5, "(stderr log of bar:gone not available: fault 10: BAD_NAME: bar:gone)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, Options{Email: "ops@example.org", Tail: tc.n})
			f.c.tailer = tailer
			f.c.HandleEvent(t.Context(), exit(tc.proc, "bar", 0))
			msgs := f.sent.Messages()
			if len(msgs) != 1 {
				t.Fatalf("%d sent; want 1", len(msgs))
			}
			want := strings.ReplaceAll(body, "foo", tc.proc) + "\n\n" + tc.want
			if msgs[0].Body != want {
				t.Errorf("body = %q; want %q", msgs[0].Body, want)
			}
		})
	}
	if tailer.asked[0] != "bar:foo 0 16384" {
		t.Errorf("asked %q; want the group:name, offset 0 and a bounded length", tailer.asked[0])
	}
}
