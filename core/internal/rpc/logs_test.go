package rpc

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

func TestProcessLogMethods(t *testing.T) {
	utf8Log := func(t *testing.T, f *fakeSupervisor, _ *Options) {
		f.procs[0].logs(t, "añb€c\n", "")
	}
	emptied := func(t *testing.T, f *fakeSupervisor) {
		for _, p := range []string{f.procs[0].st.StdoutLogfile, f.procs[0].st.StderrLogfile} {
			if b, err := os.ReadFile(p); err != nil || len(b) != 0 {
				t.Errorf("%s holds %q, %v; want it empty", p, b, err)
			}
		}
	}
	runCases(t, []rpcCase{
		{name: "read", method: "supervisor.readProcessStdoutLog", params: []any{"web", 0, 0}, want: "hello\n"},
		{name: "read alias", method: "supervisor.readProcessLog", params: []any{"web", -3, 0}, want: "lo\n"},
		{name: "read stderr", method: "supervisor.readProcessStderrLog", params: []any{"web", 1, 2}, want: "op"},
		{name: "read past end", method: "supervisor.readProcessStdoutLog", params: []any{"web", 100, 5}, want: ""},
		{name: "int from string", method: "supervisor.readProcessStdoutLog", params: []any{"web", " 1 ", "2"}, want: "el"},
		{name: "int from double", method: "supervisor.readProcessStdoutLog", params: []any{"web", 1.9, 2}, want: "el"},
		{name: "int from boolean", method: "supervisor.readProcessStdoutLog", params: []any{"web", true, 2}, want: "el"},
		{name: "not an int", method: "supervisor.readProcessStdoutLog", params: []any{"web", "a", 2}, fault: "INCORRECT_PARAMETERS"},
		{name: "bad arguments", method: "supervisor.readProcessStdoutLog", params: []any{"web", -1, 1}, fault: "BAD_ARGUMENTS"},
		{name: "negative length", method: "supervisor.readProcessStdoutLog", params: []any{"web", 0, -1}, fault: "BAD_ARGUMENTS"},
		{name: "bad name", method: "supervisor.readProcessStdoutLog", params: []any{"nosuch", 0, 0}, fault: "BAD_NAME: nosuch"},
		{name: "no log", method: "supervisor.readProcessStdoutLog", params: []any{"workers:w0", 0, 0}, fault: "NO_FILE"},
		// The reference fails these with HTTP 500: é is bytes 2-3, € 5-7.
		{name: "cut at start", method: "supervisor.readProcessStdoutLog", params: []any{"web", 2, 3}, want: "b", setup: utf8Log},
		{name: "cut at end", method: "supervisor.readProcessStdoutLog", params: []any{"web", 0, 6}, want: "añb", setup: utf8Log},
		{name: "cut at both", method: "supervisor.readProcessStdoutLog", params: []any{"web", 2, 4}, want: "b", setup: utf8Log},
		{name: "inside one character", method: "supervisor.readProcessStdoutLog", params: []any{"web", 6, 1}, want: "", setup: utf8Log},

		{name: "tail", method: "supervisor.tailProcessStdoutLog", params: []any{"web", 0, 3}, want: []any{"lo\n", int64(6), true}},
		{name: "tail all", method: "supervisor.tailProcessLog", params: []any{"web", 0, 100}, want: []any{"hello\n", int64(6), false}},
		{name: "tail at end", method: "supervisor.tailProcessStderrLog", params: []any{"web", 5, 100}, want: []any{"", int64(5), false}},
		{name: "tail cut", method: "supervisor.tailProcessStdoutLog", params: []any{"web", 0, 6}, want: []any{"b€c\n", int64(9), true}, setup: utf8Log},
		{name: "tail no log", method: "supervisor.tailProcessStdoutLog", params: []any{"workers:w0", 0, 3}, want: []any{"", int64(0), false}},
		{name: "tail bad name", method: "supervisor.tailProcessStdoutLog", params: []any{"workers:*", 0, 3}, fault: "BAD_NAME: workers:*"},
		{name: "tail bad type", method: "supervisor.tailProcessStdoutLog", params: []any{"web", 0, []int{}}, fault: "INCORRECT_PARAMETERS"},

		{name: "clear", method: "supervisor.clearProcessLogs", params: []any{"web"}, want: true, check: emptied},
		{name: "clear alias", method: "supervisor.clearProcessLog", params: []any{"web"}, want: true, check: emptied},
		{name: "clear no logs", method: "supervisor.clearProcessLogs", params: []any{"workers:w0"}, want: true},
		{name: "clear bad name", method: "supervisor.clearProcessLogs", params: []any{"web:*"}, fault: "BAD_NAME: web:*"},
		{name: "clear all", method: "supervisor.clearAllProcessLogs", check: emptied, want: []any{
			ok("web", "web"), ok("workers", "w0"), ok("workers", "w1"), ok("broken", "broken"), ok("flaky", "flaky"),
		}},
	})
}

// TestReadNoFileYet checks that a log file that does not exist (yet) is
// NO_FILE with its name.
func TestReadNoFileYet(t *testing.T) {
	f := stdFake(t)
	if err := os.Remove(f.procs[0].st.StdoutLogfile); err != nil {
		t.Fatal(err)
	}
	h, _ := newHandler(t, f, Options{})
	wantFault(t, h, "NO_FILE: "+f.procs[0].st.StdoutLogfile, "supervisor.readProcessStdoutLog", "web", -1, 1)
	if v := mustCall(t, h, "supervisor.tailProcessStdoutLog", "web", 0, 10); !v.Equal(xmlrpc.Array(xmlrpc.String(""), xmlrpc.Int(0), xmlrpc.Bool(false))) {
		t.Errorf("tailProcessStdoutLog = %v; want ['', 0, False]", v)
	}
}

func TestClearLogFails(t *testing.T) {
	runCases(t, []rpcCase{
		{name: "one", method: "supervisor.clearProcessLogs", params: []any{"web"}, fault: "FAILED: web", setup: closedLog},
		{name: "all", method: "supervisor.clearAllProcessLogs", setup: closedLog, want: []any{
			failed("web", "web", 30, "FAILED: web"), ok("workers", "w0"), ok("workers", "w1"), ok("broken", "broken"), ok("flaky", "flaky"),
		}},
	})
}

// closedLog gives web a stdout log whose directory is gone, so that it
// cannot be reopened.
func closedLog(t *testing.T, f *fakeSupervisor, _ *Options) {
	dir := filepath.Join(t.TempDir(), "gone")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	f.procs[0].stdout = newChannel(t, filepath.Join(dir, "web.log"), "x")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
}

func TestMainLogMethods(t *testing.T) {
	withLog := func(t *testing.T, _ *fakeSupervisor, o *Options) {
		o.MainLog = mainLogFile(t, filepath.Join(t.TempDir(), "supervisord.log"), "2000-01-01 00:00:00,000 INFO café\n")
	}
	runCases(t, []rpcCase{
		{name: "read", method: "supervisor.readLog", params: []any{-6, 0}, want: "café\n", setup: withLog},
		{name: "read alias cut", method: "supervisor.readMainLog", params: []any{-2, 0}, want: "\n", setup: withLog},
		{name: "bad arguments", method: "supervisor.readLog", params: []any{-5, 5}, fault: "BAD_ARGUMENTS", setup: withLog},
		{name: "no log", method: "supervisor.readLog", params: []any{0, 0}, fault: "NO_FILE"},
		{name: "missing file", method: "supervisor.readLog", params: []any{0, 0}, fault: "NO_FILE: /nonexistent/supervisord.log",
			setup: func(t *testing.T, _ *fakeSupervisor, o *Options) {
				o.MainLog = mainLogFile(t, "/nonexistent/supervisord.log", "")
			}},
		{name: "clear", method: "supervisor.clearLog", want: true, setup: withLog},
		{name: "clear no log", method: "supervisor.clearLog", fault: "NO_FILE"},
		{name: "clear missing file", method: "supervisor.clearLog", fault: "NO_FILE",
			setup: func(t *testing.T, _ *fakeSupervisor, o *Options) {
				o.MainLog = mainLogFile(t, "/nonexistent/supervisord.log", "")
			}},
		{name: "clear fails", method: "supervisor.clearLog", fault: "FAILED",
			setup: func(t *testing.T, _ *fakeSupervisor, o *Options) { o.MainLog = failingLog{} }},
	})
}

// mainLogFile is a main log at path holding data; a path in a missing
// directory gives a log whose file does not exist.
func mainLogFile(t *testing.T, path, data string) MainLog {
	t.Helper()
	if _, err := os.Stat(filepath.Dir(path)); err != nil {
		return missingLog(path)
	}
	r, err := logcap.NewRotatingFile(path, logcap.FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if _, err := r.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	return r
}

// missingLog is a main log whose file does not exist.
type missingLog string

func (m missingLog) Read(int, int) ([]byte, error) { return nil, logcap.ErrNoFile }
func (m missingLog) Clear() error                  { return logcap.ErrNoFile }
func (m missingLog) Path() string                  { return string(m) }

// failingLog is a main log that cannot be cleared.
type failingLog struct{}

func (failingLog) Read(int, int) ([]byte, error) { return nil, os.ErrPermission }
func (failingLog) Clear() error                  { return os.ErrPermission }
func (failingLog) Path() string                  { return "/var/log/supervisord.log" }

func TestWholeRunes(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc", "abc"},
		{"é", "é"},
		{"\xa9b", "b"},             // the end of é
		{"a\xc3", "a"},             // the start of é
		{"\x82\xacx\xe2\x82", "x"}, // the ends of two €
		{"\x82\xac", ""},
		{"a\xffb", "a\xffb"},           // invalid in the middle: kept, sent as U+FFFD
		{"\x80\x80\x80\x80a", "\x80a"}, // at most three continuation bytes belong to a cut character
		{"a\xf0\x9f\x98", "a"},         // three bytes of a four-byte character
	}
	for _, tt := range tests {
		if got := wholeRunes([]byte(tt.in)); got != tt.want {
			t.Errorf("wholeRunes(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
