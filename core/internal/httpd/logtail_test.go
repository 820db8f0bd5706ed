package httpd

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/core/internal/mainlog"
)

// tail opens a tail at path and returns the response, whose body the
// caller reads.
func tail(t *testing.T, s *Server, path string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", "http://lancer"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client(s.Addrs()[0]).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// readN reads n bytes of r, failing after a deadline.
func readN(t *testing.T, r io.Reader, n int) string {
	t.Helper()
	buf := make([]byte, n)
	done := make(chan error, 1)
	go func() { _, err := io.ReadFull(r, buf); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("read %d bytes: %v; got %q", n, err, buf)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("read %d bytes: timed out", n)
	}
	return string(buf)
}

func tailServer(t *testing.T, opts Options) *Server {
	t.Helper()
	opts.Unix = []config.UnixHTTPServer{unixServer(t, "", "")}
	return start(t, New(opts))
}

func TestLogtailFollows(t *testing.T) {
	t.Parallel()
	ch := newChannel(t, logcap.Options{Path: filepath.Join(t.TempDir(), "p.log")})
	write(t, ch, strings.Repeat("x", 2000)+"backlog\n")
	s := tailServer(t, Options{Logs: logs{"g:p/stdout": ch}})
	resp := tail(t, s, "/logtail/g%3Ap")
	want := map[string]string{
		"Content-Type": "text/plain;charset=utf-8", "X-Accel-Buffering": "no",
	}
	for k, v := range want {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("header %s = %q; want %q", k, got, v)
		}
	}
	if _, err := http.ParseTime(resp.Header.Get("Last-Modified")); err != nil {
		t.Errorf("Last-Modified %q: %v", resp.Header.Get("Last-Modified"), err)
	}
	if resp.StatusCode != 200 || len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
		t.Fatalf("status %d, transfer encoding %q; want 200 chunked", resp.StatusCode, resp.TransferEncoding)
	}
	if got, want := readN(t, resp.Body, 1024), strings.Repeat("x", 1016)+"backlog\n"; got != want {
		t.Errorf("tail starts with %q; want the last 1024 bytes %q", got, want)
	}
	for i := range 3 {
		line := fmt.Sprintf("line %d\n", i)
		write(t, ch, line)
		if got := readN(t, resp.Body, len(line)); got != line {
			t.Errorf("after writing %q the tail gave %q", line, got)
		}
	}
}

// TestLogtailRotation follows a log while it rotates every 100 bytes:
// every byte arrives, in order.
func TestLogtailRotation(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "p.log")
	ch := newChannel(t, logcap.Options{Path: path, File: logcap.FileOptions{MaxBytes: 100, Backups: 1}})
	s := tailServer(t, Options{Logs: logs{"p/stderr": ch}})
	resp := tail(t, s, "/logtail/p/stderr")
	var want bytes.Buffer
	for i := range 200 {
		line := fmt.Sprintf("line %d\n", i)
		want.WriteString(line)
		write(t, ch, line)
	}
	if got := readN(t, resp.Body, want.Len()); got != want.String() {
		t.Errorf("tail across rotations:\n%q\nwant\n%q", got, want.String())
	}
	if _, err := os.Stat(path + ".1"); err != nil {
		t.Errorf("the log did not rotate: %v", err)
	}
}

// TestLogtailHTTP10 checks that an HTTP/1.0 client gets the tail as a
// close-delimited body, which ends when the channel is closed.
func TestLogtailHTTP10(t *testing.T) {
	t.Parallel()
	ch, err := logcap.NewChannel(nil, logcap.Options{Path: filepath.Join(t.TempDir(), "p.log")})
	if err != nil {
		t.Fatal(err)
	}
	write(t, ch, "first\n")
	s := tailServer(t, Options{Logs: logs{"p/stdout": ch}})
	conn := dial(t, s.Addrs()[0])
	write(t, conn, "GET /logtail/p HTTP/1.0\r\n\r\n")
	r := bufio.NewReader(conn)
	var got bytes.Buffer
	readUntil(t, r, &got, "\r\n\r\nfirst\n")
	head, _, _ := strings.Cut(got.String(), "\r\n\r\n")
	if !strings.HasPrefix(head, "HTTP/1.0 200 OK\r\n") || strings.Contains(head, "Transfer-Encoding") ||
		strings.Contains(head, "Content-Length") {
		t.Errorf("HTTP/1.0 tail headers:\n%s\nwant 200 with neither a length nor chunking", head)
	}
	write(t, ch, "second\n")
	readUntil(t, r, &got, "first\nsecond\n")
	ch.Close()
	rest, err := io.ReadAll(r)
	if err != nil || len(rest) != 0 {
		t.Errorf("after the channel closed: read %q, %v; want the connection closed", rest, err)
	}
}

func TestMainlogtail(t *testing.T) {
	t.Parallel()
	ml, err := mainlog.Open(mainlog.Options{Path: filepath.Join(t.TempDir(), "supervisord.log")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ml.Close() })
	logger := mainLogger(ml)
	logger.Info("before")
	s := tailServer(t, Options{MainLog: ml})
	resp := tail(t, s, "/mainlogtail")
	br := bufio.NewReader(resp.Body)
	for _, want := range []string{"before", "after"} {
		if want == "after" {
			logger.Info("after")
		}
		line, err := br.ReadString('\n')
		if err != nil || !strings.HasSuffix(line, " INFO "+want+"\n") {
			t.Errorf("main log tail line = %q, %v; want one ending \"INFO %s\"", line, err, want)
		}
	}
}

func TestLogtailNotFound(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	noFile := newChannel(t, logcap.Options{})
	gone := newChannel(t, logcap.Options{Path: filepath.Join(dir, "gone.log")})
	os.Remove(gone.Path())
	ok := newChannel(t, logcap.Options{Path: filepath.Join(dir, "ok.log")})
	src := logs{"nofile/stdout": noFile, "gone/stdout": gone, "ok/stdout": ok, "ok/stderr": ok}
	s := tailServer(t, Options{Logs: src})
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/logtail/nosuch", 404},
		{"GET", "/logtail/ok/bogus", 404},
		{"GET", "/logtail/ok/stdout/more", 404},
		{"GET", "/logtail/nofile", 404},
		{"GET", "/logtail/gone", 404},
		{"GET", "/logtail/", 404},
		{"GET", "/logtail", 404},
		{"GET", "/logtailx/ok", 404},
		{"GET", "/mainlogtail", 404}, // no main log
		{"POST", "/logtail/ok", 400},
		{"HEAD", "/logtail/ok", 400},
		{"POST", "/mainlogtail", 400},
	} {
		resp := status(t, s.Addrs()[0], tt.method, tt.path, "")
		if resp.StatusCode != tt.want {
			t.Errorf("%s %s = %d; want %d", tt.method, tt.path, resp.StatusCode, tt.want)
		}
	}
	none := tailServer(t, Options{}) // no LogSource at all
	if resp := status(t, none.Addrs()[0], "GET", "/logtail/ok", ""); resp.StatusCode != 404 {
		t.Errorf("GET /logtail/ok without a LogSource = %d; want 404", resp.StatusCode)
	}
}

// TestLogtailEndsAtShutdown checks that Shutdown ends open tails instead
// of waiting for them.
func TestLogtailEndsAtShutdown(t *testing.T) {
	t.Parallel()
	ch := newChannel(t, logcap.Options{Path: filepath.Join(t.TempDir(), "p.log")})
	s := New(Options{Unix: []config.UnixHTTPServer{unixServer(t, "", "")}, Logs: logs{"p/stdout": ch}})
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	resp := tail(t, s, "/logtail/p")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /logtail/p = %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run() = %v; want nil", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Run did not return within 3s of its context's end with a tail open")
	}
	if _, err := io.ReadAll(resp.Body); err != nil {
		t.Errorf("tail body after shutdown: %v; want a clean end", err)
	}
}

func TestLogtailTarget(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]string{
		"/logtail/p": "p stdout", "/logtail/g:p/stderr": "g:p stderr", "//logtail/p/stdout": "p stdout",
		"/logtail/p/": "", "/logtail/p/x": "", "/logtail": "", "/logtail/": "",
	} {
		name, stream, ok := logtailTarget(path)
		got := ""
		if ok {
			got = name + " " + stream
		}
		if got != want {
			t.Errorf("logtailTarget(%q) = %q; want %q", path, got, want)
		}
	}
}
