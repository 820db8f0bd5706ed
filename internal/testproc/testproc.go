// Package testproc is the helper-process harness shared by every test that
// needs a real process: the test binary re-executes itself as a small named
// helper ("exit 3", "sleep 2s", "ignore-term 5s", ...), the way the os/exec
// tests do. Real signals, process groups, pipes, reaping and /proc reads are
// exercised with it; everything that fakes can cover stays with fakes.
//
// A package opts in with
//
//	func TestMain(m *testing.M) { testproc.Main(m, nil) }
//
// and then builds commands with [Command] or, for a supervisord config file,
// with [CommandLine].
package testproc

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"testing"
)

// Marker is the first argument that turns the test binary into a helper.
// It is deliberately not a flag so that the testing package never sees it.
const Marker = "__testproc"

// Func is a helper's body. It gets the arguments after the helper name and
// the process's standard streams, and returns the exit code.
type Func func(args []string, stdout, stderr io.Writer) int

// Main runs m, or, when the binary was started as a helper, runs that helper
// and exits with its code. extra adds package-specific helpers (an event
// listener built on protocol.Serve, a fake MTA, ...); a name in extra
// shadows a built-in one. An unknown helper name fails loudly with exit 127.
func Main(m *testing.M, extra map[string]Func) {
	if len(os.Args) > 1 && os.Args[1] == Marker {
		os.Exit(runHelper(os.Args[2:], extra, os.Stdout, os.Stderr))
	}
	// A helper built with -race would otherwise linger a second at exit
	// (the race detector's default), which every supervised helper in
	// every test would pay. Children inherit this; the test binary itself
	// read GORACE when it started.
	if os.Getenv("GORACE") == "" {
		os.Setenv("GORACE", "atexit_sleep_ms=0")
	}
	os.Exit(m.Run())
}

func runHelper(args []string, extra map[string]Func, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "testproc: missing helper name")
		return 127
	}
	name, rest := args[0], args[1:]
	if f, ok := extra[name]; ok {
		return f(rest, stdout, stderr)
	}
	if f, ok := builtins[name]; ok {
		return f(rest, stdout, stderr)
	}
	fmt.Fprintf(stderr, "testproc: unknown helper %q (have %s)\n", name, strings.Join(names(extra), ", "))
	return 127
}

func names(extra map[string]Func) []string {
	var out []string
	for n := range builtins {
		out = append(out, n)
	}
	for n := range extra {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Argv returns the argument vector that starts helper name with args in a
// fresh copy of the running test binary.
func Argv(name string, args ...string) []string {
	exe, err := os.Executable()
	if err != nil {
		panic("BUG: testproc: os.Executable: " + err.Error())
	}
	return append([]string{exe, Marker, name}, args...)
}

// CommandLine returns Argv quoted for a supervisord.conf command= line: both
// the reference and our daemon split it with shell-like quoting rules and
// expand %(name)s in it, so a literal % is doubled.
func CommandLine(name string, args ...string) string {
	argv := Argv(name, args...)
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = strings.ReplaceAll(shellQuote(a), "%", "%%")
	}
	return strings.Join(q, " ")
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`;&|<>()*?[]#~%") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}
