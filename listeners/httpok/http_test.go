package main

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Checks against real servers on 127.0.0.1, through the client httpok
// builds.

// realBed is a testbed whose checker talks to url with newHTTPClient.
func realBed(t *testing.T, url string, edit func(o *options)) *testbed {
	t.Helper()
	o := defaultOptions()
	o.URL, o.Programs = url, []string{"foo"}
	if edit != nil {
		edit(o)
	}
	tb := newTestbed(t, o, nil)
	hc, err := newHTTPClient(o)
	if err != nil {
		t.Fatal(err)
	}
	tb.c.http = hc
	return tb
}

// verdictOf runs one TICK and returns the mail subject and first line
// (the outcome), or "" when httpok did not act.
func (tb *testbed) verdictOf(t *testing.T) (subject, outcome string) {
	t.Helper()
	if got := tb.runOnce(t, "TICK_60"); got != "READY\nRESULT 2\nOK" {
		t.Fatalf("stdout = %q", got)
	}
	if len(tb.mail.sent) == 0 {
		if tb.stderr.Len() != 0 {
			t.Fatalf("no mail but stderr %q", tb.stderr)
		}
		return "", ""
	}
	m := tb.mail.sent[0]
	outcome, _, _ = strings.Cut(m.Body, "\nRestarting")
	return m.Subject, outcome
}

func TestRealHTTP(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != "httpok" || r.URL.RawQuery != "a=1&b=2" {
			http.Error(w, "bad request from httpok: "+r.Header.Get("User-Agent")+" "+r.URL.RawQuery, http.StatusBadRequest)
			return
		}
		io.WriteString(w, "It works")
	})
	mux.HandleFunc("/wrongbody", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "Some kind of error") })
	mux.HandleFunc("/binary", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("\xff\xfe It works \x00")) })
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) })
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusFound) })
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { close(release); srv.Close() })

	for _, tc := range []struct {
		name    string
		path    string
		edit    func(o *options)
		subject string
		outcome string
	}{
		{name: "ok with query and user agent", path: "/ok?a=1&b=2"},
		{name: "body present", path: "/ok?a=1&b=2", edit: func(o *options) { o.Body = "works" }},
		{name: "wrong body", path: "/wrongbody", edit: func(o *options) { o.Body = "works" },
			subject: "bad body returned", outcome: "200 OK"},
		// B3: superlance on Python 3 dies here with a TypeError.
		{name: "B3 body in a binary response", path: "/binary", edit: func(o *options) { o.Body = "works" }},
		{name: "500", path: "/500",
			subject: "bad status returned", outcome: "500 Internal Server Error"},
		{name: "500 accepted by -c", path: "/500", edit: func(o *options) { o.Statuses.codes = []int{200, 500} }},
		{name: "redirect not followed", path: "/redirect",
			subject: "bad status returned", outcome: "302 Found"},
		{name: "redirect accepted by --status", path: "/redirect",
			edit: func(o *options) { o.Statuses.ranges = []statusRange{{300, 399}} }},
		{name: "hangs past the timeout", path: "/hang", edit: func(o *options) { o.Timeout = time.Second },
			subject: "bad status returned", outcome: "error contacting URL:\n\n timed out after 1s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := srv.URL + tc.path
			tb := realBed(t, url, tc.edit)
			start := time.Now()
			subject, outcome := tb.verdictOf(t)
			if tc.subject != "" {
				tc.subject = "httpok: " + url + ": " + tc.subject
				if strings.HasPrefix(tc.outcome, "error") {
					tc.outcome = strings.Replace(tc.outcome, "URL", url, 1)
				} else {
					tc.outcome = "status contacting " + url + ": " + tc.outcome
				}
			}
			if subject != tc.subject || outcome != tc.outcome {
				t.Errorf("verdict = %q, %q; want %q, %q", subject, outcome, tc.subject, tc.outcome)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("check took %s", d)
			}
		})
	}
}

// TestRefusedIsRetried: with -t 21 and a retry every second, a refused
// port is tried 3 times, (21-1)/10+1 with superlance's retry_time of 10.
func TestRefusedIsRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/"
	ln.Close() // now refused
	tb := realBed(t, url, func(o *options) { o.Timeout = 21 * time.Second })
	tb.c.retry = retryTime
	subject, outcome := tb.verdictOf(t)
	if subject != "httpok: "+url+": bad status returned" || !strings.Contains(outcome, "connection refused") {
		t.Errorf("verdict = %q, %q; want bad status, connection refused", subject, outcome)
	}
	if len(tb.sleeps) != 2 || tb.sleeps[0] != retryTime {
		t.Errorf("slept %v; want twice %s", tb.sleeps, retryTime)
	}
}

// writeCert writes the certificate of a TLS test server as PEM.
func writeCert(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "ca.pem")
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(name, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestHTTPS is B8: superlance wraps the socket with ssl.wrap_socket,
// without SNI or verification, and on Python 3.12+, where wrap_socket is
// gone, every https check fails and restarts the processes on every
// tick. Lancer verifies the certificate, with SNI, against the system's
// roots or --cafile; --insecure skips the verification.
func TestHTTPS(t *testing.T) {
	t.Parallel()
	var (
		mu  sync.Mutex
		sni []string // the server names of the TLS handshakes
	)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "It works")
	}))
	srv.TLS = &tls.Config{GetConfigForClient: func(h *tls.ClientHelloInfo) (*tls.Config, error) {
		mu.Lock()
		defer mu.Unlock()
		sni = append(sni, h.ServerName)
		return nil, nil
	}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := writeCert(t, srv)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	for _, tc := range []struct {
		name    string
		url     string
		edit    func(o *options)
		failure string // in the outcome; "" means the check passes
		sni     string
	}{
		{"self-signed without --cafile", srv.URL, nil, "certificate signed by unknown authority", ""},
		{"self-signed with --cafile", srv.URL, func(o *options) { o.CAFile = ca }, "", ""},
		{"name mismatch with --cafile", "https://localhost:" + port + "/", func(o *options) { o.CAFile = ca },
			"certificate is valid for", "localhost"},
		{"--insecure", "https://localhost:" + port + "/", func(o *options) { o.Insecure = true }, "", "localhost"},
		{"sni with a name", "https://example.com:" + port + "/", func(o *options) { o.CAFile = ca }, "", "example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mu.Lock()
			sni = nil
			mu.Unlock()
			tb := realBed(t, tc.url, func(o *options) {
				o.Body = "works"
				if tc.edit != nil {
					tc.edit(o)
				}
			})
			if strings.Contains(tc.url, "example.com") {
				// example.com is in the test certificate; dial it here.
				tb.c.http.(*http.Client).Transport.(*http.Transport).DialContext = dialTo(srv.Listener.Addr().String())
			}
			_, outcome := tb.verdictOf(t)
			t.Logf("outcome: %q", outcome)
			if tc.failure == "" && outcome != "" || !strings.Contains(outcome, tc.failure) {
				t.Errorf("outcome %q; want %q", outcome, tc.failure)
			}
			mu.Lock()
			defer mu.Unlock()
			if tc.sni != "" && (len(sni) == 0 || sni[0] != tc.sni) {
				t.Errorf("server saw SNI %q; want %q", sni, tc.sni)
			}
		})
	}
}

func TestCAFileErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "x.pem")
	os.WriteFile(notPEM, []byte("not a certificate"), 0o600)
	for _, name := range []string{filepath.Join(dir, "missing.pem"), notPEM} {
		o := defaultOptions()
		o.CAFile = name
		if _, err := newHTTPClient(o); err == nil {
			t.Errorf("newHTTPClient with --cafile %s succeeded", name)
		}
	}
}

func dialTo(addr string) func(ctx context.Context, network, _ string) (net.Conn, error) {
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
}
