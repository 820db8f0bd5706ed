package httpd

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/logcap"
)

// waitClosed waits until the server closes conn, reading whatever it
// sends first, and fails after limit.
func waitClosed(t *testing.T, conn net.Conn, limit time.Duration) string {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(limit))
	data, err := io.ReadAll(conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("connection still open after %v", limit)
	}
	return string(data)
}

// TestSlowClients opens slow-loris connections (headers never finished)
// and a slow body, checks that a normal request is answered meanwhile
// and that the server drops the slow ones within its timeouts.
func TestSlowClients(t *testing.T) {
	t.Parallel()
	rpc := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) })
	s := start(t, New(Options{
		Inet: []config.InetHTTPServer{inetServer("", "")}, RPC: rpc,
		Limits: Limits{ReadHeaderTimeout: 300 * time.Millisecond, ReadTimeout: 600 * time.Millisecond},
	}))
	addr := s.Addrs()[0]
	var lorises []net.Conn
	for range 50 {
		c := dial(t, addr)
		write(t, c, "GET /ok.html HTTP/1.1\r\nHost: x\r\nX-Slow: ")
		lorises = append(lorises, c)
	}
	body := dial(t, addr)
	write(t, body, "POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\npartial")
	begin := time.Now()
	if resp, body := do(t, addr, "GET", "/ok.html", "", ""); resp.StatusCode != 200 || body != "OK" {
		t.Errorf("GET /ok.html beside slow clients = %d %q; want 200 OK", resp.StatusCode, body)
	}
	if d := time.Since(begin); d > time.Second {
		t.Errorf("GET /ok.html beside 50 slow clients took %v; want it answered at once", d)
	}
	for _, c := range lorises {
		waitClosed(t, c, 3*time.Second)
	}
	waitClosed(t, body, 3*time.Second)
}

func TestHeaderLimit(t *testing.T) {
	t.Parallel()
	s := start(t, New(Options{Unix: []config.UnixHTTPServer{unixServer(t, "", "")},
		Limits: Limits{MaxHeaderBytes: 4096}}))
	conn := dial(t, s.Addrs()[0])
	write(t, conn, "GET /ok.html HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("x", 20000)+"\r\n\r\n")
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 431 ") {
		t.Errorf("20 kB of headers with a 4 kB limit: %q, %v; want 431", line, err)
	}
}

// TestStuckTailReader has a client open a tail and never read it while
// the log grows: the write deadline frees the handler, so a shutdown
// does not have to wait for it.
func TestStuckTailReader(t *testing.T) {
	t.Parallel()
	ch := newChannel(t, logcap.Options{Path: filepath.Join(t.TempDir(), "p.log")})
	s := New(Options{Unix: []config.UnixHTTPServer{unixServer(t, "", "")}, Logs: logs{"p/stdout": ch},
		Limits: Limits{WriteTimeout: 200 * time.Millisecond, ShutdownTimeout: 10 * time.Second}})
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	conn := dial(t, s.Addrs()[0])
	write(t, conn, "GET /logtail/p HTTP/1.1\r\nHost: x\r\n\r\n")
	chunk := strings.Repeat("y", 32<<10)
	for range 256 { // 8 MiB, far more than the socket buffers hold
		write(t, ch, chunk)
	}
	begin := time.Now()
	cancel()
	if err := <-done; err != nil || time.Since(begin) > 2*time.Second {
		t.Errorf("Run() = %v after %v with a stuck tail reader; want nil within 2s", err, time.Since(begin))
	}
}
