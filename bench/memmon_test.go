package bench

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// memmon against superlance's way of measuring memory, in the same run:
// memmon answers TICK events for 500 /bin/sleep processes listed by a
// fake supervisord, and the reference is what memmon.py spends on
// measuring alone, one `ps -orss= -p PID` per process (and with -c one
// `ps ax -o "pid= ppid= rss="` per process). The reference leaves out
// Python, the shell os.popen runs ps through and the XML-RPC call, so
// the ratio is a lower bound; memmon's figures include everything it
// does for a TICK, the XML-RPC call to list the 500 processes too.
const (
	memmonFleet     = 500
	memmonTicks     = 50 // TICKs measured, after memmonWarmup
	memmonTreeTicks = 10
	memmonWarmup    = 3
	psRounds        = 1  // rounds of 500 ps runs, the reference
	psTreeSample    = 20 // ps ax runs timed, of the 500 memmon.py would run
	memmonTarget    = 50 // times cheaper than the reference, in CPU
)

// memmonCost is the cost of one TICK: wall time and CPU time.
type memmonCost struct {
	wall time.Duration
	cpu  time.Duration
}

func (c memmonCost) ms() (wall, cpu float64) {
	return float64(c.wall) / float64(time.Millisecond), float64(c.cpu) / float64(time.Millisecond)
}

// memmonRun is every figure of the comparison.
type memmonRun struct {
	ours, ref         memmonCost // RSS of each process
	oursTree, refTree memmonCost // -c: RSS of each process tree
	procs             int        // processes on the machine, which -c scans
}

func BenchmarkMemmonTick500(b *testing.B) {
	r := once(b, "memmon", measureMemmon)
	oursWall, oursCPU := r.ours.ms()
	refWall, refCPU := r.ref.ms()
	report(b, figure{
		name: "memmon-cpu", what: "memmon CPU per TICK, 500 procs", unit: "ms",
		ours: oursCPU, ref: refCPU,
		target: fmt.Sprintf(">= %dx cheaper", memmonTarget), met: refCPU >= memmonTarget*oursCPU,
	})
	report(b, figure{
		name: "memmon-wall", what: "memmon wall time per TICK", unit: "ms",
		ours: oursWall, ref: refWall,
		target: fmt.Sprintf(">= %dx faster", memmonTarget), met: refWall >= memmonTarget*oursWall,
	})
	oursWall, oursCPU = r.oursTree.ms()
	refWall, refCPU = r.refTree.ms()
	report(b, figure{name: "memmon-c-cpu", what: "memmon -c CPU per TICK", unit: "ms", ours: oursCPU, ref: refCPU})
	report(b, figure{name: "memmon-c-wall", what: "memmon -c wall time per TICK", unit: "ms", ours: oursWall, ref: refWall})
	note(b, fmt.Sprintf("memmon: the reference is ps alone (no Python, shell or XML-RPC), %.1f ms CPU per ps with %d processes on this machine "+
		"(ps reads them all); -c's is scaled from %d of %d ps ax runs", memmonPSCPU(r), r.procs, psTreeSample, memmonFleet))
}

// memmonPSCPU is the CPU time of one ps -p, in milliseconds.
func memmonPSCPU(r *memmonRun) float64 {
	_, cpu := r.ref.ms()
	return cpu / memmonFleet
}

func measureMemmon(b *testing.B) *memmonRun {
	b.Helper()
	pids := memmonSleepers(b, memmonFleet)
	url := memmonSupervisord(b, pids)
	bin := memmonBinary(b)
	r := &memmonRun{procs: memmonProcCount()}
	r.ours = memmonTicks500(b, bin, url, memmonTicks, "-a", "1GB")
	r.ref = memmonPSEach(b, pids, psRounds)
	r.oursTree = memmonTicks500(b, bin, url, memmonTreeTicks, "-c", "-a", "1GB")
	r.refTree = memmonPSTreeEach(b, pids[:psTreeSample])
	b.Logf("memmon %+v, ps %+v; -c: memmon %+v, ps ax %+v", r.ours, r.ref, r.oursTree, r.refTree)
	return r
}

var (
	memmonOnce sync.Once
	memmonPath string
	memmonErr  error
	memmonOut  []byte
)

// memmonBinary returns memmon built as `make build` builds it, once per
// run, or $LANCER_BIN_DIR/memmon if set.
func memmonBinary(b *testing.B) string {
	b.Helper()
	if dir := os.Getenv("LANCER_BIN_DIR"); dir != "" {
		return filepath.Join(dir, "memmon")
	}
	memmonOnce.Do(func() {
		dir := b.TempDir() // kept until this benchmark ends; memmon is built for it alone
		memmonPath = filepath.Join(dir, "memmon")
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", memmonPath, "../listeners/memmon")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		memmonOut, memmonErr = cmd.CombinedOutput()
	})
	if memmonErr != nil {
		b.Fatalf("build memmon: %v\n%s", memmonErr, memmonOut)
	}
	return memmonPath
}

// memmonSleepers starts n /bin/sleep 600 in one new process group and
// returns their pids; cleanup kills the group.
func memmonSleepers(b *testing.B, n int) []int {
	b.Helper()
	cmds := make([]*exec.Cmd, 0, n)
	pgid := 0
	b.Cleanup(func() {
		if pgid != 0 {
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
		}
		for _, c := range cmds {
			_ = c.Wait()
		}
	})
	for range n {
		c := exec.Command("/bin/sleep", "600")
		c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pgid: pgid}
		if err := c.Start(); err != nil {
			b.Fatalf("start sleep: %v", err)
		}
		if pgid == 0 {
			pgid = c.Process.Pid
		}
		cmds = append(cmds, c)
	}
	pids := make([]int, n)
	for i, c := range cmds {
		pids[i] = c.Process.Pid
	}
	return pids
}

// memmonSupervisord serves getAllProcessInfo with one RUNNING process per
// pid, its answer encoded once, and returns its URL. Anything else is a
// fault: memmon must restart nothing.
func memmonSupervisord(b *testing.B, pids []int) string {
	b.Helper()
	infos := make([]xmlrpc.ProcessInfo, len(pids))
	for i, pid := range pids {
		name := fmt.Sprintf("p%03d", i)
		infos[i] = xmlrpc.ProcessInfo{Name: name, Group: name, PID: pid, State: 20, StateName: "RUNNING",
			Start: 1700000000, Now: 1700000100, Description: "pid " + strconv.Itoa(pid) + ", uptime 0:01:40"}
	}
	var all, fault bytes.Buffer
	if err := xmlrpc.EncodeResponse(&all, infos); err != nil {
		b.Fatal(err)
	}
	if err := xmlrpc.EncodeFault(&fault, xmlrpc.NewFault(xmlrpc.FaultFailed, "not in this benchmark")); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/xml")
		if bytes.Contains(body, []byte("<methodName>supervisor.getAllProcessInfo</methodName>")) {
			_, _ = w.Write(all.Bytes())
			return
		}
		_, _ = w.Write(fault.Bytes())
	}))
	b.Cleanup(srv.Close)
	return srv.URL
}

// memmonTicks500 runs memmon with args as supervisord would, sends it
// memmonWarmup then ticks TICK_60 events and returns the mean cost of the
// measured ones: the time from writing the event to reading its result,
// and memmon's CPU time (user + system, from /proc) over them.
func memmonTicks500(b *testing.B, bin, url string, ticks int, args ...string) memmonCost {
	b.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "SUPERVISOR_SERVER_URL="+url)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		stdin.Close()
		_ = cmd.Wait()
	}()
	r := protocol.NewReader(stdout)
	if err := r.ReadReady(); err != nil {
		b.Fatalf("memmon: %v\n%s", err, stderr.String())
	}
	var wall time.Duration
	var cpu0 float64
	for n := 1; n <= memmonWarmup+ticks; n++ {
		if n == memmonWarmup+1 {
			if cpu0, err = cpuSeconds(cmd.Process.Pid); err != nil {
				b.Fatal(err)
			}
		}
		start := time.Now()
		if err := memmonTick(stdin, r, n); err != nil {
			b.Fatalf("memmon, TICK %d: %v\n%s", n, err, stderr.String())
		}
		if n > memmonWarmup {
			wall += time.Since(start)
		}
	}
	cpu1, err := cpuSeconds(cmd.Process.Pid)
	if err != nil {
		b.Fatal(err)
	}
	if want := []byte("RSS of p499:p499 is "); !bytes.Contains(stderr.Bytes(), want) || bytes.Contains(stderr.Bytes(), []byte("Restarting")) {
		b.Fatalf("memmon did not measure every process, or restarted one; stderr ends:\n%s", memmonTail(stderr.Bytes(), 2000))
	}
	return memmonCost{
		wall: wall / time.Duration(ticks),
		cpu:  time.Duration((cpu1 - cpu0) / float64(ticks) * float64(time.Second)),
	}
}

// memmonTick sends TICK_60 number n and reads memmon's result and next READY.
func memmonTick(w io.Writer, r *protocol.Reader, n int) error {
	ev := protocol.Event{
		Header: protocol.Header{Ver: protocol.Version, Server: "bench", Serial: int64(n), Pool: "memmon",
			PoolSerial: int64(n), EventName: "TICK_60"},
		Payload: "when:" + strconv.Itoa(1700000000+60*n),
	}
	if err := protocol.WriteEvent(w, ev); err != nil {
		return err
	}
	if res, err := r.ReadResult(); err != nil || res != "OK" {
		return fmt.Errorf("result %q: %v", res, err)
	}
	return r.ReadReady()
}

// memmonPSEach is memmon.py's calc_rss for every pid, rounds times: one
// `ps -orss= -p PID` each. It returns the mean cost of one round; the
// CPU is the ps processes' own (their rusage).
func memmonPSEach(b *testing.B, pids []int, rounds int) memmonCost {
	b.Helper()
	var c memmonCost
	for range rounds {
		start := time.Now()
		for _, pid := range pids {
			c.cpu += memmonPS(b, "-orss=", "-p", strconv.Itoa(pid))
		}
		c.wall += time.Since(start)
	}
	c.wall /= time.Duration(rounds)
	c.cpu /= time.Duration(rounds)
	return c
}

// memmonPSTreeEach is memmon.py's calc_rss with -c for len(sample) pids: one
// `ps ax -o "pid= ppid= rss="` each, scaled to memmonFleet runs, as
// memmon.py runs it once per process.
func memmonPSTreeEach(b *testing.B, sample []int) memmonCost {
	b.Helper()
	var c memmonCost
	start := time.Now()
	for range sample {
		c.cpu += memmonPS(b, "ax", "-o", "pid= ppid= rss=")
	}
	c.wall = time.Since(start)
	scale := time.Duration(memmonFleet / len(sample))
	return memmonCost{wall: c.wall * scale, cpu: c.cpu * scale}
}

// memmonPS runs ps with args and returns the CPU time it used.
func memmonPS(b *testing.B, args ...string) time.Duration {
	b.Helper()
	cmd := exec.Command("ps", args...)
	out, err := cmd.Output()
	if err != nil || len(bytes.TrimSpace(out)) == 0 {
		b.Fatalf("ps %q: %q, %v", args, out, err)
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// memmonProcCount returns how many processes /proc lists.
func memmonProcCount() int {
	entries, _ := os.ReadDir("/proc")
	return len(slices.DeleteFunc(entries, func(e os.DirEntry) bool { _, ok := atoi(e.Name()); return !ok }))
}

func memmonTail(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	return b[len(b)-n:]
}
