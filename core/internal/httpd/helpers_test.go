package httpd

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/core/internal/mainlog"
)

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// mainLogger returns a logger writing the main-log format into buf.
func mainLogger(buf io.Writer) *slog.Logger {
	return slog.New(mainlog.NewHandler(buf, &mainlog.HandlerOptions{Level: mainlog.LevelTrace}))
}

// unixServer is a [unix_http_server] section for a socket in a temp dir.
func unixServer(t *testing.T, user, pass string) config.UnixHTTPServer {
	t.Helper()
	return config.UnixHTTPServer{File: filepath.Join(t.TempDir(), "s.sock"), Chmod: 0o700, UID: -1, GID: -1,
		Username: user, Password: pass}
}

// inetServer is an [inet_http_server] section on a free loopback port.
func inetServer(user, pass string) config.InetHTTPServer {
	return config.InetHTTPServer{Host: "127.0.0.1", Port: 0, Username: user, Password: pass}
}

// start listens and runs s until the test ends.
func start(t *testing.T, s *Server) *Server {
	t.Helper()
	if err := s.Listen(); err != nil {
		t.Fatalf("Listen() = %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(t.Context()) }() // t.Context ends before the cleanups run
	t.Cleanup(func() {
		if err := <-done; err != nil {
			t.Errorf("Run() = %v", err)
		}
	})
	return s
}

// client returns an HTTP client that dials addr, a unix or tcp address,
// whatever the URL says.
func client(addr net.Addr) *http.Client {
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, addr.Network(), addr.String())
	}}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// get does one request and returns the response with its whole body.
func do(t *testing.T, addr net.Addr, method, path, user, pass string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, "http://lancer"+path, strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	if user != "" || pass != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := client(addr).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp, string(body)
}

// dial opens a raw connection to addr.
func dial(t *testing.T, addr net.Addr) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout(addr.Network(), addr.String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	return conn
}

// readUntil reads from r until what it has read contains want.
func readUntil(t *testing.T, r *bufio.Reader, got *bytes.Buffer, want string) {
	t.Helper()
	buf := make([]byte, 4096)
	for !strings.Contains(got.String(), want) {
		n, err := r.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			t.Fatalf("read: %v; got %q, want it to contain %q", err, got.String(), want)
		}
	}
}

// logs is a LogSource of channels by "name/stream".
type logs map[string]*logcap.Channel

var errNoProcess = errors.New("bad name")

func (l logs) Log(name, stream string) (*logcap.Channel, error) {
	if ch, ok := l[name+"/"+stream]; ok {
		return ch, nil
	}
	return nil, errNoProcess
}

// newChannel returns a channel logging to a file in a temp dir.
func newChannel(t *testing.T, opts logcap.Options) *logcap.Channel {
	t.Helper()
	ch, err := logcap.NewChannel(nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ch.Close() })
	return ch
}

func write(t *testing.T, w io.Writer, s string) {
	t.Helper()
	if _, err := io.WriteString(w, s); err != nil {
		t.Fatal(err)
	}
}
