package logcap

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
)

// faultFS is the real file system with injectable failures.
type faultFS struct {
	osFS
	mu        sync.Mutex
	writeErr  error // writes fail with it after writing partial bytes
	partial   int
	renameErr error
	openErr   error
}

func (f *faultFS) set(fn func(f *faultFS)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func (f *faultFS) OpenFile(name string, flag int, perm os.FileMode) (File, error) {
	f.mu.Lock()
	err := f.openErr
	f.mu.Unlock()
	if err != nil && flag != os.O_RDONLY {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	file, err := f.osFS.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: file, fs: f}, nil
}

func (f *faultFS) Rename(oldpath, newpath string) error {
	f.mu.Lock()
	err := f.renameErr
	f.mu.Unlock()
	if err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	return f.osFS.Rename(oldpath, newpath)
}

type faultFile struct {
	File
	fs *faultFS
}

func (f *faultFile) Write(p []byte) (int, error) {
	f.fs.mu.Lock()
	err, partial := f.fs.writeErr, f.fs.partial
	f.fs.mu.Unlock()
	if err == nil {
		return f.File.Write(p)
	}
	n, _ := f.File.Write(p[:min(partial, len(p))])
	return n, &os.PathError{Op: "write", Path: "log", Err: err}
}

// recorder is a slog.Handler that keeps the records it handles.
type recorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }

func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec)
	return nil
}

// messages returns "LEVEL msg k=v ..." for each record.
func (r *recorder) messages() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, rec := range r.records {
		s := []string{rec.Level.String(), rec.Message}
		rec.Attrs(func(a slog.Attr) bool {
			if a.Key != "err" && a.Key != "target" {
				s = append(s, a.String())
			}
			return true
		})
		out = append(out, strings.Join(s, " "))
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), nil))
}

func removeFile(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

func newChannel(t *testing.T, opts Options) *Channel {
	t.Helper()
	c, err := NewChannel(testLogger(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
