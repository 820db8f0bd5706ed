// Package batchtest holds what the tests of the batch listeners
// (crashmailbatch, fatalmailbatch, crashsms) share: superlance's test
// events, a fixed clock, and ways to run a [batch.Kind] as a [batch.Monitor]
// with a recording sender or as a whole listener with [batch.Main]. It is
// for tests only.
package batchtest

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/lancerhq/lancer/listeners/internal/alert/alerttest"
	"github.com/lancerhq/lancer/listeners/internal/batch"
	"github.com/lancerhq/lancer/protocol"
)

// Epoch is the clock of every test, in UTC: its asctime is
// "2024-05-01 12:00:00,123".
var Epoch = time.Date(2024, 5, 1, 12, 0, 0, 123e6, time.UTC)

// Asctime is Epoch as [batch.AsctimeLayout].
const Asctime = "2024-05-01 12:00:00,123"

// Event builds one event of type t as supervisord sends it to the pool
// "checkmailbatch", as superlance's tests do.
func Event(t protocol.EventType, payload string) protocol.Event {
	return protocol.Event{
		Header: protocol.Header{Ver: protocol.Version, Server: "supervisor", Serial: 7, Pool: "checkmailbatch",
			PoolSerial: 7, EventName: string(t), Len: len(payload)},
		Payload: payload,
	}
}

// Exited is superlance's get_process_exited_event: pid 58597, from RUNNING.
func Exited(name, group string, expected bool) protocol.Event {
	e := 0
	if expected {
		e = 1
	}
	return Event(protocol.ProcessStateExited,
		fmt.Sprintf("processname:%s groupname:%s from_state:RUNNING expected:%d pid:58597", name, group, e))
}

// Fatal is superlance's get_process_fatal_event, from BACKOFF.
func Fatal(name, group string) protocol.Event {
	return Event(protocol.ProcessStateFatal, fmt.Sprintf("processname:%s groupname:%s from_state:BACKOFF", name, group))
}

// Tick60 is one TICK_60.
func Tick60() protocol.Event { return Event(protocol.Tick60, "when:1279665240") }

// Monitor is a [batch.Monitor] of kind k over options args (superlance's
// test addresses unless args give others), with the fixed clock, a
// recording sender and stderr in a buffer.
type Monitor struct {
	*batch.Monitor
	Sent   *alerttest.Recorder
	Stderr *bytes.Buffer
}

// DefaultArgs are superlance's test addresses.
var DefaultArgs = []string{"--toEmail", "testTo@blah.com", "--fromEmail", "testFrom@blah.com"}

// NewMonitor parses args for k (nil means DefaultArgs) and returns the
// monitor.
func NewMonitor(t testing.TB, k batch.Kind, args []string) Monitor {
	t.Helper()
	if args == nil {
		args = DefaultArgs
	}
	o, err := batch.Parse(k, args)
	if err != nil {
		t.Fatalf("Parse(%q) = %v", args, err)
	}
	m := Monitor{Sent: &alerttest.Recorder{}, Stderr: &bytes.Buffer{}}
	m.Monitor, err = batch.NewMonitor(k, o, batch.Config{Sender: m.Sent, Stderr: m.Stderr,
		Log: slog.New(slog.NewTextHandler(t.Output(), nil)), Now: func() time.Time { return Epoch }})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Handle hands evs to m, failing t if one is not acknowledged.
func (m Monitor) Handle(t testing.TB, evs ...protocol.Event) {
	t.Helper()
	for _, ev := range evs {
		if err := m.HandleEvent(t.Context(), ev); err != nil {
			t.Fatalf("HandleEvent(%s) = %v; want nil", ev.Type(), err)
		}
	}
}

// Result is what [Run] saw of the listener.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// Run runs k as a whole listener, as supervisord would (pool
// "checkmailbatch"), on args with evs on stdin; roots, if not nil,
// verifies the SMTP server.
func Run(t testing.TB, k batch.Kind, args []string, roots *x509.CertPool, evs ...protocol.Event) Result {
	t.Helper()
	var in, out, errb bytes.Buffer
	for _, ev := range evs {
		if err := protocol.WriteEvent(&in, ev); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"SUPERVISOR_SERVER_URL": "unix:///tmp/supervisor.sock", "SUPERVISOR_GROUP_NAME": "checkmailbatch"}
	code := batch.Main(t.Context(), k, args, batch.Env{
		Stdin: &in, Stdout: &out, Stderr: &errb,
		Getenv:  func(k string) string { return env[k] },
		Now:     func() time.Time { return Epoch },
		RootCAs: roots,
	})
	return Result{code, out.String(), errb.String()}
}
