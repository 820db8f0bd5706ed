package logcap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"
)

// follow reads from f until it has want bytes, failing on a skip.
func follow(t *testing.T, f *Follower, want int) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var got []byte
	for len(got) < want {
		data, skipped, err := f.Next(ctx)
		if err != nil || skipped != 0 {
			t.Fatalf("Next after %d bytes: skipped %d, err %v", len(got), skipped, err)
		}
		got = append(got, data...)
	}
	return got
}

// TestFollowAcrossRotation has a follower read, concurrently, everything
// a channel writes while its file rotates many times.
func TestFollowAcrossRotation(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	c := newChannel(t, Options{Path: path, File: FileOptions{MaxBytes: 1000, Backups: 2}, RingSize: 1 << 20})
	f := c.Follow(0)
	var want bytes.Buffer
	for i := range 2000 {
		fmt.Fprintf(&want, "line %d\n", i)
	}
	done := make(chan []byte)
	go func() { done <- follow(t, f, want.Len()) }()
	for line := range bytes.Lines(want.Bytes()) {
		write(t, c, string(line))
	}
	if got := <-done; !bytes.Equal(got, want.Bytes()) {
		t.Errorf("follower got %d bytes; want the %d written, in order", len(got), want.Len())
	}
	if _, err := os.Stat(path + ".2"); err != nil {
		t.Errorf("no second backup: %v", err)
	}
}

func TestFollowBacklog(t *testing.T) {
	t.Parallel()
	c := newChannel(t, Options{})
	write(t, c, "0123456789")
	if got := follow(t, c.Follow(4), 4); string(got) != "6789" {
		t.Errorf("Follow(4) started with %q; want 6789", got)
	}
	f := c.Follow(0)
	write(t, c, "new")
	if got := follow(t, f, 3); string(got) != "new" {
		t.Errorf("Follow(0) got %q; want new", got)
	}
}

// TestFollowBacklogFromFile: after a daemon restart the ring is empty but
// the log file has history.
func TestFollowBacklogFromFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	writeFile(t, path, "earlier run\n")
	c := newChannel(t, Options{Path: path})
	write(t, c, "now\n")
	f := c.Follow(1024)
	write(t, c, "later\n")
	if got := follow(t, f, 22); string(got) != "earlier run\nnow\nlater\n" {
		t.Errorf("follower got %q", got)
	}
}

func TestFollowSkipsWhenBehind(t *testing.T) {
	t.Parallel()
	c := newChannel(t, Options{RingSize: 4})
	f := c.Follow(0)
	write(t, c, "abcdefgh")
	data, skipped, err := f.Next(t.Context())
	if string(data) != "efgh" || skipped != 4 || err != nil {
		t.Errorf("Next = %q, %d, %v; want efgh, 4, nil", data, skipped, err)
	}
}

func TestFollowEnds(t *testing.T) {
	t.Parallel()
	c := newChannel(t, Options{})
	f := c.Follow(0)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := f.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Next with a cancelled context: err = %v", err)
	}
	write(t, c, "last")
	errc := make(chan error)
	go func() {
		follow(t, f, 4)
		_, _, err := f.Next(t.Context())
		errc <- err
	}()
	c.Close()
	if err := <-errc; err != io.EOF {
		t.Errorf("Next after Close: err = %v; want io.EOF", err)
	}
}

// TestFollowWakes checks that followers blocked in Next all return on
// the next write.
func TestFollowWakes(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, err := NewChannel(nil, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := make(chan []byte, 3)
		for range 3 {
			f := c.Follow(0)
			go func() {
				data, _, _ := f.Next(t.Context())
				got <- data
			}()
		}
		synctest.Wait() // every follower is blocked in Next
		if len(got) != 0 {
			t.Fatal("Next returned before any write")
		}
		write(t, c, "x")
		for range 3 {
			if data := <-got; string(data) != "x" {
				t.Errorf("Next = %q; want x", data)
			}
		}
		c.Close()
	})
}
