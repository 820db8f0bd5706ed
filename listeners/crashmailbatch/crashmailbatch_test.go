package main

import (
	"strings"
	"testing"

	"github.com/lancerhq/lancer/internal/smtptest"
	"github.com/lancerhq/lancer/listeners/internal/batch"
	"github.com/lancerhq/lancer/listeners/internal/batch/batchtest"
	"github.com/lancerhq/lancer/protocol"
)

// The line of test_crashmailbatch.py, with the fixed clock.
const unexpected = batchtest.Asctime + " -- Process bar:foo (pid 58597) died unexpectedly"

// test_get_process_state_change_msg_expected / _unexpected.
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

// test_handle_event_exit_expected / _unexpected.
func TestHandleEvent(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ev    protocol.Event
		lines []string
	}{
		{"expected exit", batchtest.Exited("foo", "bar", true), nil},
		{"unexpected exit", batchtest.Exited("foo", "bar", false), []string{unexpected}},
		{"fatal is not this listener's", batchtest.Fatal("foo", "bar"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := batchtest.NewMonitor(t, kind, nil)
			m.Handle(t, tc.ev)
			if got := m.Lines(); strings.Join(got, "\n") != strings.Join(tc.lines, "\n") {
				t.Errorf("Lines() = %q; want %q", got, tc.lines)
			}
			if want := strings.Join(append(tc.lines, ""), "\n"); len(tc.lines) == 0 && m.Stderr.Len() != 0 || len(tc.lines) > 0 && m.Stderr.String() != want {
				t.Errorf("stderr = %q; want %q", m.Stderr, want)
			}
		})
	}
}

// test_sets_default_subject_when_None (issue #109), and -s over it.
func TestSubject(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{batchtest.DefaultArgs, "Crash alert from supervisord"},
		{append([]string{"-s", "Test Alert"}, batchtest.DefaultArgs...), "Test Alert"},
	} {
		o, err := batch.Parse(kind, tc.args)
		if err != nil || o.Subject != tc.want || !o.HasSubject {
			t.Errorf("Parse(%q): subject %q, %v; want %q", tc.args, o.Subject, err, tc.want)
		}
	}
}

// The whole listener against a real SMTP server.
func TestSendsThroughSMTP(t *testing.T) {
	srv := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{})
	r := batchtest.Run(t, kind, []string{"--toEmail=ops@example.org", "--fromEmail=lancer@example.org", "--smtpHost", srv.Addr}, nil,
		batchtest.Exited("foo", "bar", false), batchtest.Exited("baz", "bar", true), batchtest.Tick60())
	if r.Code != 0 || r.Stdout != "READY\nRESULT 2\nOKREADY\nRESULT 2\nOKREADY\nRESULT 2\nOKREADY\n" {
		t.Fatalf("exit %d, stdout %q; stderr:\n%s", r.Code, r.Stdout, r.Stderr)
	}
	m := srv.Wait(t, 1)[0]
	if got := m.Header.Get("Subject"); got != "Crash alert from supervisord" {
		t.Errorf("Subject = %q", got)
	}
	if from, to := m.Header.Get("From"), m.Header.Get("To"); from != "<lancer@example.org>" || to != "<ops@example.org>" {
		t.Errorf("From %q, To %q", from, to)
	}
	if m.Header.Get("Date") == "" || m.Header.Get("Message-Id") == "" {
		t.Errorf("headers %v; want Date and Message-ID", m.Header)
	}
	if got := strings.TrimRight(m.Body, "\n"); got != unexpected {
		t.Errorf("body = %q; want %q", got, unexpected)
	}
	if !strings.Contains(r.Stderr, unexpected+"\n") {
		t.Errorf("stderr lacks the line:\n%s", r.Stderr)
	}
}
