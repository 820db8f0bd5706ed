package alert_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/lancerhq/lancer/internal/smtptest"
	"github.com/lancerhq/lancer/listeners/internal/alert"
)

func mailFlags(t *testing.T, args ...string) *alert.MailFlags {
	t.Helper()
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	m := alert.RegisterMailFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMailFlagsSMTP(t *testing.T) {
	srv := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{Username: "ops", Password: "pw"})
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := mailFlags(t, "--smtp-host", srv.Addr, "--smtp-user", "ops", "--smtp-password-file", pwFile, "--smtp-tls", "none", "--smtp-from", "memmon@example.org")
	s, err := m.Mailer(alert.DefaultSendmail)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(t.Context(), alert.Message{To: []string{"ops@example.org"}, Subject: "memmon: process web:web restarted", Body: "body"}); err != nil {
		t.Fatal(err)
	}
	got := srv.Wait(t, 1)[0]
	if got.From != "memmon@example.org" || got.User != "ops" || got.Subject() != "memmon: process web:web restarted" || strings.TrimSpace(got.Body) != "body" {
		t.Errorf("delivered %+v", got)
	}
}

func TestMailFlagsDefaultFromAndErrors(t *testing.T) {
	srv := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{})
	s, err := mailFlags(t, "--smtp-host", srv.Addr, "--smtp-tls", "none").Mailer("")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(t.Context(), alert.Message{To: []string{"ops@example.org"}, Subject: "s", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	if from := srv.Wait(t, 1)[0].From; !strings.HasPrefix(from, "supervisor@") {
		t.Errorf("From = %q; want supervisor@HOSTNAME", from)
	}
	for _, args := range [][]string{
		{"--smtp-host", srv.Addr, "--smtp-tls", "ssl3"},
		{"--smtp-host", srv.Addr, "--smtp-password-file", "/nonexistent/pw"},
	} {
		if _, err := mailFlags(t, args...).Mailer(""); err == nil {
			t.Errorf("Mailer(%q) succeeded; want an error", args)
		}
	}
	if s, err := mailFlags(t).Mailer("/usr/sbin/sendmail -t -i"); err != nil {
		t.Errorf("without --smtp-host: %v", err)
	} else if _, ok := s.(*alert.Sendmail); !ok {
		t.Errorf("without --smtp-host Mailer = %T; want *alert.Sendmail", s)
	}
}
