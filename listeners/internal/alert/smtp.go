package alert

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
)

// TLSMode says how an [SMTP] sender secures its connection.
type TLSMode int

const (
	// TLSNone speaks plain SMTP and never issues STARTTLS, even when the
	// server offers it, as Python's smtplib does unless asked.
	TLSNone TLSMode = iota
	// TLSStartTLS requires STARTTLS: a server that does not offer it is
	// an error, never a silent fall-back to plain text, since whoever
	// asks for TLS (superlance's --tls) usually sends a password next.
	// smtplib's starttls() fails the same way.
	TLSStartTLS
	// TLSImplicit speaks TLS from the first byte (SMTPS, port 465), which
	// superlance cannot do.
	TLSImplicit
)

// String returns the mode's name, as in "starttls".
func (m TLSMode) String() string {
	switch m {
	case TLSNone:
		return "none"
	case TLSStartTLS:
		return "starttls"
	case TLSImplicit:
		return "implicit"
	}
	return "TLSMode(" + strconv.Itoa(int(m)) + ")"
}

// DefaultSMTPTimeout bounds a whole SMTP delivery when
// [SMTPConfig.Timeout] is zero.
const DefaultSMTPTimeout = 30 * time.Second

// SMTPConfig configures an [SMTP] sender. It is general: the listeners
// map their flags onto it (superlance's batch listeners start TLS only
// with --tls and both a user name and a password, and log in only when
// both are set; that rule lives in the listener, not here).
type SMTPConfig struct {
	// Host is "host" or "host:port", as superlance's --smtpHost accepts
	// ("[::1]:25" for IPv6). The port is 25 by default, 465 with
	// TLSImplicit.
	Host string
	// Username and Password log in (SCRAM, CRAM-MD5, PLAIN or LOGIN,
	// the first the server offers) when Username is not empty. As with
	// smtplib, PLAIN and LOGIN are used on an unencrypted connection too:
	// choose a TLS mode to avoid that.
	Username, Password string
	TLS                TLSMode
	// RootCAs verifies the server's certificate; nil means the system
	// roots. The name checked is Host's host part.
	RootCAs *x509.CertPool
	// Timeout bounds connecting and sending one message; 0 means
	// DefaultSMTPTimeout. A shorter ctx deadline wins.
	Timeout time.Duration
	// Helo is the name given in EHLO/HELO; empty means this host's name.
	Helo string
}

// SMTP sends messages to an SMTP server, one connection per message,
// with the From, To, Subject, Date, Message-ID and MIME headers of a
// proper mail (text/plain, UTF-8, quoted-printable). The envelope sender
// is Message.From, the recipients Message.To. An SMTP is safe for
// concurrent use.
type SMTP struct {
	cfg  SMTPConfig
	host string
	port int
	tls  *tls.Config
}

// NewSMTP checks cfg and returns a sender for it. It does not connect.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	host, port, err := splitHostPort(cfg.Host, cfg.TLS)
	if err != nil {
		return nil, fmt.Errorf("smtp host %q: %w", cfg.Host, err)
	}
	if cfg.TLS < TLSNone || cfg.TLS > TLSImplicit {
		return nil, fmt.Errorf("smtp: unknown %v", cfg.TLS)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultSMTPTimeout
	}
	return &SMTP{
		cfg:  cfg,
		host: host,
		port: port,
		tls:  &tls.Config{ServerName: host, RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
	}, nil
}

// splitHostPort reads "host" or "host:port" as smtplib does, with the
// port defaulting to mode's.
func splitHostPort(hostport string, mode TLSMode) (string, int, error) {
	port := mail.DefaultPort
	if mode == TLSImplicit {
		port = mail.DefaultPortSSL
	}
	host, p, err := net.SplitHostPort(hostport)
	if err != nil {
		// No port: a bare name, IPv4 or IPv6 address (brackets optional).
		host = hostport
		if h, ok := strings.CutPrefix(host, "["); ok {
			if host, ok = strings.CutSuffix(h, "]"); !ok {
				return "", 0, err
			}
		}
		if strings.ContainsAny(host, "[]") || (strings.Contains(host, ":") && net.ParseIP(host) == nil) {
			return "", 0, err
		}
	} else if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
		return "", 0, fmt.Errorf("bad port %q", p)
	}
	if host == "" {
		return "", 0, errors.New("empty host")
	}
	return host, port, nil
}

// Send delivers m. It returns once the server has accepted the message
// (250 after DATA) or with the reason it did not, within the
// configured Timeout or ctx, whichever ends first.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := buildMsg(m)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", s.addr(), err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	var stop func() bool
	defer func() {
		if stop != nil {
			stop()
		}
	}()
	// go-mail bounds each step by its own timeout but only heeds ctx
	// while dialing; closing the connection when ctx ends makes the
	// bound hold for the whole exchange.
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		c, err := s.dial(dctx, network, addr)
		if err == nil {
			stop = context.AfterFunc(ctx, func() { c.Close() })
		}
		return c, err
	}
	c, err := mail.NewClient(s.host, s.options(dial)...)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", s.addr(), err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w: %w", ctx.Err(), err)
		}
		return fmt.Errorf("smtp %s: %w", s.addr(), err)
	}
	return nil
}

func (s *SMTP) addr() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }

// dial connects, doing the TLS handshake itself for TLSImplicit: go-mail
// skips its own TLS dialer when given a dial function. The *tls.Conn is
// returned as is, so that go-mail knows the connection is encrypted.
func (s *SMTP) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil || s.cfg.TLS != TLSImplicit {
		return c, err
	}
	tc := tls.Client(c, s.tls)
	if err := tc.HandshakeContext(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return tc, nil
}

func (s *SMTP) options(dial mail.DialContextFunc) []mail.Option {
	policy := mail.NoTLS
	if s.cfg.TLS == TLSStartTLS {
		policy = mail.TLSMandatory
	}
	opts := []mail.Option{
		mail.WithPort(s.port),
		mail.WithTimeout(s.cfg.Timeout),
		mail.WithDialContextFunc(dial),
		mail.WithTLSPolicy(policy),
		mail.WithTLSConfig(s.tls),
	}
	if s.cfg.Helo != "" {
		opts = append(opts, mail.WithHELO(s.cfg.Helo))
	}
	if s.cfg.Username != "" {
		opts = append(opts,
			mail.WithUsername(s.cfg.Username),
			mail.WithPassword(s.cfg.Password),
			// smtplib's order, strongest first; PLAIN and LOGIN also
			// without TLS, as smtplib sends them.
			mail.WithOpportunisticSMTPAuth(mail.SMTPAuthSCRAMSHA256, mail.SMTPAuthSCRAMSHA1,
				mail.SMTPAuthCramMD5, mail.SMTPAuthPlainNoEnc, mail.SMTPAuthLoginNoEnc))
	}
	return opts
}

// buildMsg turns m into a go-mail message. Like superlance, it sets a
// Subject header only when there is a subject (crashsms has none by
// default).
func buildMsg(m Message) (*mail.Msg, error) {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.From(m.From); err != nil {
		return nil, fmt.Errorf("from %q: %w", m.From, err)
	}
	if len(m.To) == 0 {
		return nil, errors.New("no recipients")
	}
	if err := msg.To(m.To...); err != nil {
		return nil, fmt.Errorf("to %q: %w", m.To, err)
	}
	if m.Subject != "" {
		msg.Subject(m.Subject)
	}
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	msg.SetDateWithValue(date)
	msg.SetMessageID()
	msg.SetUserAgent("lancer")
	msg.SetBodyString(mail.TypeTextPlain, m.Body)
	return msg, nil
}
