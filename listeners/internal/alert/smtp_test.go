package alert_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/smtptest"
	"github.com/lancerhq/lancer/listeners/internal/alert"
)

// crashMail is a message as crashmailbatch sends it.
var crashMail = alert.Message{
	From:    "supervisor@example.org",
	To:      []string{"ops@example.org", "oncall@example.org"},
	Subject: "Crash alert from supervisord",
	Body: "2000-01-01 00:00:00,000 -- Process web:web_0 (pid 42) died unexpectedly\n" +
		".\n" + // a lone dot must not end the DATA
		"Prozess überlebt nicht: ünïcödé and a long line " + strings.Repeat("x", 100),
	Date: time.Date(2000, 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600)),
}

func newSMTP(t *testing.T, cfg alert.SMTPConfig) *alert.SMTP {
	t.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	s, err := alert.NewSMTP(cfg)
	if err != nil {
		t.Fatalf("NewSMTP(%+v) = %v", cfg, err)
	}
	return s
}

// sendOne sends crashMail through s and returns what srv received.
func sendOne(t *testing.T, srv *smtptest.SMTPServer, s *alert.SMTP) smtptest.Mail {
	t.Helper()
	if err := s.Send(t.Context(), crashMail); err != nil {
		t.Fatalf("Send = %v", err)
	}
	mails := srv.Messages()
	if len(mails) != 1 {
		t.Fatalf("server got %d mails; want 1", len(mails))
	}
	return mails[0]
}

func TestSMTPMessage(t *testing.T) {
	t.Parallel()
	srv := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{})
	m := sendOne(t, srv, newSMTP(t, alert.SMTPConfig{Host: srv.Addr, Helo: "lancer.test"}))

	if m.From != crashMail.From || !slices.Equal(m.To, crashMail.To) {
		t.Errorf("envelope = %s -> %q; want %s -> %q", m.From, m.To, crashMail.From, crashMail.To)
	}
	for _, h := range []struct{ name, want string }{
		{"From", "<supervisor@example.org>"},
		{"To", "<ops@example.org>, <oncall@example.org>"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "text/plain; charset=UTF-8"},
		{"Content-Transfer-Encoding", "quoted-printable"},
	} {
		if got := m.Header.Get(h.name); got != h.want {
			t.Errorf("header %s = %q; want %q", h.name, got, h.want)
		}
	}
	if got := m.Subject(); got != crashMail.Subject {
		t.Errorf("Subject = %q; want %q", got, crashMail.Subject)
	}
	if d, err := m.Header.Date(); err != nil || !d.Equal(crashMail.Date) {
		t.Errorf("Date = %q (%v, %v); want %v", m.Header.Get("Date"), d, err, crashMail.Date)
	}
	if id := m.Header.Get("Message-ID"); !regexp.MustCompile(`^<[^<>@\s]+@[^<>@\s]+>$`).MatchString(id) {
		t.Errorf("Message-ID = %q; want <unique@host>", id)
	}
	// SMTP's DATA ends with a line break, so the body gains one.
	if want := crashMail.Body + "\n"; m.Body != want {
		t.Errorf("body = %q; want %q", m.Body, want)
	}
	t.Logf("delivered:\n%s", m.Data)
	if m.TLS || m.User != "" {
		t.Errorf("TLS, user = %v, %q; want a plain, anonymous session", m.TLS, m.User)
	}
}

func TestSMTPNoSubjectNoHeader(t *testing.T) {
	t.Parallel()
	// crashsms without -s sends no Subject header at all, as superlance.
	srv := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{})
	s := newSMTP(t, alert.SMTPConfig{Host: srv.Addr})
	msg := alert.Message{From: "a@example.org", To: []string{"b@example.org"}, Body: "[web:web_0](42) exited unexpectedly"}
	if err := s.Send(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	m := srv.Messages()[0]
	if _, ok := m.Header["Subject"]; ok {
		t.Errorf("Subject header %q present; want none", m.Header.Get("Subject"))
	}
	if d, err := m.Header.Date(); err != nil || time.Since(d) > time.Minute {
		t.Errorf("Date = %q; want about now for a message without a date", m.Header.Get("Date"))
	}
}

func TestSMTPTLS(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		server  smtptest.SMTPOptions
		mode    alert.TLSMode
		wantTLS bool
	}{
		{"starttls", smtptest.SMTPOptions{StartTLS: true}, alert.TLSStartTLS, true},
		{"implicit", smtptest.SMTPOptions{ImplicitTLS: true}, alert.TLSImplicit, true},
		// Without --tls superlance never upgrades, even when offered.
		{"none with starttls offered", smtptest.SMTPOptions{StartTLS: true}, alert.TLSNone, false},
		{"starttls and auth", smtptest.SMTPOptions{StartTLS: true, Username: "u", Password: "p"}, alert.TLSStartTLS, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := smtptest.NewSMTPServer(t, tc.server)
			s := newSMTP(t, alert.SMTPConfig{
				Host: srv.Addr, TLS: tc.mode, RootCAs: srv.RootCAs,
				Username: tc.server.Username, Password: tc.server.Password,
			})
			m := sendOne(t, srv, s)
			if m.TLS != tc.wantTLS || m.User != tc.server.Username {
				t.Errorf("TLS, user = %v, %q; want %v, %q", m.TLS, m.User, tc.wantTLS, tc.server.Username)
			}
			if want := crashMail.Body + "\n"; m.Body != want {
				t.Errorf("body = %q; want %q", m.Body, want)
			}
		})
	}
}

func TestSMTPAuth(t *testing.T) {
	t.Parallel()
	srv := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{Username: "alerts", Password: "s3cret"})
	m := sendOne(t, srv, newSMTP(t, alert.SMTPConfig{Host: srv.Addr, Username: "alerts", Password: "s3cret"}))
	if m.User != "alerts" {
		t.Errorf("logged in as %q; want alerts", m.User)
	}
}

func TestSMTPErrors(t *testing.T) {
	t.Parallel()
	plain := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{})
	tlsSrv := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{StartTLS: true})
	implicit := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{ImplicitTLS: true})
	auth := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{Username: "alerts", Password: "s3cret"})
	for _, tc := range []struct {
		name string
		cfg  alert.SMTPConfig
		want string // in the error
	}{
		{"wrong password", alert.SMTPConfig{Host: auth.Addr, Username: "alerts", Password: "guess"}, "535"},
		{"no login", alert.SMTPConfig{Host: auth.Addr}, "530"},
		// STARTTLS is required, never skipped when the server lacks it.
		{"starttls not offered", alert.SMTPConfig{Host: plain.Addr, TLS: alert.TLSStartTLS}, "STARTTLS"},
		{"untrusted certificate", alert.SMTPConfig{Host: tlsSrv.Addr, TLS: alert.TLSStartTLS}, "certificate"},
		{"implicit, untrusted", alert.SMTPConfig{Host: implicit.Addr, TLS: alert.TLSImplicit}, "certificate"},
		{"implicit to a plain server", alert.SMTPConfig{Host: plain.Addr, TLS: alert.TLSImplicit, RootCAs: tlsSrv.RootCAs}, "tls"},
		{"server down", alert.SMTPConfig{Host: smtptest.ClosedAddr(t)}, "refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := newSMTP(t, tc.cfg).Send(t.Context(), crashMail)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Send = %v; want an error with %q", err, tc.want)
			}
			t.Logf("Send = %v", err)
			if !strings.HasPrefix(err.Error(), "smtp 127.0.0.1:") {
				t.Errorf("Send = %v; want it to name the server", err)
			}
		})
	}
	for _, srv := range []*smtptest.SMTPServer{plain, tlsSrv, implicit, auth} {
		if n := len(srv.Messages()); n != 0 {
			t.Errorf("server %s accepted %d mails; want 0", srv.Addr, n)
		}
	}
}

func TestSMTPBadMessage(t *testing.T) {
	t.Parallel()
	s := newSMTP(t, alert.SMTPConfig{Host: smtptest.ClosedAddr(t)})
	for _, m := range []alert.Message{
		{From: "a@example.org"},
		{From: "not an address", To: []string{"b@example.org"}},
		{From: "a@example.org", To: []string{"b@"}},
	} {
		if err := s.Send(t.Context(), m); err == nil || strings.Contains(err.Error(), "refused") {
			t.Errorf("Send(%+v) = %v; want a message error before connecting", m, err)
		}
	}
}

func TestSMTPTimeout(t *testing.T) {
	t.Parallel()
	hang := smtptest.SilentAddr(t)
	for _, tc := range []struct {
		name    string
		timeout time.Duration
		ctx     time.Duration // deadline of the caller's ctx; 0 for none
	}{
		{"config timeout", 300 * time.Millisecond, 0},
		{"ctx deadline", 30 * time.Second, 300 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			if tc.ctx > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.ctx)
				defer cancel()
			}
			s := newSMTP(t, alert.SMTPConfig{Host: hang, Timeout: tc.timeout})
			start := time.Now()
			err := s.Send(ctx, crashMail)
			if err == nil {
				t.Fatal("Send to a silent server succeeded")
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Send took %v; want about 300ms", d)
			}
			if !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "timeout") {
				t.Errorf("Send = %v; want a timeout", err)
			}
		})
	}
}

func TestNewSMTPBadConfig(t *testing.T) {
	t.Parallel()
	for _, cfg := range []alert.SMTPConfig{
		{Host: ""},
		{Host: "mail:smtp"},
		{Host: "mail:0"},
		{Host: "mail:70000"},
		{Host: "[::1"},
		{Host: "localhost", TLS: 7},
	} {
		if _, err := alert.NewSMTP(cfg); err == nil {
			t.Errorf("NewSMTP(%+v) succeeded; want an error", cfg)
		}
	}
}
