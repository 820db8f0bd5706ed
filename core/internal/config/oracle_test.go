package config

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The oracle is Debian's Python supervisor 4.2.5; `make deps` installs it.
const (
	oraclePython = "/usr/bin/python3"
	oracleSample = "/usr/bin/echo_supervisord_conf"
)

// testEnviron is the environment both loaders see: ours plus the
// variables the testdata configs expand.
func testEnviron() []string {
	return append(os.Environ(),
		"LANCER_TEST_WORD=hello",
		"LANCER_TEST_SPACES=two words",
		"LANCER_TEST_PORT=9002",
		"LANCER_TEST_PRIORITY=42",
		"LANCER_TEST_PERCENT=100%",
	)
}

// requireOracle fails, never skips, when the Python supervisor is missing:
// a silently skipped differential test would hide the missing dependency.
func requireOracle(t *testing.T) {
	t.Helper()
	out, err := exec.Command(oraclePython, "-c", "import supervisor.options").CombinedOutput()
	if err != nil {
		t.Fatalf("%s cannot import supervisor (run `make deps`): %v\n%s", oraclePython, err, out)
	}
}

// oracle runs testdata/oracle.py over files in dir with env and returns
// each file's dump as decoded JSON.
func oracle(t *testing.T, dir string, env []string, files []string) map[string]any {
	t.Helper()
	script, err := filepath.Abs(filepath.Join("testdata", "oracle.py"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(oraclePython, append([]string{script}, files...)...)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle.py: %v", err)
	}
	var dumps map[string]any
	if err := json.Unmarshal(out, &dumps); err != nil {
		t.Fatalf("oracle.py output: %v", err)
	}
	return dumps
}

// roundTrip turns v into what json.Unmarshal gives for the same JSON, so
// that it compares equal to the oracle's decoded output.
func roundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// notDifferential marks a testdata/warn config that the reference cannot
// load (it names Python code that is not installed).
const notDifferential = "; not in the differential test:"

// goodConfigs returns the absolute paths of testdata/*.conf and
// testdata/warn/*.conf, and of the reference's own sample config, written
// by its echo_supervisord_conf.
func goodConfigs(t *testing.T) []string {
	t.Helper()
	good, err := filepath.Glob(filepath.Join("testdata", "*.conf"))
	if err != nil {
		t.Fatal(err)
	}
	warn, err := filepath.Glob(filepath.Join("testdata", "warn", "*.conf"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range append(good, warn...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(string(data), notDifferential) {
			continue
		}
		abs, err := filepath.Abs(f)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, abs)
	}
	sample, err := exec.Command(oracleSample).Output()
	if err != nil {
		t.Fatalf("%s: %v", oracleSample, err)
	}
	path := filepath.Join(t.TempDir(), "reference_sample.conf")
	if err := os.WriteFile(path, sample, 0o644); err != nil {
		t.Fatal(err)
	}
	return append(files, path)
}

// TestMatchesReference loads every good config with the Python
// supervisord and with Load, and requires the same meaning: every group,
// process, option, server and the reference's warnings.
func TestMatchesReference(t *testing.T) {
	requireOracle(t)
	files := goodConfigs(t)
	if len(files) < 31 {
		t.Errorf("only %d configs; the differential test wants at least 31", len(files))
	}
	cwd, env := t.TempDir(), testEnviron()
	want := oracle(t, cwd, env, files)
	for _, file := range files {
		name, _ := filepath.Rel(filepath.Join(filepath.Dir(file), ".."), file)
		t.Run(name, func(t *testing.T) {
			ref, _ := want[file].(map[string]any)
			if msg, refused := ref["error"]; refused {
				t.Fatalf("the reference refuses %s: %v", file, msg)
			}
			f, err := Load(file, Options{Environ: env, Dir: cwd})
			if err != nil {
				t.Fatalf("Load(%s): %v", file, err)
			}
			if diff := cmp.Diff(ref, roundTrip(t, dumpFile(f))); diff != "" {
				t.Errorf("Load(%s) differs from the reference (-reference +ours):\n%s", file, diff)
			}
		})
	}
}
