package logcap

import (
	"errors"
	"path/filepath"
	"testing"
)

// twelve is the reference's 12-byte example log (supervisor.md §2.6).
const twelve = "beforebefore"

func TestRead(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	f := newFile(t, path, FileOptions{})
	write(t, f, twelve)
	tests := []struct {
		name           string
		offset, length int
		want           string
		err            error
	}{
		{"tail", -5, 0, "efore", nil},
		{"tail longer than file", -100, 0, twelve, nil},
		{"negative offset with length", -5, 3, "", ErrBadArguments},
		{"negative length", 0, -1, "", ErrBadArguments},
		{"to end", 6, 0, "before", nil},
		{"whole", 0, 0, twelve, nil},
		{"slice", 2, 3, "for", nil},
		{"slice past end", 10, 100, "re", nil},
		{"offset at end", 12, 0, "", nil},
		{"offset past end", 100, 5, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.Read(tt.offset, tt.length)
			if string(got) != tt.want || !errors.Is(err, tt.err) {
				t.Errorf("Read(%d, %d) = %q, %v; want %q, %v", tt.offset, tt.length, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestTail(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	f := newFile(t, path, FileOptions{})
	write(t, f, twelve)
	tests := []struct {
		offset, length int
		want           string
		overflow       bool
	}{
		// The documented examples.
		{0, 5, "efore", true},
		{0, 100, twelve, false},
		{12, 100, "", false},
		{100, 100, "", false},
		// And around them.
		{7, 5, "efore", false},
		{8, 5, "efore", false}, // the window slides back to end at the end
		{6, 3, "ore", true},
		{11, 1, "e", false},
		{0, 0, "", true},
		{0, 12, twelve, false},
		{-5, 3, "ore", true},
	}
	for _, tt := range tests {
		data, offset, overflow, err := f.Tail(tt.offset, tt.length)
		if string(data) != tt.want || offset != 12 || overflow != tt.overflow || err != nil {
			t.Errorf("Tail(%d, %d) = %q, %d, %v, %v; want %q, 12, %v, nil",
				tt.offset, tt.length, data, offset, overflow, err, tt.want, tt.overflow)
		}
	}
}

func TestTailWindowEmptyLog(t *testing.T) {
	t.Parallel()
	for _, tc := range [][2]int64{{0, 0}, {0, 100}, {5, 5}, {-1, 1}} {
		if start, n, overflow := TailWindow(0, tc[0], tc[1]); n != 0 || start != 0 || overflow {
			t.Errorf("TailWindow(0, %d, %d) = %d, %d, %v; want 0, 0, false", tc[0], tc[1], start, n, overflow)
		}
	}
}

func TestReadMissingFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	f := newFile(t, path, FileOptions{FS: &faultFS{}})
	f.Close()
	removeFile(t, path)
	if _, err := f.Read(0, 0); !errors.Is(err, ErrNoFile) {
		t.Errorf("Read: err = %v; want ErrNoFile", err)
	}
	if _, _, _, err := f.Tail(0, 10); !errors.Is(err, ErrNoFile) {
		t.Errorf("Tail: err = %v; want ErrNoFile", err)
	}
}
