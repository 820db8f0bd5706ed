package mainlog

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/core/internal/logcap"
)

func openLog(t *testing.T, opts Options) *Log {
	t.Helper()
	l, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestLogFileAndStdout(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "supervisord.log")
	var stdout bytes.Buffer
	l := openLog(t, Options{Path: path, File: logcap.FileOptions{MaxBytes: 190, Backups: 2}, Stdout: &stdout})
	h := NewHandler(l, nil)
	for i := range 5 {
		h.Handle(t.Context(), record(LevelInfo, "line "+strings.Repeat("x", 30)+string(rune('0'+i))))
	}
	all := read(t, path+".1") + read(t, path)
	if stdout.String() != all || strings.Count(all, "\n") != 5 {
		t.Errorf("file (with backup) holds %q; stdout %q", all, stdout.String())
	}
	if _, err := os.Stat(path + ".2"); err == nil {
		t.Error("rotated twice; want once")
	}
}

func TestLogReadTailClear(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "supervisord.log")
	l := openLog(t, Options{Path: path})
	l.Write([]byte("beforebefore"))
	if data, err := l.Read(-5, 0); string(data) != "efore" || err != nil {
		t.Errorf("Read(-5, 0) = %q, %v", data, err)
	}
	if data, off, overflow, err := l.Tail(0, 5); string(data) != "efore" || off != 12 || !overflow || err != nil {
		t.Errorf("Tail(0, 5) = %q, %d, %v, %v", data, off, overflow, err)
	}
	if err := l.Clear(); err != nil {
		t.Fatal(err)
	}
	l.Write([]byte("after"))
	if got := read(t, path); got != "after" {
		t.Errorf("after Clear the file holds %q", got)
	}
	os.Remove(path)
	if err := l.Clear(); !errors.Is(err, logcap.ErrNoFile) {
		t.Errorf("Clear of a missing file: err = %v; want ErrNoFile", err)
	}
	if l.Path() != path {
		t.Errorf("Path() = %q", l.Path())
	}
}

func TestLogWithoutFile(t *testing.T) {
	t.Parallel()
	l := openLog(t, Options{})
	l.Write([]byte("x\n"))
	if _, err := l.Read(0, 0); !errors.Is(err, logcap.ErrNoFile) {
		t.Errorf("Read: err = %v; want ErrNoFile", err)
	}
	if err := l.Clear(); !errors.Is(err, logcap.ErrNoFile) {
		t.Errorf("Clear: err = %v; want ErrNoFile", err)
	}
	if data, _, _ := l.Follow(10).Next(t.Context()); string(data) != "x\n" {
		t.Errorf("Follow got %q", data)
	}
}

func TestLogReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "supervisord.log")
	l := openLog(t, Options{Path: path})
	l.Write([]byte("a\n"))
	os.Rename(path, path+".rotated")
	if err := l.Reopen(); err != nil {
		t.Fatal(err)
	}
	l.Write([]byte("b\n"))
	if read(t, path) != "b\n" || read(t, path+".rotated") != "a\n" {
		t.Error("Reopen did not start a new file")
	}
}

type failWriter struct{ err error }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	return len(p), nil
}

func TestLogStdoutFailureNotedOnce(t *testing.T) {
	t.Parallel()
	var errs bytes.Buffer
	out := &failWriter{err: syscall.EIO}
	l := openLog(t, Options{Stdout: out, Errors: &errs})
	for range 3 {
		l.Write([]byte("x\n"))
	}
	out.err = nil
	l.Write([]byte("x\n"))
	out.err = syscall.EPIPE
	l.Write([]byte("x\n"))
	want := "supervisord: main log: writing to stdout failed: input/output error\n" +
		"supervisord: main log: writing to stdout works again\n"
	if errs.String() != want {
		t.Errorf("errors noted %q; want %q", errs.String(), want)
	}
}

func TestLogSyslog(t *testing.T) {
	t.Parallel()
	addr := filepath.Join(t.TempDir(), "log.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sl := logcap.NewSyslog("unixgram", addr, "")
	defer sl.Close()
	l := openLog(t, Options{Syslog: sl})
	logger := slog.New(NewHandler(l, nil))
	logger.Handler().Handle(t.Context(), record(LevelDebug, "'x' stdout output:\none\ntwo\n"))
	buf := make([]byte, 1024)
	for _, want := range []string{
		"2026-11-22 04:18:32,298 DEBG 'x' stdout output:",
		"2026-11-22 04:18:32,298 DEBG one",
		"2026-11-22 04:18:32,298 DEBG two",
	} {
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		msg := strings.TrimSuffix(string(buf[:n]), "\n")
		if got := msg[strings.Index(msg, "]: ")+3:]; got != want {
			t.Errorf("syslog got %q; want %q", got, want)
		}
	}
}

func TestHeadLen(t *testing.T) {
	t.Parallel()
	for rec, want := range map[string]int{
		"2026-11-22 04:18:32,298 INFO msg\n": 29,
		"INFO msg\n":                         5,
		"x":                                  0,
	} {
		if got := headLen([]byte(rec)); got != want {
			t.Errorf("headLen(%q) = %d; want %d", rec, got, want)
		}
	}
}

func TestOpenError(t *testing.T) {
	t.Parallel()
	if _, err := Open(Options{Path: filepath.Join(t.TempDir(), "no", "log")}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open in a missing directory: err = %v", err)
	}
}
