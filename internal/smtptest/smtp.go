package smtptest

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"log"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPOptions configure an [SMTPServer]. The zero value is a plain SMTP
// server that accepts every message without authentication.
type SMTPOptions struct {
	// StartTLS offers STARTTLS, with a self-signed certificate for
	// 127.0.0.1 and localhost.
	StartTLS bool
	// ImplicitTLS speaks TLS from the first byte (SMTPS), with the same
	// kind of certificate.
	ImplicitTLS bool
	// Username and Password, when Username is set, make the server offer
	// AUTH PLAIN (also without TLS) and refuse mail from a client that
	// has not logged in with them.
	Username, Password string
}

// Mail is one message the server accepted.
type Mail struct {
	From string   // envelope sender (MAIL FROM)
	To   []string // envelope recipients (RCPT TO)
	// Data is the message as transmitted, headers and body, with CRLF
	// line ends.
	Data   []byte
	Header mail.Header
	// Body is the body decoded from its Content-Transfer-Encoding
	// (quoted-printable or base64), with CRLF turned into LF.
	Body string
	// TLS reports whether the message came over an encrypted
	// connection; User is who logged in ("" for no one).
	TLS  bool
	User string
}

// SMTPServer is a real SMTP server on 127.0.0.1 that records what it
// receives, for tests of anything that sends mail: [alert.SMTP], the
// batch listeners, end-to-end runs. Its methods are safe for concurrent
// use.
type SMTPServer struct {
	// Addr is the server's "127.0.0.1:port".
	Addr string
	// RootCAs trusts the server's certificate; nil without TLS.
	RootCAs *x509.CertPool
	// CertPEM is that certificate, to write to a CA file for a binary.
	CertPEM []byte

	opts  SMTPOptions
	mu    sync.Mutex
	mails []Mail
	added chan struct{} // closed and replaced when a mail arrives
}

// NewSMTPServer starts a server on 127.0.0.1:0 and stops it when the
// test ends.
func NewSMTPServer(t testing.TB, opts SMTPOptions) *SMTPServer {
	t.Helper()
	s := &SMTPServer{opts: opts, added: make(chan struct{})}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	tw := &testWriter{t: t}
	srv.ErrorLog = log.New(tw, "smtp server: ", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtp server: %v", err)
	}
	if opts.StartTLS || opts.ImplicitTLS {
		cert, pool, pemBytes := SelfSignedCert(t)
		s.RootCAs, s.CertPEM = pool, pemBytes
		cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if opts.ImplicitTLS {
			l = tls.NewListener(l, cfg)
		} else {
			srv.TLSConfig = cfg
		}
	}
	s.Addr = l.Addr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(l)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
		tw.stop()
	})
	return s
}

// Messages returns the mails accepted so far, oldest first.
func (s *SMTPServer) Messages() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// Wait blocks until the server has accepted at least n mails and returns
// them all; it fails the test after 10 s. Call it from the test's
// goroutine.
func (s *SMTPServer) Wait(t testing.TB, n int) []Mail {
	t.Helper()
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	for {
		s.mu.Lock()
		mails, added := append([]Mail(nil), s.mails...), s.added
		s.mu.Unlock()
		if len(mails) >= n {
			return mails
		}
		select {
		case <-added:
		case <-timeout.C:
			t.Fatalf("smtp server: %d mails after 10s; want %d", len(mails), n)
		}
	}
}

func (s *SMTPServer) add(m Mail) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mails = append(s.mails, m)
	close(s.added)
	s.added = make(chan struct{})
}

func (s *SMTPServer) newSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{srv: s, conn: c}, nil
}

// session is one SMTP session; go-smtp calls its methods from the
// connection's goroutine only.
type session struct {
	srv  *SMTPServer
	conn *smtp.Conn
	user string
	from string
	to   []string
}

var _ smtp.AuthSession = (*session)(nil)

// The replies of common servers (Postfix), rather than go-smtp's 454
// and 502.
var (
	errBadCredentials = &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
	errAuthRequired   = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
)

func (ss *session) AuthMechanisms() []string {
	if ss.srv.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || ss.srv.opts.Username == "" {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.srv.opts.Username || password != ss.srv.opts.Password {
			return errBadCredentials
		}
		ss.user = username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.srv.opts.Username != "" && ss.user == "" {
		return errAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Mail{From: ss.from, To: ss.to, Data: data, User: ss.user}
	_, m.TLS = ss.conn.TLSConnectionState()
	if err := m.parse(); err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "unparseable message: " + err.Error()}
	}
	ss.srv.add(m)
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// parse fills Header and Body from Data.
func (m *Mail) parse() error {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return err
	}
	m.Header = msg.Header
	var body io.Reader = msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	m.Body = strings.ReplaceAll(string(b), "\r\n", "\n")
	return nil
}

// Subject returns the decoded Subject header.
func (m Mail) Subject() string {
	s := m.Header.Get("Subject")
	if d, err := new(mime.WordDecoder).DecodeHeader(s); err == nil {
		return d
	}
	return s
}

// testWriter sends a server's error log to the test's log until the
// test is over: go-smtp's Close does not wait for its connections.
type testWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}

func (w *testWriter) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
}
