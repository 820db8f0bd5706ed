package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseConfig feeds arbitrary files to the loader: it must return a
// File or an ErrorList of positioned errors, never panic, and stay
// bounded (includes are not followed; at most 500 processes).
func FuzzParseConfig(f *testing.F) {
	for _, pattern := range []string{"*.conf", "bad/*.conf", "warn/*.conf", "ctl/*.conf", "supervisord.d/*.ini"} {
		files, _ := filepath.Glob(filepath.Join("testdata", pattern))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	dir := f.TempDir()
	path := filepath.Join(dir, "supervisord.conf")
	noGlob := func(string) ([]string, error) { return nil, nil }
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		opts := Options{Environ: []string{"HOME=/root", "LANCER_TEST_WORD=hello"}, Dir: dir, Hostname: "fuzz",
			glob: noGlob, maxProcesses: 500}
		ld, err := newLoader(path, opts)
		if err != nil {
			t.Fatal(err)
		}
		file, err := ld.load(data)
		checkLoad(t, file, err)
	})
}

func checkLoad(t *testing.T, file *File, err error) {
	t.Helper()
	if (file == nil) == (err == nil) {
		t.Fatalf("load() = %v, %v; want exactly one of them", file, err)
	}
	if err != nil {
		var list ErrorList
		if !errors.As(err, &list) || len(list) == 0 || len(list) > maxErrors {
			t.Fatalf("load() error %T %v; want an ErrorList of 1 to %d", err, err, maxErrors)
		}
		for _, e := range list {
			if e.File == "" || e.Err == nil {
				t.Fatalf("load() error %#v has no file or cause", e)
			}
		}
		return
	}
	for i, g := range file.Groups {
		if i > 0 && file.Groups[i-1].Priority > g.Priority {
			t.Fatalf("groups out of priority order: %s before %s", file.Groups[i-1].Name, g.Name)
		}
		for _, p := range g.Processes {
			if p.Name == "" || strings.ContainsAny(p.Name, " :/") {
				t.Fatalf("process name %q", p.Name)
			}
			if argv, err := SplitCommand(p.Command); err != nil || len(argv) == 0 {
				t.Fatalf("process %s command %q does not split: %v", p.Name, p.Command, err)
			}
		}
	}
}
