package mainlog

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lancerhq/lancer/core/internal/logcap"
)

// The oracle is Debian's Python supervisor 4.2.5; `make deps` installs it.
const oraclePython = "/usr/bin/python3"

var stamp = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} `)

// TestOracleMainLog writes the same records through the reference's main
// logger and ours, rotating, and compares the files with times masked.
func TestOracleMainLog(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("differential test against Python supervisor")
	}
	records := [][2]any{
		{20, "spawned: 'quick' with pid 8365"},
		{50, "Supervisor is running as root.  Privileges were not dropped"},
		{40, "error"}, {30, "warn"}, {10, "'quick' stdout output:\nline one\nline two\n"},
		{5, "trace"}, {3, "blather"}, {20, "100% done, 'é' and \t tab"},
		{20, "exited: quick (exit status 3; not expected)"}, {20, "gave up: quick entered FATAL state, too many start retries too quickly"},
	}
	theirs := filepath.Join(t.TempDir(), "supervisord.log")
	req, _ := json.Marshal(map[string]any{"path": theirs, "maxbytes": 150, "backups": 3, "records": records})
	cmd := exec.Command(oraclePython, filepath.Join("testdata", "oracle.py"))
	cmd.Stdin, cmd.Stderr = bytes.NewReader(req), os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("oracle.py (run `make deps` if supervisor is missing): %v", err)
	}
	ours := filepath.Join(t.TempDir(), "supervisord.log")
	l, err := Open(Options{Path: ours, File: logcap.FileOptions{MaxBytes: 150, Backups: 3}})
	if err != nil {
		t.Fatal(err)
	}
	h := NewHandler(l, &HandlerOptions{Level: LevelBlather})
	for _, r := range records {
		h.Handle(t.Context(), record(LevelOf(r[0].(int)), r[1].(string)))
	}
	l.Close()
	want := masked(t, theirs)
	if len(want) < 3 {
		t.Fatalf("the reference rotated %d times; the test needs rotations", len(want)-1)
	}
	if diff := cmp.Diff(want, masked(t, ours)); diff != "" {
		t.Errorf("main logs differ (-reference +ours):\n%s", diff)
	}
}

// masked returns the log and its backups by suffix, times masked.
func masked(t *testing.T, path string) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(path + "*")
	m := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m[f[len(path):]] = stamp.ReplaceAllString(string(b), "TIME ")
	}
	return m
}
