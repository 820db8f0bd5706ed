package httpd

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/internal/pyrepr"
)

const inUseMessage = "Another program is already listening on a port that one of our HTTP servers is " +
	"configured to use.  Shut this program down first before starting supervisord."

// TestUnixSocketMode checks the socket's mode right after Listen, before
// the first Accept: it was set before the socket could take connections.
func TestUnixSocketMode(t *testing.T) {
	t.Parallel()
	for _, mode := range []os.FileMode{0o700, 0o770, 0o666, 0o600} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			c := unixServer(t, "", "")
			c.Chmod = mode
			s := New(Options{Unix: []config.UnixHTTPServer{c}})
			if err := s.Listen(); err != nil {
				t.Fatalf("Listen() = %v", err)
			}
			defer s.Shutdown(t.Context())
			fi, err := os.Lstat(c.File)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != mode {
				t.Errorf("mode of %s = %v; want a socket with %v", c.File, fi.Mode(), mode)
			}
			if _, err := os.Lstat(fmt.Sprintf("%s.%d", c.File, os.Getpid())); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("temporary socket left behind: %v", err)
			}
		})
	}
}

func TestUnixStaleSocket(t *testing.T) {
	t.Parallel()
	c := unixServer(t, "", "")
	ln, err := net.Listen("unix", c.File)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close() // the socket file stays, with nobody behind it
	var stderr syncBuffer
	s := start(t, New(Options{Unix: []config.UnixHTTPServer{c}, Stderr: &stderr}))
	if want := "Unlinking stale socket " + c.File + "\n"; stderr.String() != want {
		t.Errorf("stderr = %q; want %q", stderr.String(), want)
	}
	if resp, body := do(t, s.Addrs()[0], "GET", "/ok.html", "", ""); resp.StatusCode != 200 || body != "OK" {
		t.Errorf("GET /ok.html = %d %q; want 200 OK", resp.StatusCode, body)
	}
}

// TestUnixLiveSocket starts a second server on the socket of a running
// one: it must refuse with the reference's message and leave the first
// one's socket alone.
func TestUnixLiveSocket(t *testing.T) {
	t.Parallel()
	c := unixServer(t, "", "")
	first := start(t, New(Options{Unix: []config.UnixHTTPServer{c}}))
	var stderr syncBuffer
	second := New(Options{Unix: []config.UnixHTTPServer{c}, Stderr: &stderr})
	err := second.Listen()
	if !errors.Is(err, ErrInUse) || err.Error() != inUseMessage {
		t.Fatalf("Listen() = %v; want %q", err, inUseMessage)
	}
	if stderr.String() != "" {
		t.Errorf("stderr = %q; want nothing", stderr.String())
	}
	second.Shutdown(t.Context())
	if resp, _ := do(t, first.Addrs()[0], "GET", "/ok.html", "", ""); resp.StatusCode != 200 {
		t.Errorf("first server after the second's failure: GET /ok.html = %d; want 200", resp.StatusCode)
	}
}

func TestUnixSocketRemovedAtShutdown(t *testing.T) {
	t.Parallel()
	c := unixServer(t, "", "")
	s := New(Options{Unix: []config.UnixHTTPServer{c}})
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	if err := s.Shutdown(t.Context()); err != nil {
		t.Fatalf("Shutdown() = %v", err)
	}
	if _, err := os.Lstat(c.File); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket file after Shutdown: %v; want it removed", err)
	}
}

// TestUnixSocketReplaced has another program take the socket's name
// while we run: our shutdown must not remove its socket.
func TestUnixSocketReplaced(t *testing.T) {
	t.Parallel()
	c := unixServer(t, "", "")
	s := New(Options{Unix: []config.UnixHTTPServer{c}})
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	os.Remove(c.File)
	other, err := net.Listen("unix", c.File)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	s.Shutdown(t.Context())
	if _, err := os.Lstat(c.File); err != nil {
		t.Errorf("the other program's socket after our Shutdown: %v; want it kept", err)
	}
}

func TestUnixChown(t *testing.T) {
	t.Parallel()
	c := unixServer(t, "", "")
	c.UID, c.GID = 1000, 1001
	s := New(Options{Unix: []config.UnixHTTPServer{c}})
	var got []string
	s.chown = func(name string, uid, gid int) error {
		got = append(got, fmt.Sprintf("%s %d %d", name, uid, gid))
		return &os.PathError{Op: "chown", Path: name, Err: syscall.EPERM}
	}
	err := s.Listen()
	want := fmt.Sprintf("Not permitted to chown %s to uid/gid (1000, 1001); adjust \"sockchown\" value in "+
		"config file or on command line to values that the current user (%s) can successfully chown",
		c.File, effectiveUser())
	if err == nil || err.Error() != want {
		t.Errorf("Listen() = %v; want %q", err, want)
	}
	if len(got) != 1 || got[0] != c.File+" 1000 1001" {
		t.Errorf("chown calls = %q; want one of %s to 1000:1001", got, c.File)
	}
	if _, err := os.Lstat(c.File); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket file after a failed chown: %v; want it removed", err)
	}
}

func TestListenErrors(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"port in use", Options{Inet: []config.InetHTTPServer{{Host: "127.0.0.1", Port: port}}}, inUseMessage},
		{"no such directory", Options{Unix: []config.UnixHTTPServer{{File: filepath.Join(t.TempDir(), "no", "s.sock"),
			Chmod: 0o700, UID: -1, GID: -1}}}, "Cannot open an HTTP server: socket.error reported errno.ENOENT (2)"},
		{"address not here", Options{Inet: []config.InetHTTPServer{{Host: "192.0.2.1", Port: 9}}},
			"Cannot open an HTTP server: socket.error reported errno.EADDRNOTAVAIL (99)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(tt.opts)
			err := s.Listen()
			var le *ListenError
			if !errors.As(err, &le) || err.Error() != tt.want {
				t.Errorf("Listen() = %v; want a *ListenError %q", err, tt.want)
			}
		})
	}
}

// TestListenFailureClosesAll checks that a failing server closes those
// opened before it.
func TestListenFailureClosesAll(t *testing.T) {
	t.Parallel()
	good := unixServer(t, "", "")
	bad := unixServer(t, "", "")
	bad.File = filepath.Join(filepath.Dir(bad.File), "no", "s.sock")
	s := New(Options{Inet: []config.InetHTTPServer{inetServer("", "")}, Unix: []config.UnixHTTPServer{good, bad}})
	if err := s.Listen(); err == nil {
		t.Fatal("Listen() = nil; want an error")
	}
	if _, err := os.Lstat(good.File); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket of the good server after the failure: %v; want it removed", err)
	}
	if n := len(s.Addrs()); n != 0 {
		t.Errorf("Addrs() after a failed Listen has %d addresses; want none", n)
	}
}

// TestAnnounce checks the reference's main-log lines and their order:
// inet servers first, one "RPC interface" line per server and interface,
// then the CRIT line of a server without authentication. Listen itself
// logs nothing.
func TestAnnounce(t *testing.T) {
	t.Parallel()
	var log syncBuffer
	x := unixServer(t, "", "")
	x.Name = "x"
	s := New(Options{
		Inet:          []config.InetHTTPServer{inetServer("u", "p")},
		Unix:          []config.UnixHTTPServer{unixServer(t, "", ""), x},
		RPCInterfaces: []string{"supervisor"},
		Logger:        mainLogger(&log),
	})
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(t.Context())
	if log.String() != "" {
		t.Errorf("Listen logged %q; want nothing", log.String())
	}
	s.Announce()
	got := regexp.MustCompile(`(?m)^\S+ \S+ `).ReplaceAllString(log.String(), "")
	want := strings.Join([]string{
		"INFO RPC interface 'supervisor' initialized",
		"INFO RPC interface 'supervisor' initialized",
		"CRIT Server 'unix_http_server' running without any HTTP authentication checking",
		"INFO RPC interface 'supervisor' initialized",
		"CRIT Server 'unix_http_server:x' running without any HTTP authentication checking",
		"",
	}, "\n")
	if got != want {
		t.Errorf("main log:\n%s\nwant:\n%s", got, want)
	}
}

func TestPyRepr(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"unix_http_server": "'unix_http_server'", "it's": `"it's"`, `a'b"c`: `'a\'b"c'`,
	} {
		if got := pyrepr.Str(in); got != want {
			t.Errorf("pyrepr.Str(%q) = %s; want %s", in, got, want)
		}
	}
}

// TestUnixChownOK checks that chown is called only when configured, with
// the configured ids, and that the server then works.
func TestUnixChownOK(t *testing.T) {
	t.Parallel()
	for _, ids := range [][2]int{{-1, -1}, {1000, -1}, {1000, 1001}} {
		c := unixServer(t, "", "")
		c.UID, c.GID = ids[0], ids[1]
		s := New(Options{Unix: []config.UnixHTTPServer{c}})
		var got [][2]int
		s.chown = func(_ string, uid, gid int) error {
			got = append(got, [2]int{uid, gid})
			return nil
		}
		start(t, s)
		if want := ids != [2]int{-1, -1}; (len(got) == 1 && got[0] == ids) != want || len(got) > 1 {
			t.Errorf("chown=%v: calls %v; want one call only if set", ids, got)
		}
		if resp, _ := do(t, s.Addrs()[0], "GET", "/ok.html", "", ""); resp.StatusCode != 200 {
			t.Errorf("chown=%v: GET /ok.html = %d; want 200", ids, resp.StatusCode)
		}
	}
}
