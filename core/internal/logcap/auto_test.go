package logcap

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

func TestAutoLogName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := AutoLogName(dir, "gsleep", "stdout", "mysuper")
	if !regexp.MustCompile(`^gsleep-stdout---mysuper-\d+\.log$`).MatchString(filepath.Base(name)) || filepath.Dir(name) != dir {
		t.Errorf("AutoLogName = %q", name)
	}
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Errorf("AutoLogName created %s (%v); the channel creates it", name, err)
	}
	seen := map[string]bool{}
	for range 1000 {
		n := AutoLogName(dir, "gsleep", "stdout", "mysuper")
		if seen[n] {
			t.Fatalf("two AUTO logs got the same name %s", n)
		}
		seen[n] = true
	}
}

// TestLazyAutoLog: an AUTO log is created by the program's first write,
// mode 0600 as mkstemp makes it. Before that it reads back as the empty
// file the reference would have created, and reopening or clearing it
// creates nothing.
func TestLazyAutoLog(t *testing.T) {
	t.Parallel()
	name := AutoLogName(t.TempDir(), "x", "stdout", "s")
	c, err := NewChannel(nil, Options{Name: "x", Path: name, File: FileOptions{Lazy: true, Perm: AutoLogPerm}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	data, off, overflow, err := c.file.Tail(0, 100)
	if err != nil || len(data) != 0 || off != 0 || overflow {
		t.Errorf("Tail before any output = %q, %d, %v, %v; want an empty file", data, off, overflow, err)
	}
	if data, err := c.file.Read(-100, 0); err != nil || len(data) != 0 {
		t.Errorf("Read before any output = %q, %v; want an empty file", data, err)
	}
	if err := c.file.Reopen(); err != nil {
		t.Errorf("Reopen = %v", err)
	}
	if err := c.file.Clear(); err != nil {
		t.Errorf("Clear = %v", err)
	}
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Fatalf("before any output %s exists (%v)", name, err)
	}
	if _, err := c.Write([]byte("hello\n")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(name)
	if err != nil || fi.Mode().Perm() != AutoLogPerm {
		t.Fatalf("after the first output: %v, %v; want mode 0600", fi, err)
	}
	if data, err := c.file.Read(-100, 0); err != nil || string(data) != "hello\n" {
		t.Errorf("Read = %q, %v", data, err)
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
