package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCtlMatchesReference reads testdata/ctl/*.conf as supervisorctl, with
// the reference's ClientOptions and with LoadCtl.
func TestCtlMatchesReference(t *testing.T) {
	requireOracle(t)
	files, err := filepath.Glob(filepath.Join("testdata", "ctl", "*.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range files {
		files[i], _ = filepath.Abs(files[i])
	}
	cwd, env := t.TempDir(), testEnviron()
	want := oracle(t, cwd, env, append([]string{"--ctl"}, files...))
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ref, _ := want[file].(map[string]any)
			c, err := LoadCtl(file, Options{Environ: env, Dir: cwd})
			if _, refused := ref["error"]; refused || err != nil {
				if !refused || err == nil {
					t.Errorf("LoadCtl(%s) error %v; the reference says %v", file, err, ref["error"])
				}
				return
			}
			got := map[string]any{"serverurl": c.ServerURL, "username": orNil(c.Username),
				"password": orNil(c.Password), "prompt": c.Prompt, "history_file": orNil(c.HistoryFile)}
			if diff := cmp.Diff(ref, roundTrip(t, got)); diff != "" {
				t.Errorf("LoadCtl(%s) differs from the reference (-reference +ours):\n%s", file, diff)
			}
		})
	}
}

func TestLoadCtlWithoutFile(t *testing.T) {
	t.Parallel()
	c, err := LoadCtl("", Options{})
	if err != nil || !cmp.Equal(c, DefaultCtl()) {
		t.Errorf("LoadCtl(\"\") = %+v, %v; want the defaults", c, err)
	}
	_, err = LoadCtl(filepath.Join(t.TempDir(), "missing.conf"), Options{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadCtl(missing) error = %v; want one wrapping os.ErrNotExist", err)
	}
}

func TestSearchPathsAndFind(t *testing.T) {
	t.Parallel()
	got := SearchPaths("/opt/app/bin/supervisord")
	want := []string{"/opt/app/etc/supervisord.conf", "/opt/app/supervisord.conf", "supervisord.conf",
		"etc/supervisord.conf", "/etc/supervisord.conf", "/etc/supervisor/supervisord.conf"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SearchPaths() differs (-want +got):\n%s", diff)
	}
	dir := t.TempDir()
	second := filepath.Join(dir, "b.conf")
	if err := os.WriteFile(second, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if p, err := Find([]string{filepath.Join(dir, "a.conf"), second}); p != second || err != nil {
		t.Errorf("Find() = %q, %v; want %q", p, err, second)
	}
	if _, err := Find([]string{filepath.Join(dir, "a.conf")}); !errors.Is(err, ErrNoConfigFile) {
		t.Errorf("Find(none) error = %v; want ErrNoConfigFile", err)
	}
}
