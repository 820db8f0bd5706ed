package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with the golden file path, or rewrites it with
// -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-golden +got):\n%s", path, diff)
	}
}

func badConfigs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "bad", "*.conf"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestBadConfigs loads every testdata/bad/*.conf, one mistake each (or a
// few, for several_mistakes.conf), and checks the exact message against
// its .err golden file.
func TestBadConfigs(t *testing.T) {
	files := badConfigs(t)
	if len(files) < 25 {
		t.Errorf("only %d bad configs; want at least 25", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			f, err := Load(file, Options{Environ: testEnviron(), Dir: t.TempDir(), Hostname: "testhost"})
			if err == nil {
				t.Fatalf("Load(%s) = %d groups, nil error; want an error", file, len(f.Groups))
			}
			golden(t, strings.TrimSuffix(file, ".conf")+".err", err.Error()+"\n")
		})
	}
}

// TestBadConfigsRefusedByReference checks that the reference refuses every
// bad config too, except those marked "; stricter:" on their first line,
// which it must accept: those are where we deliberately refuse more.
func TestBadConfigsRefusedByReference(t *testing.T) {
	requireOracle(t)
	var files []string
	for _, f := range badConfigs(t) {
		abs, err := filepath.Abs(f)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, abs)
	}
	dumps := oracle(t, t.TempDir(), testEnviron(), files)
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		stricter := strings.HasPrefix(string(data), "; stricter:")
		dump, _ := dumps[file].(map[string]any)
		_, refused := dump["error"]
		switch {
		case stricter && refused:
			t.Errorf("%s is marked stricter, but the reference refuses it too: %v", file, dump["error"])
		case !stricter && !refused:
			t.Errorf("the reference accepts %s; mark it \"; stricter:\" if that is deliberate", file)
		}
	}
}
