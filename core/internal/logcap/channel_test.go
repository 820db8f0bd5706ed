package logcap

import (
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestChannelFileAndRing(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	c := newChannel(t, Options{Path: path, File: FileOptions{MaxBytes: 6, Backups: 1}, RingSize: 8})
	write(t, c, "before")
	write(t, c, "before")
	if got := files(t, path); !equalMaps(got, map[string]string{"log": "", "log.1": "before"}) {
		// The second write rotated log.1 away: only one backup is kept.
		t.Errorf("files = %q", got)
	}
	if c.Path() != path {
		t.Errorf("Path() = %q; want %q", c.Path(), path)
	}
	// Tail reads the file, as the reference does.
	if data, off, overflow, err := c.Tail(0, 100); len(data) != 0 || off != 0 || overflow || err != nil {
		t.Errorf("Tail = %q, %d, %v, %v; want the empty current file", data, off, overflow, err)
	}
	removeFile(t, path)
	if data, off, overflow, err := c.Tail(0, 100); data != nil || off != 0 || overflow || err != nil {
		t.Errorf("Tail of a missing file = %q, %d, %v, %v; want nil, 0, false, nil", data, off, overflow, err)
	}
	if _, err := c.Read(0, 0); !errors.Is(err, ErrNoFile) {
		t.Errorf("Read of a missing file: err = %v; want ErrNoFile", err)
	}
}

// TestChannelRingTail checks the tail goldens on a channel without a
// file, whose tail comes from the ring.
func TestChannelRingTail(t *testing.T) {
	t.Parallel()
	for _, opts := range []Options{{}, {Path: os.DevNull, File: FileOptions{MaxBytes: 1}}} {
		c := newChannel(t, opts)
		write(t, c, "before")
		write(t, c, "before")
		for _, tt := range []struct {
			offset, length int
			want           string
			overflow       bool
		}{{0, 5, "efore", true}, {0, 100, twelve, false}, {12, 100, "", false}, {100, 100, "", false}} {
			data, off, overflow, err := c.Tail(tt.offset, tt.length)
			if string(data) != tt.want || off != 12 || overflow != tt.overflow || err != nil {
				t.Errorf("%q: Tail(%d, %d) = %q, %d, %v, %v; want %q, 12, %v", opts.Path,
					tt.offset, tt.length, data, off, overflow, err, tt.want, tt.overflow)
			}
		}
		if _, err := c.Read(-5, 0); opts.Path == "" && !errors.Is(err, ErrNoFile) {
			t.Errorf("Read without a file: err = %v; want ErrNoFile", err)
		}
	}
}

func TestChannelRingKeepsOnlyRecent(t *testing.T) {
	t.Parallel()
	c := newChannel(t, Options{RingSize: 4})
	write(t, c, "abcdefgh")
	data, off, overflow, _ := c.Tail(0, 100)
	if string(data) != "efgh" || off != 8 || overflow {
		t.Errorf("Tail = %q, %d, %v; want efgh, 8, false", data, off, overflow)
	}
	if err := c.Clear(); err != nil {
		t.Fatal(err)
	}
	if data, off, _, _ := c.Tail(0, 100); len(data) != 0 || off != 8 {
		t.Errorf("Tail after Clear = %q, %d; want empty, 8", data, off)
	}
}

// TestChannelDiskFull simulates ENOSPC: the child's writes keep
// succeeding, the failure is logged once, the loss is counted, and the
// recovery is logged once.
func TestChannelDiskFull(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	fsys := &faultFS{}
	path := filepath.Join(t.TempDir(), "log")
	c, err := NewChannel(slog.New(rec), Options{Name: "web", Path: path, File: FileOptions{FS: fsys}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	write(t, c, "ok1 ")
	fsys.set(func(f *faultFS) { f.writeErr, f.partial = syscall.ENOSPC, 2 })
	for range 100 {
		write(t, c, "full")
	}
	fsys.set(func(f *faultFS) { f.writeErr = nil })
	write(t, c, "ok2")
	if got, want := c.Dropped(), int64(200); got != want {
		t.Errorf("Dropped() = %d; want %d", got, want)
	}
	want := []string{"ERROR child log write failed process=web", "INFO child log writable again process=web dropped_bytes=200"}
	if got := rec.messages(); !slices.Equal(got, want) {
		t.Errorf("logged %q; want %q", got, want)
	}
	if got := readFile(t, path); got != "ok1 "+strings.Repeat("fu", 100)+"ok2" {
		t.Errorf("file = %q", got)
	}
}

func TestChannelClose(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	c := newChannel(t, Options{Path: path, CaptureMaxBytes: 10})
	write(t, c, "a<!--")
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	write(t, c, "dropped")
	if got := readFile(t, path); got != "a<!--" {
		t.Errorf("file = %q; Close must flush and later writes be dropped", got)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// syslogServer listens on a unixgram socket and returns what it gets.
func syslogServer(t *testing.T) (addr string, recv func() string) {
	t.Helper()
	addr = filepath.Join(t.TempDir(), "log.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return addr, func() string {
		t.Helper()
		buf := make([]byte, 4096)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		// <14>Jan  2 15:04:05 supervisord[pid]: message\n
		msg := string(buf[:n])
		return strings.TrimSuffix(msg[strings.Index(msg, "]: ")+3:], "\n") + " " + msg[:4]
	}
}

func TestChannelSyslog(t *testing.T) {
	t.Parallel()
	addr, recv := syslogServer(t)
	sl := NewSyslog("unixgram", addr, "")
	defer sl.Close()
	c := newChannel(t, Options{Name: "web", Syslog: sl})
	write(t, c, "one\n\ntwo\n\n")
	write(t, c, "partial")
	for _, want := range []string{"web one", "web ", "web two", "web partial"} {
		if got := recv(); got != want+" <14>" {
			t.Errorf("syslog got %q; want %q at LOG_USER|LOG_INFO (<14>)", got, want)
		}
	}
}

// TestChannelSyslogMissing checks that a missing syslog daemon is logged
// once and does not stop the channel.
func TestChannelSyslogMissing(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	sl := NewSyslog("unixgram", filepath.Join(t.TempDir(), "nobody"), "")
	path := filepath.Join(t.TempDir(), "log")
	c, err := NewChannel(slog.New(rec), Options{Name: "web", Path: path, Syslog: sl})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	write(t, c, "a\n")
	write(t, c, "b\n")
	if got := rec.messages(); !slices.Equal(got, []string{"ERROR child log write failed process=web"}) {
		t.Errorf("logged %q; want one error", got)
	}
	if got := readFile(t, path); got != "a\nb\n" {
		t.Errorf("file = %q", got)
	}
}

func TestChannelOpenError(t *testing.T) {
	t.Parallel()
	_, err := NewChannel(nil, Options{Path: filepath.Join(t.TempDir(), "missing", "log")})
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("NewChannel in a missing directory: err = %v; want ErrNotExist", err)
	}
}

func TestChannelReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	c := newChannel(t, Options{Path: path})
	write(t, c, "a")
	if err := os.Rename(path, path+".0"); err != nil {
		t.Fatal(err)
	}
	if err := c.Reopen(); err != nil {
		t.Fatal(err)
	}
	write(t, c, "b")
	if readFile(t, path+".0") != "a" || readFile(t, path) != "b" {
		t.Errorf("files = %q", files(t, path))
	}
	if err := newChannel(t, Options{}).Reopen(); err != nil {
		t.Errorf("Reopen without a file: %v", err)
	}
}
