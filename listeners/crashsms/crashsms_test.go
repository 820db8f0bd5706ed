package main

import (
	"strings"
	"testing"

	"github.com/lancerhq/lancer/internal/smtptest"
	"github.com/lancerhq/lancer/listeners/internal/batch"
	"github.com/lancerhq/lancer/listeners/internal/batch/batchtest"
	"github.com/lancerhq/lancer/protocol"
)

// The line of test_crashsms.py, with the fixed clock.
const unexpected = "[bar:foo](58597) exited unexpectedly " + batchtest.Asctime

// test_crashsms.py inherits test_crashmailbatch.py with this line.
func TestMessage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		ev   protocol.Event
		want string
		ok   bool
	}{
		{"expected exit", batchtest.Exited("foo", "bar", true), "", false},
		{"unexpected exit", batchtest.Exited("foo", "bar", false), unexpected, true},
	} {
		p, err := tc.ev.Parse()
		if err != nil {
			t.Fatal(err)
		}
		got, ok := message(p.(protocol.ProcessState), batchtest.Asctime)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: message = %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestHandleEvent(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ev    protocol.Event
		lines []string
	}{
		{"expected exit", batchtest.Exited("foo", "bar", true), nil},
		{"unexpected exit", batchtest.Exited("foo", "bar", false), []string{unexpected}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := batchtest.NewMonitor(t, kind, nil)
			m.Handle(t, tc.ev)
			if got := m.Lines(); strings.Join(got, "\n") != strings.Join(tc.lines, "\n") {
				t.Errorf("Lines() = %q; want %q", got, tc.lines)
			}
			if got, want := m.Stderr.String(), strings.Join(tc.lines, "\n"); strings.TrimSuffix(got, "\n") != want {
				t.Errorf("stderr = %q; want %q", got, want)
			}
		})
	}
}

// test_sets_default_subject_when_None: crashsms has none.
func TestNoDefaultSubject(t *testing.T) {
	t.Parallel()
	o, err := batch.Parse(kind, batchtest.DefaultArgs)
	if err != nil || o.Subject != "" || o.HasSubject {
		t.Errorf("subject %q (set %v), %v; want none", o.Subject, o.HasSubject, err)
	}
}

// The whole listener against a real SMTP server: no Subject header, and
// "Subject: None" in the log, as superlance.
func TestSendsThroughSMTP(t *testing.T) {
	srv := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{})
	r := batchtest.Run(t, kind, []string{"-t", "1234567890@txt.example", "-f", "me@example.org", "-H", srv.Addr, "-e", "TICK_5"}, nil,
		batchtest.Exited("foo", "bar", false), batchtest.Tick60())
	if r.Code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", r.Code, r.Stderr)
	}
	// TICK_60 is not the tick counted: the batch went out at the end of
	// the stream, not at the tick.
	if r.Stdout != "READY\nRESULT 2\nOKREADY\nRESULT 2\nOKREADY\n" || !strings.HasSuffix(r.Stderr, "Subject: None\nBody:\n"+unexpected+"\n") {
		t.Errorf("stdout %q; stderr:\n%s", r.Stdout, r.Stderr)
	}
	m := srv.Wait(t, 1)[0]
	if _, ok := m.Header["Subject"]; ok {
		t.Errorf("Subject header %q; want none", m.Header.Get("Subject"))
	}
	if got := strings.TrimRight(m.Body, "\n"); got != unexpected {
		t.Errorf("body = %q; want %q", got, unexpected)
	}
}
