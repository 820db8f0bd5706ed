package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCmd calls run with args and returns its exit status and output.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(t.Context(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeConf(t *testing.T, dir, text string) string {
	t.Helper()
	path := filepath.Join(dir, "supervisord.conf")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const goodConf = `[supervisord]
logfile = %(here)s/supervisord.log

[program:web]
command = /usr/bin/web
numprocs = 2
process_name = web_%(process_num)d
`

func TestRunCheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeConf(t, dir, goodConf)
	typo := writeConf(t, t.TempDir(), goodConf+"autorestrat = true\n")
	bad := writeConf(t, t.TempDir(), goodConf+"stopsignal = TERMM\nstartsecs = soon\n")
	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"valid", []string{"-t", "-c", good}, 0,
			"supervisord: " + good + ": configuration is valid (1 group, 2 processes, 0 warnings)\n", ""},
		{"long flags", []string{"--test", "--configuration=" + good}, 0,
			"supervisord: " + good + ": configuration is valid (1 group, 2 processes, 0 warnings)\n", ""},
		{"warning", []string{"-c", typo, "-t"}, 0,
			"supervisord: " + typo + ": configuration is valid (1 group, 2 processes, 1 warning)\n",
			"warning: " + typo + ":8: [program:web] autorestrat: unknown option (ignored)\n"},
		{"errors", []string{"-t", "-c", bad}, 2, "",
			"error: " + bad + ":8: [program:web] stopsignal: unknown signal \"TERMM\" (want a name such as TERM, HUP, INT, QUIT, KILL, USR1, USR2)\n" +
				"error: " + bad + ":9: [program:web] startsecs: invalid integer \"soon\"\n" +
				"supervisord: " + bad + ": configuration is invalid (2 errors)\n"},
		{"missing file", []string{"-t", "-c", filepath.Join(dir, "nope.conf")}, 2, "",
			"error: " + filepath.Join(dir, "nope.conf") + ": cannot read config file: no such file or directory\n" +
				"supervisord: " + filepath.Join(dir, "nope.conf") + ": configuration is invalid (1 error)\n"},
		{"version", []string{"-v"}, 0, "4.2.5\n", ""},
		{"long version", []string{"--version"}, 0, "4.2.5\n", ""},
		{"unknown flag", []string{"-x"}, 2, "", "Error: unknown shorthand flag: 'x' in -x\nFor help, use supervisord -h\n"},
		{"positional", []string{"-t", "extra"}, 2, "", "Error: positional arguments are not supported: [\"extra\"]\nFor help, use supervisord -h\n"},
		{"bad command-line override", []string{"-c", good, "-e", "loud"}, 2, "",
			"Error: command line: [supervisord] loglevel: invalid log level \"loud\" (want critical, error, warn, info, debug, trace or blather)\nFor help, use supervisord -h\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmd(t, tt.args...)
			if code != tt.code || stdout != tt.stdout || stderr != tt.stderr {
				t.Errorf("run(%q) = %d\nstdout %q\nstderr %q\nwant %d\nstdout %q\nstderr %q", tt.args, code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

func TestRunHelp(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCmd(t, "-h")
	if code != 0 || stderr != "" {
		t.Fatalf("run(-h) = %d, stderr %q; want 0 and nothing", code, stderr)
	}
	for _, want := range []string{"Usage: supervisord [options]", "-c, --configuration", "-t, --test", "-v, --version", "-h, --help"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("run(-h) output lacks %q:\n%s", want, stdout)
		}
	}
}

// TestRunCheckSearchesWorkingDirectory checks -t without -c: the search
// path includes ./supervisord.conf, as in the reference.
func TestRunCheckSearchesWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	writeConf(t, dir, goodConf)
	t.Chdir(dir)
	code, stdout, stderr := runCmd(t, "-t")
	if code != 0 || !strings.HasPrefix(stdout, "supervisord: supervisord.conf: configuration is valid") {
		t.Errorf("run(-t) in a directory with supervisord.conf = %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestSteadyProcs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want int
	}{
		{"unset: one thread once started", nil, 1},
		{"set: the operator's", map[string]string{"GOMAXPROCS": "4"}, 0},
		{"set empty: still the operator's", map[string]string{"GOMAXPROCS": ""}, 0},
	}
	for _, tt := range tests {
		lookup := func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }
		if got := steadyProcs(lookup); got != tt.want {
			t.Errorf("%s: steadyProcs = %d; want %d", tt.name, got, tt.want)
		}
	}
}
