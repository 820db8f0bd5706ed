package alert

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// MailFlags choose how memmon, httpok and crashmail deliver mail:
// superlance's sendmail pipe (-s) by default, or SMTP through go-mail
// when --smtp-host is given. Long options only, off by default.
type MailFlags struct {
	Host         string // --smtp-host host[:port]
	User         string // --smtp-user
	PasswordFile string // --smtp-password-file: the password, not on the command line
	TLS          string // --smtp-tls: none, starttls or tls
	From         string // --smtp-from
	Timeout      time.Duration
}

// RegisterMailFlags adds the --smtp-* options to fs.
func RegisterMailFlags(fs *pflag.FlagSet) *MailFlags {
	m := &MailFlags{}
	fs.StringVar(&m.Host, "smtp-host", "", "send mail over SMTP to `HOST[:PORT]` instead of piping it to the -s command")
	fs.StringVar(&m.User, "smtp-user", "", "log in to the SMTP server as `USER`")
	fs.StringVar(&m.PasswordFile, "smtp-password-file", "", "read the SMTP password from `FILE` (kept off the command line)")
	fs.StringVar(&m.TLS, "smtp-tls", "starttls", "SMTP encryption: `none`, starttls (required) or tls (implicit, port 465)")
	fs.StringVar(&m.From, "smtp-from", "", "From address of SMTP mail (default supervisor@HOSTNAME)")
	fs.DurationVar(&m.Timeout, "smtp-timeout", DefaultSMTPTimeout, "bound on one SMTP delivery")
	return m
}

// Mailer returns the mail transport the flags ask for: SMTP when
// --smtp-host is set, else the sendmail command.
func (m *MailFlags) Mailer(sendmail string) (Sender, error) {
	if m == nil || m.Host == "" {
		return NewSendmail(sendmail)
	}
	mode, err := parseTLSMode(m.TLS)
	if err != nil {
		return nil, err
	}
	cfg := SMTPConfig{Host: m.Host, Username: m.User, TLS: mode, Timeout: m.Timeout}
	if m.PasswordFile != "" {
		b, err := os.ReadFile(m.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("--smtp-password-file: %w", err)
		}
		cfg.Password = strings.TrimRight(string(b), "\r\n")
	}
	s, err := NewSMTP(cfg)
	if err != nil {
		return nil, err
	}
	from := m.From
	if from == "" {
		host, _ := os.Hostname()
		from = "supervisor@" + cmp.Or(host, "localhost")
	}
	return withFrom{s, from}, nil
}

func parseTLSMode(s string) (TLSMode, error) {
	switch strings.ToLower(s) {
	case "none":
		return TLSNone, nil
	case "starttls", "":
		return TLSStartTLS, nil
	case "tls", "implicit":
		return TLSImplicit, nil
	}
	return 0, fmt.Errorf("--smtp-tls %q: want none, starttls or tls", s)
}

// withFrom sets the From of messages that have none: superlance's
// listeners build mail for `sendmail -t`, which fills it in itself.
type withFrom struct {
	s    Sender
	from string
}

func (w withFrom) Send(ctx context.Context, m Message) error {
	if m.From == "" {
		m.From = w.from
	}
	return w.s.Send(ctx, m)
}
