package alerttest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/smtptest"
	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/listeners/internal/alert/alerttest"
)

func TestSMTPServerWait(t *testing.T) {
	t.Parallel()
	srv := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{StartTLS: true, Username: "u", Password: "p"})
	s, err := alert.NewSMTP(alert.SMTPConfig{Host: srv.Addr, TLS: alert.TLSStartTLS, RootCAs: srv.RootCAs, Username: "u", Password: "p", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 2)
	for _, subj := range []string{"one", "two"} {
		go func() {
			errc <- s.Send(t.Context(), alert.Message{From: "a@example.org", To: []string{"b@example.org"}, Subject: subj, Body: "body"})
		}()
	}
	mails := srv.Wait(t, 2)
	for range 2 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	if len(mails) != 2 || !mails[0].TLS || mails[1].User != "u" || len(srv.CertPEM) == 0 {
		t.Errorf("Wait = %+v; want two mails over TLS from u", mails)
	}
}

func TestRecorder(t *testing.T) {
	t.Parallel()
	var r alerttest.Recorder
	boom := errors.New("boom")
	r.Fail(boom)
	if err := r.Send(t.Context(), alert.Message{Subject: "lost"}); !errors.Is(err, boom) {
		t.Errorf("failing Send = %v; want boom", err)
	}
	r.Fail(nil)
	go r.Send(t.Context(), alert.Message{Subject: "kept"})
	if got := r.Wait(t, 1); len(got) != 1 || got[0].Subject != "kept" || r.Calls() != 2 {
		t.Errorf("Wait = %+v after %d calls; want only the kept message, 2 calls", got, r.Calls())
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := r.Send(ctx, alert.Message{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Send with a done ctx = %v; want Canceled", err)
	}
}
