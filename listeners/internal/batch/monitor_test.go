package batch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/listeners/internal/alert/alerttest"
	"github.com/lancerhq/lancer/protocol"
)

// epoch is the fixed clock of these tests.
var epoch = time.Date(2024, 5, 1, 12, 0, 0, 123e6, time.UTC)

// reprKind is superlance's _TestProcessStateMonitor: it reports exits
// with the payload itself as the line.
var reprKind = Kind{
	Name:      "testmonitor",
	Events:    []protocol.EventType{protocol.ProcessStateExited},
	AlertName: "ProcessCrashed",
	Message: func(p protocol.ProcessState, _ string) (string, bool) {
		return p.Format(), true
	},
}

// event builds one event as supervisord sends it.
func event(t protocol.EventType, payload string) protocol.Event {
	return protocol.Event{
		Header: protocol.Header{Ver: protocol.Version, Server: "supervisor", Serial: 7, Pool: "checkmailbatch",
			PoolSerial: 7, EventName: string(t), Len: len(payload)},
		Payload: payload,
	}
}

// exited is superlance's get_process_exited_event.
func exited(name, group string, expected int) protocol.Event {
	return event(protocol.ProcessStateExited,
		fmt.Sprintf("processname:%s groupname:%s from_state:RUNNING expected:%d pid:58597", name, group, expected))
}

func tick60() protocol.Event { return event(protocol.Tick60, "when:1279665240") }

// testOptions are the options of superlance's email monitor tests.
func testOptions() Options {
	return Options{
		Interval: 1, TickEvent: protocol.Tick60, From: "testFrom@blah.com",
		To: []string{"testTo@blah.com", "testTo2@blah.com"}, Subject: "Test Alert", HasSubject: true,
		SMTPHost: "localhost",
	}
}

type fixture struct {
	m      *Monitor
	rec    *alerttest.Recorder
	stderr *bytes.Buffer
}

func newFixture(t *testing.T, k Kind, o Options) fixture {
	t.Helper()
	f := fixture{rec: &alerttest.Recorder{}, stderr: &bytes.Buffer{}}
	var err error
	f.m, err = NewMonitor(k, o, Config{Sender: f.rec, Stderr: f.stderr, Now: func() time.Time { return epoch },
		Log: slog.New(slog.NewTextHandler(t.Output(), nil)), OwnGroup: "crashmailbatch"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f fixture) handle(t *testing.T, evs ...protocol.Event) {
	t.Helper()
	for _, ev := range evs {
		if err := f.m.HandleEvent(t.Context(), ev); err != nil {
			t.Fatalf("HandleEvent(%s) = %v; want nil (always acknowledge)", ev.Type(), err)
		}
	}
}

// test_process_state_monitor.py: _get_tick_secs, plus ticks supervisord
// never sends, which superlance would wait for forever.
func TestTickSeconds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		want int
		ok   bool
	}{
		{"TICK_5", 5, true},
		{"TICK_60", 60, true},
		{"TICK_3600", 3600, true},
		{"JUNK_60", 0, false},
		{"TICK_7", 0, false},
		{"TICK", 0, false},
	} {
		got, err := TickSeconds(tc.name)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("TickSeconds(%q) = %d, %v; want %d, ok=%v", tc.name, got, err, tc.want, tc.ok)
		}
	}
}

// test__get_tick_mins: one TICK_5 counts 5/60 of a minute.
func TestTickMinutes(t *testing.T) {
	o := testOptions()
	o.TickEvent, o.Interval = protocol.Tick5, 10
	f := newFixture(t, reprKind, o)
	f.handle(t, event(protocol.Tick5, "when:0"))
	if got := f.m.Elapsed(); got != 5.0/60.0 {
		t.Fatalf("Elapsed() = %v; want %v", got, 5.0/60.0)
	}
}

func TestHandleEvent(t *testing.T) {
	payload := "processname:foo groupname:bar from_state:RUNNING expected:0 pid:58597"
	for _, tc := range []struct {
		name       string
		ev         protocol.Event
		wantLines  []string
		wantStderr string
	}{
		{"exit is batched and logged", exited("foo", "bar", 0), []string{payload}, payload + "\n"},
		{"unsubscribed state is ignored", event(protocol.ProcessStateFatal, "processname:foo groupname:bar from_state:BACKOFF"), []string{}, ""},
		{"other tick is ignored", event(protocol.Tick5, "when:5"), []string{}, ""},
		{"bad payload is ignored", event(protocol.ProcessStateExited, "processname:foo"), []string{}, ""},
		{"own pool is ignored", exited("crashmailbatch", "crashmailbatch", 0), []string{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, reprKind, testOptions())
			f.handle(t, tc.ev)
			if diff := cmp.Diff(tc.wantLines, f.m.Lines()); diff != "" {
				t.Errorf("Lines() (-want +got):\n%s", diff)
			}
			if got := f.stderr.String(); got != tc.wantStderr {
				t.Errorf("stderr = %q; want %q", got, tc.wantStderr)
			}
			if f.m.Elapsed() != 0 {
				t.Errorf("Elapsed() = %v; want 0", f.m.Elapsed())
			}
		})
	}
}

// test_handle_event_tick_interval_expired.
func TestTickIntervalExpired(t *testing.T) {
	f := newFixture(t, reprKind, testOptions())
	f.handle(t, exited("foo", "bar", 0), exited("bark", "dog", 0))
	if n := len(f.m.Lines()); n != 2 {
		t.Fatalf("%d lines batched; want 2", n)
	}
	f.handle(t, tick60())
	if got := f.m.Lines(); len(got) != 0 {
		t.Errorf("Lines() = %q after the interval; want none", got)
	}
	if n := f.rec.Calls(); n != 1 {
		t.Errorf("%d notifications; want 1", n)
	}
}

// test_handle_event_tick_interval_not_expired.
func TestTickIntervalNotExpired(t *testing.T) {
	o := testOptions()
	o.Interval = 3
	f := newFixture(t, reprKind, o)
	f.handle(t, exited("foo", "bar", 0))
	for _, want := range []float64{1, 2} {
		f.handle(t, tick60())
		if got := f.m.Elapsed(); got != want {
			t.Fatalf("Elapsed() = %v; want %v", got, want)
		}
	}
	if n := f.rec.Calls(); n != 0 {
		t.Errorf("%d notifications before the interval; want 0", n)
	}
}

// An empty batch sends nothing and logs nothing when the interval ends.
func TestTickEmptyBatch(t *testing.T) {
	f := newFixture(t, reprKind, testOptions())
	f.handle(t, tick60(), tick60())
	if f.rec.Calls() != 0 || f.stderr.Len() != 0 {
		t.Fatalf("empty batch: %d sends, stderr %q; want none", f.rec.Calls(), f.stderr)
	}
}

// Superlance adds 5/60 of a minute per TICK_5 in floating point, and
// twelve of them sum to 0.9999999999999999: it sends on the thirteenth.
func TestTwelveTick5AreOneMinute(t *testing.T) {
	o := testOptions()
	o.TickEvent = protocol.Tick5
	f := newFixture(t, reprKind, o)
	f.handle(t, exited("foo", "bar", 0))
	for range 11 {
		f.handle(t, event(protocol.Tick5, "when:0"))
	}
	if f.rec.Calls() != 0 {
		t.Fatal("sent after 55 seconds")
	}
	f.handle(t, event(protocol.Tick5, "when:0"))
	if f.rec.Calls() != 1 {
		t.Fatalf("%d sends after twelve TICK_5; want 1", f.rec.Calls())
	}
}

// test_send_email_ok and test_send_batch_notification: the message and the
// log block.
func TestSendBatchNotification(t *testing.T) {
	f := newFixture(t, reprKind, testOptions())
	f.m.batch = []entry{{"msg1", "bar", "foo"}, {"msg2", "dog", "bark"}}
	f.m.Flush(t.Context())
	want := alert.Message{
		From: "testFrom@blah.com", To: []string{"testTo@blah.com", "testTo2@blah.com"},
		Subject: "Test Alert", Body: "msg1\nmsg2", Date: epoch,
		Labels: map[string]string{"alertname": "ProcessCrashed", "process": "bark,foo", "group": "bar,dog"},
	}
	if diff := cmp.Diff([]alert.Message{want}, f.rec.Messages()); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
	wantLog := "Sending notification email:\nTo: testTo@blah.com, testTo2@blah.com\nFrom: testFrom@blah.com\nSubject: Test Alert\nBody:\nmsg1\nmsg2\n"
	if got := f.stderr.String(); got != wantLog {
		t.Errorf("stderr = %q; want %q", got, wantLog)
	}
	if len(f.m.Lines()) != 0 {
		t.Error("batch kept after a successful send")
	}
}

// test_send_email_exception: superlance's error line, then its log block.
func TestSendEmailException(t *testing.T) {
	f := newFixture(t, reprKind, testOptions())
	f.rec.Fail(errors.New("test"))
	f.m.batch = []entry{{"msg1", "bar", "foo"}}
	f.m.Flush(t.Context())
	if got := f.stderr.String(); !strings.HasPrefix(got, "Error sending email: test\nSending notification email:\n") {
		t.Fatalf("stderr = %q; want the error line, then the log block", got)
	}
}

// test_log_email_with_body_digest / test_log_email_without_body_digest.
func TestLogEmailDigest(t *testing.T) {
	for _, tc := range []struct {
		name, body, logged string
	}{
		{"80 chars cut to 76", strings.Repeat("a", 80), strings.Repeat("a", 76) + "..."},
		{"76 chars kept", strings.Repeat("a", 76), strings.Repeat("a", 76)},
		{"20 chars kept", strings.Repeat("a", 20), strings.Repeat("a", 20)},
		{"characters, not bytes", strings.Repeat("é", 80), strings.Repeat("é", 76) + "..."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := testOptions()
			o.Subject = "yo yo"
			f := newFixture(t, reprKind, o)
			msg := alert.Message{To: []string{"you@fubar.com"}, From: "me@fubar.com", Subject: "yo yo", Body: tc.body}
			f.m.logEmail(msg)
			want := "Sending notification email:\nTo: you@fubar.com\nFrom: me@fubar.com\nSubject: yo yo\nBody:\n" + tc.logged + "\n"
			if got := f.stderr.String(); got != want {
				t.Errorf("log = %q; want %q", got, want)
			}
			if msg.Body != tc.body {
				t.Error("logEmail changed the message")
			}
		})
	}
}

// crashsms has no subject: no Subject header, "Subject: None" logged.
func TestLogEmailNoSubject(t *testing.T) {
	o := testOptions()
	o.Subject, o.HasSubject = "", false
	f := newFixture(t, reprKind, o)
	f.m.batch = []entry{{"msg1", "bar", "foo"}}
	f.m.Flush(t.Context())
	if got := f.stderr.String(); !strings.Contains(got, "\nSubject: None\n") {
		t.Errorf("stderr = %q; want Subject: None", got)
	}
	if msgs := f.rec.Messages(); len(msgs) != 1 || msgs[0].Subject != "" {
		t.Errorf("sent %+v; want one message without a subject", msgs)
	}
}

// B10: superlance clears the batch after a failed send, losing it. Here
// the batch waits for the next interval and goes out with what came
// since.
func TestFailedSendKeepsBatch(t *testing.T) {
	f := newFixture(t, reprKind, testOptions())
	f.rec.Fail(errors.New("connection refused"))
	f.handle(t, exited("foo", "bar", 0), tick60())
	if got := len(f.m.Lines()); got != 1 {
		t.Fatalf("%d lines after a failed send; want the 1 kept", got)
	}
	if f.m.Elapsed() != 0 {
		t.Errorf("Elapsed() = %v; want a fresh interval before retrying", f.m.Elapsed())
	}
	f.rec.Fail(nil)
	f.handle(t, exited("baz", "qux", 0), tick60())
	msgs := f.rec.Messages()
	if len(msgs) != 1 || strings.Count(msgs[0].Body, "\n") != 1 {
		t.Fatalf("sent %+v; want one message with both lines", msgs)
	}
	if !strings.Contains(msgs[0].Body, "processname:foo") || !strings.Contains(msgs[0].Body, "processname:baz") {
		t.Errorf("body = %q; want both exits", msgs[0].Body)
	}
}

// B10: the kept batch is bounded; the oldest lines go and are counted.
func TestKeptBatchIsBounded(t *testing.T) {
	f := newFixture(t, reprKind, testOptions())
	f.rec.Fail(errors.New("down"))
	for i := range MaxBatch + 5 {
		f.handle(t, exited(fmt.Sprintf("p%d", i), "g", 0))
	}
	if got := len(f.m.Lines()); got != MaxBatch {
		t.Fatalf("%d lines kept; want %d", got, MaxBatch)
	}
	f.rec.Fail(nil)
	f.handle(t, tick60())
	msgs := f.rec.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages; want 1", len(msgs))
	}
	lines := strings.Split(msgs[0].Body, "\n")
	if want := "(5 earlier lines dropped: more than 1000 were waiting to be sent)"; lines[0] != want {
		t.Errorf("first line = %q; want %q", lines[0], want)
	}
	if !strings.Contains(lines[1], "processname:p5 ") || len(lines) != MaxBatch+1 {
		t.Errorf("body starts %q with %d lines; want p5 first and %d lines", lines[1], len(lines), MaxBatch+1)
	}
}

// B10: superlance's smtplib has no timeout, so a server that accepts the
// connection and never answers blocks the listener for good. Here every
// delivery ends after SendTimeout and the batch is kept.
func TestSendIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hang := alert.SenderFunc(func(ctx context.Context, _ alert.Message) error {
			<-ctx.Done()
			return ctx.Err()
		})
		var stderr bytes.Buffer
		m, err := NewMonitor(reprKind, testOptions(), Config{Sender: hang, Stderr: &stderr})
		if err != nil {
			t.Fatal(err)
		}
		m.HandleEvent(t.Context(), exited("foo", "bar", 0))
		start := time.Now()
		m.HandleEvent(t.Context(), tick60())
		if d := time.Since(start); d != SendTimeout {
			t.Errorf("send took %v; want %v", d, SendTimeout)
		}
		if !strings.Contains(stderr.String(), "Error sending email: context deadline exceeded\n") || len(m.Lines()) != 1 {
			t.Errorf("stderr %q, %d lines kept; want the timeout logged and the line kept", stderr.String(), len(m.Lines()))
		}
	})
}

// serve runs m over the given events and returns stdout.
func serve(t *testing.T, m *Monitor, evs ...protocol.Event) string {
	t.Helper()
	var in, out bytes.Buffer
	for _, ev := range evs {
		if err := protocol.WriteEvent(&in, ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Run(t.Context(), &in, &out); err != nil {
		t.Fatalf("Run = %v", err)
	}
	return out.String()
}

// stdout carries the protocol and nothing else: READY, RESULT 2 OK per
// event, whatever the listener logs or sends.
func TestRunTranscript(t *testing.T) {
	f := newFixture(t, reprKind, testOptions())
	f.rec.Fail(errors.New("down")) // errors must not reach stdout either
	got := serve(t, f.m, exited("foo", "bar", 0), tick60())
	if want := "READY\nRESULT 2\nOKREADY\nRESULT 2\nOKREADY\n"; got != want {
		t.Fatalf("stdout = %q; want %q", got, want)
	}
	if f.stderr.Len() == 0 {
		t.Error("nothing on stderr")
	}
}

// When supervisord closes the event stream, the batch waiting is sent
// rather than lost with the process.
func TestRunFlushesAtEOF(t *testing.T) {
	f := newFixture(t, reprKind, testOptions())
	serve(t, f.m, exited("foo", "bar", 0))
	if msgs := f.rec.Messages(); len(msgs) != 1 {
		t.Fatalf("%d messages at the end of the stream; want 1", len(msgs))
	}
}

// SIGTERM (ctx done) while the listener waits for the next event: the
// batch goes out before Run returns.
func TestRunFlushesWhenStopped(t *testing.T) {
	f := newFixture(t, reprKind, testOptions())
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	t.Cleanup(func() { inW.Close(); outR.Close() })
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- f.m.Run(ctx, inR, outW) }()
	r := protocol.NewReader(outR)
	if err := r.ReadReady(); err != nil {
		t.Fatal(err)
	}
	if err := protocol.WriteEvent(inW, exited("foo", "bar", 0)); err != nil {
		t.Fatal(err)
	}
	if res, err := r.ReadResult(); res != "OK" || err != nil {
		t.Fatalf("result %q, %v; want OK", res, err)
	}
	go r.ReadReady() // the next READY, unanswered
	if n := f.rec.Calls(); n != 0 {
		t.Fatalf("%d sends before the interval; want 0", n)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v; want nil after a stop", err)
	}
	if msgs := f.rec.Messages(); len(msgs) != 1 {
		t.Fatalf("%d messages after the stop; want 1", len(msgs))
	}
}
