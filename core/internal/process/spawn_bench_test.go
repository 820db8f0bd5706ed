package process

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/testproc"
)

// BenchmarkSpawn starts b.N children of /bin/sleep 60 the way the daemon
// does (pipes, process group, watched by the spawner's poller), then
// reports the OS threads and goroutines of the test process with all of
// them running (threads, once started, stay: run one benchmark per
// process to compare).
// Run it as the fleet benchmark's 500 programs:
//
//	go test -run='^$' -bench=Spawn -benchtime=500x ./core/internal/process/
//
// "direct" is a program without a umask; "shim" has one, so each spawn
// re-executes the test binary as the shim first.
func BenchmarkSpawn(b *testing.B) {
	for _, bb := range []struct {
		name  string
		umask int
	}{{"direct", -1}, {"shim", 0o022}} {
		b.Run(bb.name, func(b *testing.B) {
			sp := &ExecSpawner{Shim: testproc.Argv("spawn-shim")}
			spec := SpawnSpec{Argv: []string{"/bin/sleep", "60"}, Umask: bb.umask}
			procs := make([]Proc, 0, b.N)
			b.Cleanup(func() { stopAll(b, procs) })
			for b.Loop() {
				p, err := sp.Spawn(spec)
				if err != nil {
					b.Fatal(err)
				}
				procs = append(procs, p)
			}
			b.StopTimer()
			time.Sleep(200 * time.Millisecond) // let the threads settle: a measurement, not a sync
			b.ReportMetric(float64(threads(b)), "threads")
			b.ReportMetric(float64(runtime.NumGoroutine()), "goroutines")
		})
	}
}

// stopAll kills every child and waits for every one to be reaped.
func stopAll(b *testing.B, procs []Proc) {
	b.Helper()
	for _, p := range procs {
		if err := p.Signal(syscall.SIGKILL, true); err != nil {
			b.Error(err)
		}
	}
	for _, p := range procs {
		if e := p.Wait(); e.Signal != syscall.SIGKILL {
			b.Errorf("child ended with %v; want SIGKILL", e)
		}
	}
}

// threads returns the number of OS threads of this process.
func threads(b *testing.B) int {
	b.Helper()
	st, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	_, rest, _ := bytes.Cut(st, []byte("\nThreads:"))
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	n, err := strconv.Atoi(string(bytes.TrimSpace(line)))
	if err != nil {
		b.Fatalf("no Threads: line in /proc/self/status")
	}
	return n
}
