package logcap

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestRing(t *testing.T) {
	t.Parallel()
	r := newRing(8)
	var all strings.Builder
	for _, s := range []string{"abc", "defgh", "ij", "klmnopqrstu", "v"} {
		r.write([]byte(s))
		all.WriteString(s)
		stream := all.String()
		if r.end != int64(len(stream)) {
			t.Fatalf("end = %d; want %d", r.end, len(stream))
		}
		kept := stream[max(0, len(stream)-8):]
		data, at := r.read(0, 100)
		if string(data) != kept || at != int64(len(stream)-len(kept)) {
			t.Errorf("after %q: read(0, 100) = %q at %d; want %q at %d", s, data, at, kept, len(stream)-len(kept))
		}
	}
	if data, at := r.read(20, 1); string(data) != "u" || at != 20 {
		t.Errorf("read(20, 1) = %q at %d; want u at 20", data, at)
	}
	if data, at := r.read(30, 5); len(data) != 0 || at != 22 {
		t.Errorf("read past the end = %q at %d; want empty at 22", data, at)
	}
	r.reset()
	if data, at := r.read(0, 100); len(data) != 0 || at != 22 {
		t.Errorf("after reset: %q at %d; want empty at 22", data, at)
	}
	r.write([]byte("w"))
	if data, _ := r.read(0, 100); string(data) != "w" {
		t.Errorf("after reset and write: %q; want w", data)
	}
}

func TestRingZeroSize(t *testing.T) {
	t.Parallel()
	r := newRing(0)
	r.write([]byte("abc"))
	if data, at := r.read(0, 10); len(data) != 0 || at != 3 {
		t.Errorf("read = %q at %d; want empty at 3", data, at)
	}
}

func TestRingGrowsLazily(t *testing.T) {
	t.Parallel()
	r := newRing(1 << 20)
	if cap(r.buf) != 0 {
		t.Fatalf("a new ring holds %d bytes", cap(r.buf))
	}
	var all []byte
	for i := range 300 {
		p := []byte(strings.Repeat(string(rune('a'+i%26)), i*37%5000))
		r.write(p)
		all = append(all, p...)
		if len(r.buf) > max(4096, 2*len(all)) {
			t.Fatalf("after %d bytes the ring holds %d", len(all), len(r.buf))
		}
	}
	kept := all[max(0, len(all)-r.size):]
	if data, _ := r.read(0, int64(len(all))); string(data) != string(kept) {
		t.Errorf("read back %d bytes; want the %d kept", len(data), len(kept))
	}
}

// TestRingModel compares a ring that grows and then wraps with the tail
// of the whole stream, after every write, at every size of read.
func TestRingModel(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	r := newRing(10000)
	var all []byte
	for range 400 {
		p := make([]byte, rng.IntN(700))
		for i := range p {
			p[i] = byte(rng.IntN(256))
		}
		r.write(p)
		all = append(all, p...)
		oldest := max(0, len(all)-10000)
		off := rng.IntN(len(all) + 1)
		n := rng.IntN(12000)
		data, at := r.read(int64(off), int64(n))
		wantAt := max(off, oldest)
		want := all[wantAt:min(len(all), wantAt+n)]
		if at != int64(wantAt) || !bytes.Equal(data, want) {
			t.Fatalf("stream %d bytes: read(%d, %d) = %d bytes at %d; want %d at %d", len(all), off, n, len(data), at, len(want), wantAt)
		}
	}
}
