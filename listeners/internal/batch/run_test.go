package batch

import (
	"bytes"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lancerhq/lancer/internal/smtptest"
	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/protocol"
)

// env is what Main sees under supervisord, with events on stdin.
type runResult struct {
	code           int
	stdout, stderr string
}

func runMain(t *testing.T, k Kind, args []string, environ map[string]string, roots *x509.CertPool, evs ...protocol.Event) runResult {
	t.Helper()
	var in, out, errb bytes.Buffer
	for _, ev := range evs {
		if err := protocol.WriteEvent(&in, ev); err != nil {
			t.Fatal(err)
		}
	}
	code := Main(t.Context(), k, args, Env{
		Stdin: &in, Stdout: &out, Stderr: &errb,
		Getenv:  func(k string) string { return environ[k] },
		Now:     func() time.Time { return epoch },
		RootCAs: roots,
	})
	return runResult{code, out.String(), errb.String()}
}

var underSupervisor = map[string]string{"SUPERVISOR_SERVER_URL": "unix:///tmp/supervisor.sock", "SUPERVISOR_GROUP_NAME": "crashmailbatch"}

// superlance's exit conventions for the optparse listeners (§0.7, §1.4).
func TestMainExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name           string
		args           []string
		env            map[string]string
		code           int
		stdout, stderr string // prefixes
	}{
		{"-h prints help to stdout", []string{"-h"}, nil, 0, "Usage: crashmailbatch [options]\n", ""},
		{"missing addresses print help to stderr", []string{"-t", "a@x"}, underSupervisor, 1, "", "Usage: crashmailbatch [options]\n\nOptions:\n"},
		{"unknown option", []string{"--bogus"}, underSupervisor, 2, "",
			"Usage: crashmailbatch [options]\n\ncrashmailbatch: error: option --bogus not recognized\n"},
		{"outside supervisord", []string{"-t", "a@x", "-f", "me@x"}, nil, 1, "", "Must run as a supervisor event listener\n"},
		{"bad SMTP host", []string{"-t", "a@x", "-f", "me@x", "-H", "mx:99999"}, underSupervisor, 1, "", ""},
		{"end of the event stream", []string{"-t", "a@x", "-f", "me@x"}, underSupervisor, 0, "READY\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, crashKind, tc.args, tc.env, nil)
			if r.code != tc.code || !strings.HasPrefix(r.stdout, tc.stdout) || !strings.HasPrefix(r.stderr, tc.stderr) {
				t.Errorf("Main(%q) = %d, stdout %q, stderr %q; want %d, stdout %q..., stderr %q...",
					tc.args, r.code, r.stdout, r.stderr, tc.code, tc.stdout, tc.stderr)
			}
			if tc.stdout == "" && r.stdout != "" {
				t.Errorf("stdout = %q; want nothing (the protocol channel)", r.stdout)
			}
		})
	}
}

// The SMTP semantics of superlance (§0.5), mapped onto alert.SMTPConfig.
func TestSMTPConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name            string
		user, pass      string
		tls             bool
		wantUser, wantP string
		wantTLS         alert.TLSMode
	}{
		{"no login", "", "", false, "", "", alert.TLSNone},
		{"login", "u", "p", false, "u", "p", alert.TLSNone},
		{"login with STARTTLS", "u", "p", true, "u", "p", alert.TLSStartTLS},
		{"--tls without credentials does nothing", "", "", true, "", "", alert.TLSNone},
		{"user without password: no login, no TLS", "u", "", true, "", "", alert.TLSNone},
		{"password without user", "", "p", false, "", "", alert.TLSNone},
	} {
		o := Options{SMTPHost: "mx:587", User: tc.user, Password: tc.pass, TLS: tc.tls}
		got := SMTPConfig(o, nil)
		want := alert.SMTPConfig{Host: "mx:587", Username: tc.wantUser, Password: tc.wantP, TLS: tc.wantTLS}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: SMTPConfig (-want +got):\n%s", tc.name, diff)
		}
	}
}

// The whole listener against a real SMTP server: login and STARTTLS as
// superlance does them with -u, -p and --tls.
func TestMainSendsThroughSMTP(t *testing.T) {
	srv := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{StartTLS: true, Username: "bob", Password: "pw"})
	k := reprKind
	k.Name, k.DefaultSubject = "crashmailbatch", "Crash alert from supervisord"
	args := []string{"-t", "ops@example.org, dev@example.org", "-f", "lancer@example.org", "-H", srv.Addr,
		"-u", "bob", "-p", "pw", "--tls"}
	r := runMain(t, k, args, underSupervisor, srv.RootCAs,
		exited("foo", "bar", 0), exited("crashmailbatch", "crashmailbatch", 0), tick60())
	if r.code != 0 {
		t.Fatalf("Main = %d; stderr:\n%s", r.code, r.stderr)
	}
	if want := "READY\nRESULT 2\nOKREADY\nRESULT 2\nOKREADY\nRESULT 2\nOKREADY\n"; r.stdout != want {
		t.Errorf("stdout = %q; want %q", r.stdout, want)
	}
	mails := srv.Wait(t, 1)
	if len(mails) != 1 {
		t.Fatalf("%d mails; want 1", len(mails))
	}
	m := mails[0]
	if !m.TLS || m.User != "bob" {
		t.Errorf("mail over TLS=%v as %q; want STARTTLS as bob", m.TLS, m.User)
	}
	if !cmp.Equal(m.To, []string{"ops@example.org", "dev@example.org"}) || m.From != "lancer@example.org" {
		t.Errorf("envelope from %q to %q", m.From, m.To)
	}
	if got := m.Header.Get("Subject"); got != "Crash alert from supervisord" {
		t.Errorf("Subject = %q", got)
	}
	if want := exited("foo", "bar", 0).Payload; strings.TrimRight(m.Body, "\n") != want {
		t.Errorf("body = %q; want %q (and not the listener's own exit)", m.Body, want)
	}
	if !strings.Contains(r.stderr, "Sending notification email:\nTo: ops@example.org, dev@example.org\nFrom: lancer@example.org\n") {
		t.Errorf("stderr lacks the notification block:\n%s", r.stderr)
	}
}
