package logcap

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

func TestCreateAutoLog(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name, err := CreateAutoLog(dir, "gsleep", "stdout", "mysuper")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^gsleep-stdout---mysuper-\S+\.log$`).MatchString(filepath.Base(name)) || filepath.Dir(name) != dir {
		t.Errorf("CreateAutoLog = %q", name)
	}
	fi, err := os.Stat(name)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, %v; want 0600 as mkstemp", fi.Mode(), err)
	}
	other, _ := CreateAutoLog(dir, "gsleep", "stdout", "mysuper")
	if other == name {
		t.Error("two AUTO logs got the same name")
	}
	if _, err := CreateAutoLog(filepath.Join(dir, "missing"), "x", "stdout", "s"); err == nil {
		t.Error("CreateAutoLog in a missing directory succeeded")
	}
}

func TestCleanAutoLogs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	all := []string{
		"web-stdout---supervisor-abc123.log",   // removed
		"web-stderr---supervisor-abc123.log.1", // removed
		"web-stdout---supervisor-x.log.10",     // removed
		"web-stdout---supervisor-x.logfoo",     // removed: re.match is not anchored at the end
		"web-stdout---other-abc123.log",        // another identifier
		"---supervisor-abc.log",                // nothing before ---
		"web-stdout---supervisor-.log",         // nothing between - and .log
		"web.log",
		"supervisord.log",
	}
	for _, n := range all {
		writeFile(t, filepath.Join(dir, n), "x")
	}
	if err := CleanAutoLogs(dir, "supervisor"); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	slices.Sort(left)
	want := slices.Sorted(slices.Values(all[4:]))
	if !slices.Equal(left, want) {
		t.Errorf("left %q; want %q", left, want)
	}
	if err := CleanAutoLogs(filepath.Join(dir, "missing"), "x"); err == nil {
		t.Error("CleanAutoLogs of a missing directory: no error")
	}
}
