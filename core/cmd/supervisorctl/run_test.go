package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		args    []string
		want    flags
		wantErr string
	}{
		{name: "command only", args: []string{"status", "-x"}, want: flags{args: []string{"status", "-x"}}},
		{name: "short and clustered", args: []string{"-is", "unix:///s", "-uops", "-p", "pw", "tail", "-f", "x"},
			want: flags{interactive: true, serverURL: "unix:///s", username: "ops", password: "pw", args: []string{"tail", "-f", "x"}}},
		{name: "long and prefix", args: []string{"--serv=http://h:1", "--configuration", "c.conf", "--history_file=h", "--", "-v"},
			want: flags{serverURL: "http://h:1", config: "c.conf", history: "h", args: []string{"-v"}}},
		{name: "help stops", args: []string{"-h", "-x"}, want: flags{help: true}},
		{name: "reference spelling rejected", args: []string{"--history-file", "x"}, wantErr: "option --history-file not recognized"},
		{name: "unknown short", args: []string{"-x"}, wantErr: "option -x not recognized"},
		{name: "missing value", args: []string{"-c"}, wantErr: "option -c requires argument"},
		{name: "missing long value", args: []string{"--username"}, wantErr: "option --username requires argument"},
		{name: "value on a flag", args: []string{"--interactive=1"}, wantErr: "option --interactive must not have an argument"},
		{name: "bad url", args: []string{"-s", "foo"}, wantErr: "invalid value for -s 'foo': value 'foo' is not a URL"},
		{name: "twice", args: []string{"-i", "-i"}, wantErr: "conflicting command line option '-i'"},
		{name: "ambiguous", args: []string{"--h"}, wantErr: "option --h not a unique prefix"},
	} {
		got, err := parseFlags(tc.args)
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("%s: parseFlags(%q) error %v; want %q", tc.name, tc.args, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: parseFlags(%q) error %v", tc.name, tc.args, err)
			continue
		}
		got.set = nil
		if diff := cmp.Diff(tc.want, *got, cmp.AllowUnexported(flags{})); diff != "" {
			t.Errorf("%s: parseFlags(%q) (-want +got):\n%s", tc.name, tc.args, diff)
		}
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "s.conf")
	sock := filepath.Join(dir, "none.sock")
	if err := os.WriteFile(conf, []byte("[supervisorctl]\nserverurl=unix://"+sock+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	noSection := filepath.Join(dir, "plain.conf")
	if err := os.WriteFile(noSection, []byte("[supervisord]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name             string
		args             []string
		stdin            string
		status           int
		stdout, stderrIn string
	}{
		{name: "help", args: []string{"--help"}, stdout: "Usage: supervisorctl [options] [command [arguments]]"},
		{name: "bad option", args: []string{"-x"}, status: 2, stderrIn: "Error: option -x not recognized\nFor help, use supervisorctl -h\n"},
		{name: "missing file", args: []string{"-c", filepath.Join(dir, "nope.conf"), "status"}, status: 2,
			stderrIn: "Error: could not find config file " + filepath.Join(dir, "nope.conf")},
		{name: "no section", args: []string{"-c", noSection, "status"}, status: 2, stderrIn: "supervisorctl"},
		{name: "config server", args: []string{"-c", conf, "status"}, status: 4, stdout: "unix://" + sock + " no such file\n"},
		{name: "command line wins", args: []string{"-c", conf, "-s", "unix:///x/y.sock", "pid"}, status: 7,
			stdout: "unix:///x/y.sock no such file\n"},
		{name: "shell", args: []string{"-c", conf}, stdin: "help help\n",
			stdout: "unix://" + sock + " no such file\nsupervisor> help\t\tPrint a list of available actions\n"},
	} {
		var stdout, stderr strings.Builder
		status := run(t.Context(), tc.args, strings.NewReader(tc.stdin), &stdout, &stderr)
		if status != tc.status || !strings.Contains(stdout.String(), tc.stdout) || !strings.Contains(stderr.String(), tc.stderrIn) {
			t.Errorf("%s: run(%q) = %d, stdout %q, stderr %q; want %d, stdout with %q, stderr with %q",
				tc.name, tc.args, status, stdout.String(), stderr.String(), tc.status, tc.stdout, tc.stderrIn)
		}
	}
}
