package batch

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/lancerhq/lancer/listeners/internal/alert"
)

// Env is the outside world of a batch listener: its standard streams,
// environment and clock, all injectable for tests.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// HTTPClient carries the webhook and Alertmanager channels; nil
	// means a client with a 30 s timeout.
	HTTPClient *http.Client
	// RootCAs verifies the SMTP server's certificate with --tls; nil
	// means the system roots.
	RootCAs *x509.CertPool
}

// Main runs the batch listener k with the command-line arguments args
// and returns its exit code, following superlance's conventions: 0
// after -h or at the end of the event stream, 1 for a missing
// --toEmail or --fromEmail (after the help) or outside supervisord, 2 for
// an option it cannot read.
func Main(ctx context.Context, k Kind, args []string, env Env) int {
	o, err := Parse(k, args)
	switch {
	case errors.Is(err, ErrHelp):
		fmt.Fprint(env.Stdout, Help(k.Name))
		return 0
	case errors.Is(err, ErrMissingAddress):
		fmt.Fprint(env.Stderr, Help(k.Name))
		return 1
	case err != nil:
		fmt.Fprintf(env.Stderr, "Usage: %s [options]\n\n%s: error: %v\n", k.Name, k.Name, err)
		return 2
	}
	if env.Getenv("SUPERVISOR_SERVER_URL") == "" {
		fmt.Fprintln(env.Stderr, "Must run as a supervisor event listener")
		return 1
	}
	log := slog.New(slog.NewTextHandler(env.Stderr, nil)).With("listener", k.Name)
	sender, err := newSender(o, env, log)
	if err != nil {
		log.Error("cannot send alerts", "err", err)
		return 1
	}
	m, err := NewMonitor(k, o, Config{Sender: sender, Stderr: env.Stderr, Log: log, Now: env.Now,
		OwnGroup: env.Getenv("SUPERVISOR_GROUP_NAME")})
	if err != nil {
		log.Error("bad options", "err", err)
		return 2
	}
	if err := m.Run(ctx, env.Stdin, env.Stdout); err != nil {
		log.Error("event stream failed", "err", err)
		return 1
	}
	return 0
}

// newSender builds the SMTP sender superlance has, when there are
// addresses to mail, and the channels of the long options.
func newSender(o Options, env Env, log *slog.Logger) (alert.Sender, error) {
	senders := o.Channels.Senders(env.HTTPClient)
	if len(o.To) > 0 {
		if o.TLS && (o.User == "" || o.Password == "") {
			log.Warn("--tls has no effect without --userName and --password, as in superlance")
		}
		s, err := alert.NewSMTP(SMTPConfig(o, env.RootCAs))
		if err != nil {
			return nil, err
		}
		senders = append([]alert.Sender{s}, senders...)
	}
	return alert.Multi(senders), nil
}

// SMTPConfig maps superlance's SMTP semantics onto [alert.SMTPConfig]: log
// in only when both a user name and a password are given, and STARTTLS
// only with --tls and both of them (superlance.md §0.5). Every delivery
// is bounded by [alert.DefaultSMTPTimeout], which superlance lacks (B10).
func SMTPConfig(o Options, roots *x509.CertPool) alert.SMTPConfig {
	c := alert.SMTPConfig{Host: o.SMTPHost, RootCAs: roots}
	if o.User != "" && o.Password != "" {
		c.Username, c.Password = o.User, o.Password
		if o.TLS {
			c.TLS = alert.TLSStartTLS
		}
	}
	return c
}
