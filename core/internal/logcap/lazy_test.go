package logcap

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// countFS is the real file system, counting the files it has open.
type countFS struct {
	osFS
	mu   sync.Mutex
	open int
}

func (c *countFS) OpenFile(name string, flag int, perm os.FileMode) (File, error) {
	f, err := c.osFS.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.open++
	c.mu.Unlock()
	return &countedFile{File: f, fs: c}, nil
}

func (c *countFS) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.open
}

type countedFile struct {
	File
	fs *countFS
}

func (f *countedFile) Close() error {
	f.fs.mu.Lock()
	f.fs.open--
	f.fs.mu.Unlock()
	return f.File.Close()
}

// TestRotatingFileHeldOpenOnlyOnceWritten: a regular log file exists from
// the start, as in the reference, but holds a descriptor only from its
// first write; reopening or clearing it creates it again and lets it go.
// A target that is not a regular file stays open.
func TestRotatingFileHeldOpenOnlyOnceWritten(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "x.log")
	fs := &countFS{}
	r, err := NewRotatingFile(path, FileOptions{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name     string
		do       func() error
		wantOpen int
		want     string // the file's content afterwards
	}{
		{"new", func() error { return nil }, 0, ""},
		{"write", func() error { _, err := r.Write([]byte("a\n")); return err }, 1, "a\n"},
		{"write again", func() error { _, err := r.Write([]byte("b\n")); return err }, 1, "a\nb\n"},
		{"moved away, reopened", func() error {
			if err := os.Rename(path, path+".old"); err != nil {
				return err
			}
			return r.Reopen()
		}, 0, ""},
		{"write after reopen", func() error { _, err := r.Write([]byte("c\n")); return err }, 1, "c\n"},
		{"clear", r.Clear, 0, ""},
		{"write after clear", func() error { _, err := r.Write([]byte("d\n")); return err }, 1, "d\n"},
		{"close", r.Close, 0, "d\n"},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if n := fs.count(); n != st.wantOpen {
			t.Errorf("%s: %d files open; want %d", st.name, n, st.wantOpen)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != st.want {
			t.Errorf("%s: file holds %q (%v); want %q", st.name, got, err, st.want)
		}
	}

	dev, err := NewRotatingFile(os.DevNull, FileOptions{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	if n := fs.count(); n != 1 {
		t.Errorf("%s: %d files open; want 1, held from the start", os.DevNull, n)
	}
	if err := dev.Close(); err != nil {
		t.Fatal(err)
	}
}
