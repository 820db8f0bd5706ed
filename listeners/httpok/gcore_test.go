package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/testproc"
)

func TestMain(m *testing.M) {
	testproc.Main(m, map[string]testproc.Func{"gcore": helperGcore})
}

// helperGcore is a fake gcore: "gcore ok FILE PID" prints what gdb's
// gcore prints; "gcore hang FILE PID" writes its pid to FILE, starts a
// grandchild that holds stdout open (as gdb would) and sleeps.
func helperGcore(args []string, stdout, stderr io.Writer) int {
	if len(args) != 3 {
		fmt.Fprintf(stderr, "usage: gcore ok|hang FILE PID; got %q\n", args)
		return 2
	}
	switch args[0] {
	case "ok":
		fmt.Fprintln(stderr, "warning: target file is a fake")
		fmt.Fprintf(stdout, "Saved corefile %s.%s\n", args[1], args[2])
		return 0
	case "hang":
		if err := os.WriteFile(args[1], []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		argv := testproc.Argv("sleep", "1m")
		gdb := exec.Command(argv[0], argv[1:]...)
		gdb.Stdout = os.Stdout
		if err := gdb.Start(); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		time.Sleep(time.Minute)
	}
	return 3
}

func TestExecDumper(t *testing.T) {
	var stderr bytes.Buffer
	path := filepath.Join(t.TempDir(), "web:web_01")
	d := execDumper{argv: testproc.Argv("gcore", "ok"), timeout: time.Minute, stderr: &stderr}
	out, err := d.Dump(t.Context(), path, 4242)
	if err != nil {
		t.Fatalf("Dump: %v", err)
	}
	// The path and the pid are single arguments: no shell splits them.
	if want := "Saved corefile " + path + ".4242\n"; out != want {
		t.Errorf("Dump output %q; want %q", out, want)
	}
	if stderr.String() != "warning: target file is a fake\n" {
		t.Errorf("gcore's stderr went to %q; want the listener's stderr", stderr.String())
	}
}

// TestExecDumperTimeout: a gcore that hangs is killed with its whole
// process group, gdb included, and the listener carries on.
func TestExecDumperTimeout(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "core")
	d := execDumper{argv: testproc.Argv("gcore", "hang"), timeout: 500 * time.Millisecond, stderr: io.Discard}
	start := time.Now()
	_, err := d.Dump(t.Context(), path, 1)
	if err == nil {
		t.Fatal("Dump of a hanging gcore succeeded")
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("Dump returned after %s", el)
	}
	b, rerr := os.ReadFile(path)
	pid, perr := strconv.Atoi(strings.TrimSpace(string(b)))
	if rerr != nil || perr != nil {
		t.Fatalf("gcore pid: %v %v", rerr, perr)
	}
	testproc.AssertGroupGone(t, pid, 5*time.Second)
}

func TestExecDumperMissing(t *testing.T) {
	d := execDumper{argv: []string{"/nonexistent/gcore", "-o"}, timeout: time.Minute, stderr: io.Discard}
	if _, err := d.Dump(t.Context(), "/tmp/x", 1); err == nil {
		t.Fatal("Dump with a missing gcore succeeded")
	}
}

// TestGcoreFailureIsReported: a gcore that fails adds a line and the
// restart goes on.
func TestGcoreFailureIsReported(t *testing.T) {
	o := defaultOptions()
	o.Programs, o.Coredir = []string{"foo"}, "/cores"
	tb := newTestbed(t, o, failingHTTP())
	tb.c.dump = execDumper{argv: []string{"/nonexistent/gcore"}, timeout: time.Minute, stderr: tb.stderr}
	tb.runOnce(t, "TICK_5")
	want := "Restarting selected processes ['foo']\n" +
		"gcore output for foo:\n\n \n" +
		"gcore for foo failed: fork/exec /nonexistent/gcore: no such file or directory\n" +
		"foo is in RUNNING state, restarting\n" +
		"foo restarted\n"
	if got, _, _ := strings.Cut(tb.stderr.String(), "Mailed:"); got != want {
		t.Errorf("stderr = %q; want %q", got, want)
	}
}
