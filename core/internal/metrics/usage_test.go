package metrics

import (
	"context"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/core/internal/supervisor"
)

func TestProcReaderFixture(t *testing.T) {
	t.Parallel()
	u, err := ProcReader{Root: "testdata/proc"}.Usage(t.Context(), 42)
	if err != nil {
		t.Fatal(err)
	}
	// statm: 300 resident pages; stat: utime 250 + stime 150 ticks at 100 Hz.
	if want := (Usage{RSSBytes: 300 * uint64(os.Getpagesize()), CPUSeconds: 4}); u != want {
		t.Errorf("Usage(42) = %+v; want %+v", u, want)
	}
	if _, err := (ProcReader{Root: "testdata/proc"}).Usage(t.Context(), 43); err == nil {
		t.Error("Usage(43) of a pid not in the fixture = nil error; want one")
	}
}

func TestProcReaderSelf(t *testing.T) {
	t.Parallel()
	u, err := ProcReader{}.Usage(t.Context(), os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if u.RSSBytes < 1<<20 || u.CPUSeconds < 0 {
		t.Errorf("Usage(self) = %+v; want at least 1 MiB resident", u)
	}
}

// livePids returns n pids of processes alive now, repeating those of
// /proc when there are fewer.
func livePids(b *testing.B, n int) []int {
	b.Helper()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		b.Fatal(err)
	}
	var pids []int
	for _, e := range ents {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			pids = append(pids, pid)
		}
	}
	out := make([]int, n)
	for i := range out {
		out[i] = pids[i%len(pids)]
	}
	return out
}

// BenchmarkCollect500 is one scrape of 500 running processes, reading
// the RSS and CPU time of real pids from /proc and writing the
// exposition. The target is well under 50 ms.
func BenchmarkCollect500(b *testing.B) {
	src := &fakeSource{}
	for i, pid := range livePids(b, 500) {
		name := "p" + strconv.Itoa(i)
		src.procs = append(src.procs, supervisor.ProcessStatus{Info: process.Info{
			Name: name, Group: "g" + strconv.Itoa(i%20), State: process.Running, Pid: pid}})
	}
	reg := NewRegistry()
	if _, err := New(reg, src, Options{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := reg.Write(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProcReader(b *testing.B) {
	ctx, pid := context.Background(), os.Getpid()
	for b.Loop() {
		if _, err := (ProcReader{}).Usage(ctx, pid); err != nil {
			b.Fatal(err)
		}
	}
}
