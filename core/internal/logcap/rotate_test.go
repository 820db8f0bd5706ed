package logcap

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
)

func newFile(t *testing.T, path string, opts FileOptions) *RotatingFile {
	t.Helper()
	f, err := NewRotatingFile(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func write(t *testing.T, f interface{ Write([]byte) (int, error) }, s string) {
	t.Helper()
	if n, err := f.Write([]byte(s)); n != len(s) || err != nil {
		t.Fatalf("Write(%q) = %d, %v; want %d, nil", s, n, err, len(s))
	}
}

// files returns the contents of path, path.1, … that exist, by name.
func files(t *testing.T, path string) map[string]string {
	t.Helper()
	got := map[string]string{}
	matches, _ := filepath.Glob(path + "*")
	for _, m := range matches {
		got[filepath.Base(m)] = readFile(t, m)
	}
	return got
}

func TestRotation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		max     int64
		backups int
		writes  []string
		want    map[string]string
	}{
		{"never", 0, 3, []string{"aaaa", "bbbb", "cccc"},
			map[string]string{"log": "aaaabbbbcccc"}},
		{"below max", 10, 3, []string{"aaaa", "bbbb"},
			map[string]string{"log": "aaaabbbb"}},
		{"at max", 8, 3, []string{"aaaa", "bbbb", "cc"},
			map[string]string{"log": "cc", "log.1": "aaaabbbb"}},
		{"past max by one write", 5, 3, []string{"aaaa", "bbbb", "cc"},
			map[string]string{"log": "cc", "log.1": "aaaabbbb"}},
		{"shift", 4, 3, []string{"aaaa", "bbbb", "cccc", "dd"},
			map[string]string{"log": "dd", "log.1": "cccc", "log.2": "bbbb", "log.3": "aaaa"}},
		{"oldest dropped", 4, 2, []string{"aaaa", "bbbb", "cccc", "dd"},
			map[string]string{"log": "dd", "log.1": "cccc", "log.2": "bbbb"}},
		{"no backups truncates", 4, 0, []string{"aaaa", "bbbb", "cc"},
			map[string]string{"log": "cc"}},
		{"no backups ends empty", 4, 0, []string{"aaaa", "bbbb"},
			map[string]string{"log": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "log")
			f := newFile(t, path, FileOptions{MaxBytes: tt.max, Backups: tt.backups})
			for _, w := range tt.writes {
				write(t, f, w)
			}
			if got := files(t, path); !equalMaps(got, tt.want) {
				t.Errorf("files = %q; want %q", got, tt.want)
			}
		})
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestAppendsToExistingFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	writeFile(t, path, "old ")
	f := newFile(t, path, FileOptions{MaxBytes: 8, Backups: 1})
	write(t, f, "new ")
	if got := files(t, path); !equalMaps(got, map[string]string{"log": "", "log.1": "old new "}) {
		t.Errorf("files = %q; the existing size must count towards MaxBytes", got)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm()&0o600 != 0o600 {
		t.Errorf("mode = %v", fi.Mode())
	}
}

// TestRotationNoByteLost has several writers write chunks of random sizes
// into a small rotating file, and checks that the backups, read oldest
// first, hold every chunk once, whole, and in each writer's order.
func TestRotationNoByteLost(t *testing.T) {
	t.Parallel()
	const writers, chunks, maxBytes = 8, 60, 4096
	path := filepath.Join(t.TempDir(), "log")
	f := newFile(t, path, FileOptions{MaxBytes: maxBytes, Backups: 1000})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for i := range chunks {
				if _, err := f.Write(chunk(w, i, rng.IntN(3000))); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	all, n := concatBackups(t, path, maxBytes)
	if n < 10 {
		t.Fatalf("only %d rotations; the test needs many", n)
	}
	next := make([]int, writers)
	for len(all) > 0 {
		w, i, size, ok := parseChunk(all)
		if !ok {
			t.Fatalf("garbled stream at %q", all[:min(40, len(all))])
		}
		if i != next[w] {
			t.Fatalf("writer %d: chunk %d after %d", w, i, next[w]-1)
		}
		next[w]++
		all = all[size:]
	}
	for w, n := range next {
		if n != chunks {
			t.Errorf("writer %d: %d chunks found; want %d", w, n, chunks)
		}
	}
}

// chunk returns writer w's chunk i: a header, then pad bytes.
func chunk(w, i, pad int) []byte {
	h := fmt.Sprintf("<%d:%d:%d>", w, i, pad)
	return append([]byte(h), bytes.Repeat([]byte{byte('a' + w)}, pad)...)
}

func parseChunk(b []byte) (w, i, size int, ok bool) {
	end := bytes.IndexByte(b, '>')
	if len(b) == 0 || b[0] != '<' || end < 0 {
		return 0, 0, 0, false
	}
	var pad int
	if _, err := fmt.Sscanf(string(b[:end+1]), "<%d:%d:%d>", &w, &i, &pad); err != nil {
		return 0, 0, 0, false
	}
	size = end + 1 + pad
	if size > len(b) || !bytes.Equal(b[end+1:size], bytes.Repeat([]byte{byte('a' + w)}, pad)) {
		return 0, 0, 0, false
	}
	return w, i, size, true
}

// concatBackups returns path.N … path.1, path concatenated, and N. Each
// backup must hold at least maxBytes.
func concatBackups(t *testing.T, path string, maxBytes int) ([]byte, int) {
	t.Helper()
	n := 0
	for ; ; n++ {
		if _, err := os.Stat(path + "." + strconv.Itoa(n+1)); err != nil {
			break
		}
	}
	var all []byte
	for i := n; i >= 1; i-- {
		b, err := os.ReadFile(path + "." + strconv.Itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < maxBytes {
			t.Errorf("backup %d holds %d bytes; want ≥ %d", i, len(b), maxBytes)
		}
		all = append(all, b...)
	}
	return append(all, readFile(t, path)...), n
}

func TestNonRegularTargetsNeverRotate(t *testing.T) {
	t.Parallel()
	f := newFile(t, os.DevNull, FileOptions{MaxBytes: 1, Backups: 3})
	for range 3 {
		write(t, f, "data")
	}
	if f.Regular() {
		t.Error("Regular() = true for /dev/null")
	}
	if _, err := f.Read(0, 0); !errors.Is(err, ErrNoFile) {
		t.Errorf("Read on /dev/null: err = %v; want ErrNoFile", err)
	}
	if _, err := os.Stat(os.DevNull + ".1"); err == nil {
		t.Error("rotated /dev/null")
	}
}

func TestFIFOTarget(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skip(err)
	}
	// Opening must not wait for a reader.
	f := newFile(t, path, FileOptions{MaxBytes: 4, Backups: 2})
	got := make(chan string)
	go func() {
		r, err := os.Open(path)
		if err != nil {
			got <- err.Error()
			return
		}
		defer r.Close()
		buf := make([]byte, 64)
		var all []byte
		for len(all) < 12 {
			n, err := r.Read(buf)
			all = append(all, buf[:n]...)
			if err != nil {
				break
			}
		}
		got <- string(all)
	}()
	for _, s := range []string{"aaaa", "bbbb", "cccc"} {
		write(t, f, s)
	}
	if s := <-got; s != "aaaabbbbcccc" {
		t.Errorf("read from FIFO %q; want aaaabbbbcccc", s)
	}
	if _, err := os.Stat(path + ".1"); err == nil {
		t.Error("rotated a FIFO")
	}
}

func TestWriteErrorStillRotates(t *testing.T) {
	t.Parallel()
	fsys := &faultFS{}
	path := filepath.Join(t.TempDir(), "log")
	f := newFile(t, path, FileOptions{MaxBytes: 4, Backups: 1, FS: fsys})
	fsys.set(func(f *faultFS) { f.writeErr, f.partial = syscall.ENOSPC, 5 })
	n, err := f.Write([]byte("aaaaaaaa"))
	if n != 5 || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Write = %d, %v; want 5, ENOSPC", n, err)
	}
	if got := files(t, path); !equalMaps(got, map[string]string{"log": "", "log.1": "aaaaa"}) {
		t.Errorf("files = %q; the partial write must be rotated away", got)
	}
}

func TestRenameFailureKeepsData(t *testing.T) {
	t.Parallel()
	fsys := &faultFS{renameErr: syscall.EACCES}
	path := filepath.Join(t.TempDir(), "log")
	f := newFile(t, path, FileOptions{MaxBytes: 4, Backups: 2, FS: fsys})
	if _, err := f.Write([]byte("aaaa")); !errors.Is(err, syscall.EACCES) {
		t.Errorf("Write: err = %v; want EACCES", err)
	}
	// Every write past MaxBytes tries again, and fails again.
	if n, err := f.Write([]byte("bb")); n != 2 || !errors.Is(err, syscall.EACCES) {
		t.Errorf("Write = %d, %v; want 2, EACCES", n, err)
	}
	fsys.set(func(f *faultFS) { f.renameErr = nil })
	write(t, f, "cc")
	want := map[string]string{"log": "", "log.1": "aaaabbcc"}
	if got := files(t, path); !equalMaps(got, want) {
		t.Errorf("files = %q; want %q", got, want)
	}
}

func TestOpenFailureRetriedOnWrite(t *testing.T) {
	t.Parallel()
	fsys := &faultFS{}
	path := filepath.Join(t.TempDir(), "log")
	f := newFile(t, path, FileOptions{FS: fsys})
	fsys.set(func(f *faultFS) { f.openErr = syscall.EMFILE })
	if err := f.Reopen(); !errors.Is(err, syscall.EMFILE) {
		t.Fatalf("Reopen: err = %v; want EMFILE", err)
	}
	if _, err := f.Write([]byte("lost")); !errors.Is(err, syscall.EMFILE) {
		t.Errorf("Write: err = %v; want EMFILE", err)
	}
	fsys.set(func(f *faultFS) { f.openErr = nil })
	write(t, f, "kept")
	if got := readFile(t, path); got != "kept" {
		t.Errorf("file = %q; want kept", got)
	}
}

func TestReopenAfterExternalRename(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	f := newFile(t, path, FileOptions{})
	write(t, f, "before ")
	if err := os.Rename(path, path+".old"); err != nil {
		t.Fatal(err)
	}
	write(t, f, "moved ")
	if err := f.Reopen(); err != nil {
		t.Fatal(err)
	}
	write(t, f, "after")
	if got, want := readFile(t, path+".old"), "before moved "; got != want {
		t.Errorf("old file = %q; want %q", got, want)
	}
	if got := readFile(t, path); got != "after" {
		t.Errorf("new file = %q; want after", got)
	}
}

func TestClear(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	f := newFile(t, path, FileOptions{MaxBytes: 4, Backups: 1})
	write(t, f, "aaaa")
	write(t, f, "bb")
	if err := f.Clear(); err != nil {
		t.Fatal(err)
	}
	write(t, f, "c")
	if got, want := files(t, path), map[string]string{"log": "c", "log.1": "aaaa"}; !equalMaps(got, want) {
		t.Errorf("files = %q; want %q (backups are kept, as in the reference)", got, want)
	}
	os.Remove(path)
	if err := f.Clear(); err != nil {
		t.Errorf("Clear of a missing file: %v", err)
	}
}

func TestCopyTruncateDoesNotRotateEarly(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	f := newFile(t, path, FileOptions{MaxBytes: 8, Backups: 1})
	write(t, f, "aaaaaa")
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	write(t, f, "bbb")
	if got := files(t, path); !equalMaps(got, map[string]string{"log": "bbb"}) {
		t.Errorf("files = %q; want only log=bbb", got)
	}
}

func TestClosed(t *testing.T) {
	t.Parallel()
	f := newFile(t, filepath.Join(t.TempDir(), "log"), FileOptions{})
	f.Close()
	if _, err := f.Write([]byte("x")); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Write after Close: err = %v; want ErrClosed", err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
