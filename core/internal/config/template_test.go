package config

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const templateConf = `
[supervisord]
environment = SHARED=1

[DEFAULT]
startsecs = 0

[program:w]
command = /bin/w --num %(process_num)d --of %(numprocs)d --env %(ENV_SHARED)s
process_name = w_%(process_num)02d
numprocs = 2
numprocs_start = 1
directory = %(here)s
environment = SLOT="%(process_num)d"
stdout_logfile = %(here)s/%(program_name)s-%(process_num)d.log
priority = 5

[program:one]
command = /bin/one
`

// writeTemplateConf writes text as supervisord.conf in a new directory.
func writeTemplateConf(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "supervisord.conf")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var templateOpts = Options{Environ: []string{"HOME=/root"}, Hostname: "testhost"}

// loadGroup loads text and returns the processes of group name.
func loadGroup(t *testing.T, path, name string) []Process {
	t.Helper()
	opts := templateOpts
	opts.Dir = filepath.Dir(path)
	f, err := Load(path, opts)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, g := range f.Groups {
		if g.Name == name {
			return g.Processes
		}
	}
	t.Fatalf("no group %s", name)
	return nil
}

// TestTemplateProcesses checks that a template expands for any numprocs
// exactly as Load expands the same section written with that numprocs.
func TestTemplateProcesses(t *testing.T) {
	t.Parallel()
	path := writeTemplateConf(t, templateConf)
	opts := templateOpts
	opts.Dir = filepath.Dir(path)
	tmpl, err := LoadTemplate(path, opts, "program:w", "w")
	if err != nil {
		t.Fatalf("LoadTemplate: %v", err)
	}
	for _, n := range []int{-1, 0, 1, 2, 5} {
		want := n
		if n < 0 {
			want = 2
		}
		// The same file with numprocs = want, in the same directory so
		// that %(here)s is the same.
		other := filepath.Join(filepath.Dir(path), "other.conf")
		text := strings.Replace(templateConf, "numprocs = 2", "numprocs = "+strconv.Itoa(want), 1)
		if err := os.WriteFile(other, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := tmpl.Processes(n)
		if err != nil {
			t.Fatalf("Processes(%d) = %v", n, err)
		}
		if d := cmp.Diff(loadGroup(t, other, "w"), got); d != "" {
			t.Errorf("Processes(%d) differs from Load with numprocs=%d (-load +template):\n%s", n, want, d)
		}
	}
}

// TestNewTemplate checks that a program given as options expands as the
// same section written in the file does, and that bad options give the
// loader's messages, without a file position.
func TestNewTemplate(t *testing.T) {
	t.Parallel()
	const section = `
[program:extra]
command = /bin/extra %(process_num)d %(group_name)s %(ENV_SHARED)s
process_name = extra_%(process_num)d
numprocs = 3
stdout_logfile = %(here)s/extra.log
autostart = false
`
	// [DEFAULT] is the file's: a program given as options does not
	// inherit it.
	path := writeTemplateConf(t, strings.Replace(templateConf, "[DEFAULT]\nstartsecs = 0\n", "", 1)+section)
	opts := templateOpts
	opts.Dir = filepath.Dir(path)
	f, err := Load(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	options := map[string]string{
		"command":        "/bin/extra %(process_num)d %(group_name)s %(ENV_SHARED)s",
		"process_name":   "extra_%(process_num)d",
		"numprocs":       "3",
		"stdout_logfile": "%(here)s/extra.log",
		"autostart":      "false",
	}
	tmpl, err := NewTemplate(f, opts, "extra", "extra", options)
	if err != nil {
		t.Fatalf("NewTemplate: %v", err)
	}
	got, err := tmpl.Processes(-1)
	if err != nil {
		t.Fatalf("Processes(-1) = %v", err)
	}
	if d := cmp.Diff(loadGroup(t, path, "extra"), got); d != "" {
		t.Errorf("NewTemplate differs from the section in the file (-load +template):\n%s", d)
	}

	tests := []struct {
		name    string
		program string
		options map[string]string
		want    string
	}{
		{"no command", "x", map[string]string{}, "[program:x] command: missing (want the program to run)"},
		{"bad value", "x", map[string]string{"command": "x", "startsecs": "soon"}, `[program:x] startsecs: invalid integer "soon"`},
		{"unknown option", "x", map[string]string{"command": "x", "autorestrat": "true"}, "[program:x] autorestrat: unknown option"},
		{"numprocs without process_num", "x", map[string]string{"command": "x", "numprocs": "2"},
			`[program:x] process_name: "%(program_name)s" must contain %(process_num) when numprocs is 2, so that each process has its own name`},
		{"bad name", "a b", map[string]string{"command": "x"}, `[program:a b] invalid name "a b": it contains ' ' (names cannot contain a space, ':' or '/')`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := NewTemplate(f, opts, "g", tt.program, tt.options)
			if err == nil {
				_, err = tmpl.Processes(-1)
			}
			if err == nil || err.Error() != tt.want {
				t.Errorf("NewTemplate(%v).Processes(-1) = %v; want %s", tt.options, err, tt.want)
			}
		})
	}
}

// TestLoadTemplateErrors checks the errors of LoadTemplate and of
// expanding a loaded template: file positions as Load gives them.
func TestLoadTemplateErrors(t *testing.T) {
	t.Parallel()
	path := writeTemplateConf(t, templateConf+"\n[program:bad]\ncommand = x\nstartsecs = soon\n")
	opts := templateOpts
	opts.Dir = filepath.Dir(path)
	if _, err := LoadTemplate(path, opts, "program:nosuch", "nosuch"); err == nil ||
		err.Error() != path+": [program:nosuch] no such section in the config file" {
		t.Errorf("LoadTemplate(nosuch) = %v", err)
	}
	// Another section's mistake does not matter.
	tmpl, err := LoadTemplate(path, opts, "program:one", "one")
	if err != nil {
		t.Fatalf("LoadTemplate(one) = %v", err)
	}
	want := path + `:18: [program:one] process_name: "%(program_name)s" must contain %(process_num) when numprocs is 2, so that each process has its own name`
	if _, err := tmpl.Processes(2); err == nil || err.Error() != want {
		t.Errorf("Processes(2) of a program without %%(process_num) = %v; want %s", err, want)
	}
	if _, err := LoadTemplate(filepath.Join(t.TempDir(), "none.conf"), opts, "program:w", "w"); err == nil {
		t.Error("LoadTemplate of a missing file = nil; want an error")
	}
}
