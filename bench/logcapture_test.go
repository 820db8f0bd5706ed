package bench

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// The writer is /bin/dd copying /dev/zero to stdout in 64 KiB blocks:
// 3200 writes of a full pipe buffer each, so that its own cost is tiny and
// identical under both daemons, and the figure is the daemon's read and
// write path. testproc's `print` would take 4.4 million 48-byte writes,
// measuring the writer and pipe wake-ups more than the daemon.
const (
	captureChunks = 3200
	captureBytes  = captureChunks * 64 << 10 // 200 MiB
)

// captureRun is what one daemon did with 200 MiB of child output.
type captureRun struct {
	elapsed time.Duration // first byte released to all bytes in the log file
	cpu     float64       // daemon CPU seconds (user+system) meanwhile
}

type captureConf struct {
	Dir    string
	Fifo   string
	Chunks int
}

// runCapture starts c with the writer waiting on a fifo, reads the idle
// daemon's CPU time, releases the writer and waits until all its bytes
// are in the log file.
func runCapture(b *testing.B, c contender) *captureRun {
	b.Helper()
	dir := b.TempDir()
	fifo := filepath.Join(dir, "go.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		b.Fatal(err)
	}
	conf := writeConf(b, dir, "logcapture.conf", captureConf{dir, fifo, captureChunks})
	d := startDaemon(b, c.path, conf, dir)
	d.poll(b, 20*time.Millisecond, 30*time.Second, "writer RUNNING", func() bool {
		return readLog(d.log).count("success: writer entered RUNNING") > 0
	})
	time.Sleep(200 * time.Millisecond) // let the daemon finish start-up work
	pid := d.cmd.Process.Pid
	cpu0 := cpuOf(b, pid)
	start := release(b, fifo)
	out := filepath.Join(dir, "writer.out")
	d.poll(b, 2*time.Millisecond, 5*time.Minute, "200 MiB in the log", func() bool {
		st, err := os.Stat(out)
		return err == nil && st.Size() >= captureBytes
	})
	r := &captureRun{elapsed: time.Since(start), cpu: cpuOf(b, pid) - cpu0}
	checkCapture(b, d, out)
	if !d.stop(30 * time.Second) {
		b.Fatalf("%s did not stop within 30 s", c.name)
	}
	assertNoneLeft(b, dir)
	b.Logf("%s: 200 MiB logged in %.3f s (%.0f MiB/s), daemon CPU %.2f s",
		c.name, r.elapsed.Seconds(), 200/r.elapsed.Seconds(), r.cpu)
	return r
}

// release writes a line to the fifo the writer is blocked reading, and
// returns when it did.
func release(b *testing.B, fifo string) time.Time {
	b.Helper()
	f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("go\n"); err != nil {
		b.Fatal(err)
	}
	return time.Now()
}

// checkCapture fails b unless the writer exited 0 and the log holds
// exactly its bytes: none lost, none doubled.
func checkCapture(b *testing.B, d *daemon, out string) {
	b.Helper()
	d.poll(b, 20*time.Millisecond, 30*time.Second, "writer to exit", func() bool {
		return readLog(d.log).count("exited: writer (exit status 0; expected)") > 0
	})
	st, err := os.Stat(out)
	if err != nil {
		b.Fatal(err)
	}
	if st.Size() != captureBytes {
		b.Fatalf("log file has %d bytes; want %d", st.Size(), captureBytes)
	}
}

func cpuOf(b *testing.B, pid int) float64 {
	b.Helper()
	s, err := cpuSeconds(pid)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkLogCapture200MB(b *testing.B) {
	runs := map[string]*captureRun{}
	for _, c := range contenders(b) {
		runs[c.name] = once(b, "capture/"+c.name, func(b *testing.B) *captureRun { return runCapture(b, c) })
	}
	ours, ref := runs["ours"], runs["reference"]
	report(b, figure{
		name: "capture-time", what: "time until 200 MiB in the log", unit: "s",
		ours: ours.elapsed.Seconds(), ref: ref.elapsed.Seconds(),
		target: "", met: true,
	})
	report(b, figure{
		name: "capture-cpu", what: "daemon CPU for those 200 MiB", unit: "s",
		ours: ours.cpu, ref: ref.cpu,
		target: "<= reference", met: ours.cpu <= ref.cpu,
	})
}
