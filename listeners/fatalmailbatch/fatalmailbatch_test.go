package main

import (
	"strings"
	"testing"

	"github.com/lancerhq/lancer/internal/smtptest"
	"github.com/lancerhq/lancer/listeners/internal/batch"
	"github.com/lancerhq/lancer/listeners/internal/batch/batchtest"
	"github.com/lancerhq/lancer/protocol"
)

// The line of test_fatalmailbatch.py, with the fixed clock.
const fatal = batchtest.Asctime + " -- Process bar:foo failed to start too many times"

// test_get_process_state_change_msg.
func TestMessage(t *testing.T) {
	t.Parallel()
	p, err := batchtest.Fatal("foo", "bar").Parse()
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := message(p.(protocol.ProcessState), batchtest.Asctime); got != fatal || !ok {
		t.Errorf("message = %q, %v; want %q", got, ok, fatal)
	}
}

func TestHandleEvent(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ev    protocol.Event
		lines []string
	}{
		{"fatal", batchtest.Fatal("foo", "bar"), []string{fatal}},
		{"exits are not this listener's", batchtest.Exited("foo", "bar", false), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := batchtest.NewMonitor(t, kind, nil)
			m.Handle(t, tc.ev)
			if got := m.Lines(); strings.Join(got, "\n") != strings.Join(tc.lines, "\n") {
				t.Errorf("Lines() = %q; want %q", got, tc.lines)
			}
		})
	}
}

// test_sets_default_subject_when_None (issue #109).
func TestDefaultSubject(t *testing.T) {
	t.Parallel()
	o, err := batch.Parse(kind, batchtest.DefaultArgs)
	if err != nil || o.Subject != "Fatal start alert from supervisord" {
		t.Errorf("subject %q, %v; want the default", o.Subject, err)
	}
}

// The whole listener against a real SMTP server, with the labels of the
// other channels.
func TestSendsThroughSMTP(t *testing.T) {
	srv := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{Username: "u", Password: "p"})
	r := batchtest.Run(t, kind, []string{"-t", "ops@example.org", "-f", "lancer@example.org", "-H", srv.Addr, "-u", "u", "-p", "p", "-i", "2"}, nil,
		batchtest.Fatal("foo", "bar"), batchtest.Tick60(), batchtest.Fatal("web", "www"), batchtest.Tick60())
	if r.Code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", r.Code, r.Stderr)
	}
	mails := srv.Wait(t, 1)
	if len(mails) != 1 || mails[0].User != "u" {
		t.Fatalf("%d mails (first as %q); want 1 after two TICK_60 with -i 2, logged in", len(mails), mails[0].User)
	}
	want := fatal + "\n" + batchtest.Asctime + " -- Process www:web failed to start too many times"
	if got := strings.TrimRight(mails[0].Body, "\n"); got != want {
		t.Errorf("body = %q; want %q", got, want)
	}
	if got := mails[0].Header.Get("Subject"); got != "Fatal start alert from supervisord" {
		t.Errorf("Subject = %q", got)
	}
	if !strings.Contains(r.Stderr, "Subject: Fatal start alert from supervisord\nBody:\n"+want[:76]+"...\n") {
		t.Errorf("stderr lacks the notification block with the body cut at 76:\n%s", r.Stderr)
	}
}

// Alertmanager groups by the labels: alertname ProcessFatal.
func TestLabels(t *testing.T) {
	m := batchtest.NewMonitor(t, kind, nil)
	m.Handle(t, batchtest.Fatal("foo", "bar"), batchtest.Tick60())
	msgs := m.Sent.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages; want 1", len(msgs))
	}
	if l := msgs[0].Labels; l["alertname"] != "ProcessFatal" || l["process"] != "foo" || l["group"] != "bar" {
		t.Errorf("labels = %v", l)
	}
}
