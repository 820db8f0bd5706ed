package process

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/testproc"
)

// pollerProc registers an execProc with n output pipes with pl, as a
// spawn does before starting the child, and returns it, the writers its
// output goes to and the pipes' write ends, the child's.
func pollerProc(t *testing.T, pl *poller, n int) (*execProc, []*output, []*os.File) {
	t.Helper()
	ps := &pipes{p: newExecProc()}
	var outs []*output
	var ws []*os.File
	for range n {
		o := &output{}
		w, err := ps.output(o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = w.Close() })
		outs, ws = append(outs, o), append(ws, w)
	}
	if err := pl.add(ps.p); err != nil {
		t.Fatal(err)
	}
	pl.readOutput(ps.p) // as start does for a child
	return ps.p, outs, ws
}

func write(t *testing.T, w *os.File, s string) {
	t.Helper()
	if _, err := w.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// waitDone returns how long p took to be done, failing after limit.
func waitDone(t *testing.T, p *execProc, limit time.Duration) time.Duration {
	t.Helper()
	begin := time.Now()
	select {
	case <-p.Done():
		return time.Since(begin)
	case <-time.After(limit):
		t.Fatalf("not done after %v", limit)
		return 0
	}
}

// TestPollerDrain: an exit is reported only after the output written
// before it, and what comes until EOF, has been handed over; a pipe held
// open by a grandchild ends the drain after the idle time without data,
// or after the maximum if it keeps writing. A drain that ends at EOF
// does not wait for either.
func TestPollerDrain(t *testing.T) {
	t.Parallel()
	const (
		short    = 100 * time.Millisecond // an idle time or maximum that must pass
		long     = time.Minute            // one that must not
		exitCode = 3
	)
	tests := []struct {
		name      string
		idle, max time.Duration
		// child plays the child (and grandchild) on the write ends and
		// posts the exit.
		child func(t *testing.T, pl *poller, p *execProc, ws []*os.File)
		want  []string      // the output of each pipe
		min   time.Duration // the least time until done
	}{
		{"output, EOF, exit", long, long, func(t *testing.T, pl *poller, p *execProc, ws []*os.File) {
			write(t, ws[0], "hello\n")
			_ = ws[0].Close()
			pl.post(p, ExitStatus{Code: exitCode})
		}, []string{"hello\n"}, 0},
		{"EOF long before exit", long, long, func(t *testing.T, pl *poller, p *execProc, ws []*os.File) {
			write(t, ws[0], "early\n")
			_ = ws[0].Close()
			time.Sleep(short)
			select {
			case <-p.Done():
				t.Error("done before the exit")
			default:
			}
			pl.post(p, ExitStatus{Code: exitCode})
		}, []string{"early\n"}, 0},
		{"output after exit before EOF", long, long, func(t *testing.T, pl *poller, p *execProc, ws []*os.File) {
			pl.post(p, ExitStatus{Code: exitCode})
			time.Sleep(short)
			write(t, ws[0], "late\n")
			_ = ws[0].Close()
		}, []string{"late\n"}, short},
		{"two pipes", long, long, func(t *testing.T, pl *poller, p *execProc, ws []*os.File) {
			write(t, ws[0], "out\n")
			write(t, ws[1], "err\n")
			_ = ws[0].Close()
			_ = ws[1].Close()
			pl.post(p, ExitStatus{Code: exitCode})
		}, []string{"out\n", "err\n"}, 0},
		{"grandchild holds the pipe", short, long, func(t *testing.T, pl *poller, p *execProc, ws []*os.File) {
			write(t, ws[0], "child\n")
			pl.post(p, ExitStatus{Code: exitCode})
		}, []string{"child\n"}, short},
		{"grandchild holds one of two pipes", short, long, func(t *testing.T, pl *poller, p *execProc, ws []*os.File) {
			write(t, ws[1], "err\n")
			_ = ws[0].Close()
			pl.post(p, ExitStatus{Code: exitCode})
		}, []string{"", "err\n"}, short},
		{"grandchild keeps writing", long, short, func(t *testing.T, pl *poller, p *execProc, ws []*os.File) {
			pl.post(p, ExitStatus{Code: exitCode})
			go func() {
				for {
					if _, err := ws[0].WriteString("x"); err != nil {
						return // the poller closed the read end
					}
					time.Sleep(short / 20)
				}
			}()
		}, nil, short},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pl := &poller{idle: tt.idle, max: tt.max}
			p, outs, ws := pollerProc(t, pl, max(len(tt.want), 1))
			begin := time.Now()
			tt.child(t, pl, p, ws)
			waitDone(t, p, 10*time.Second)
			if d := time.Since(begin); d < tt.min {
				t.Errorf("done after %v; want at least %v", d, tt.min)
			}
			if got := p.Wait(); got != (ExitStatus{Code: exitCode}) {
				t.Errorf("Wait() = %+v; want exit status %d", got, exitCode)
			}
			for i, want := range tt.want {
				if got := outs[i].String(); got != want {
					t.Errorf("pipe %d delivered %q; want %q", i, got, want)
				}
			}
			for i, s := range p.outs {
				if s.fd != -1 {
					t.Errorf("pipe %d still open after the drain", i)
				}
			}
		})
	}
}

// TestPollerLargeOutput: output far larger than a pipe's buffer arrives
// whole, in order and in chunks of at most chunkSize, before the exit.
func TestPollerLargeOutput(t *testing.T) {
	t.Parallel()
	pl := &poller{}
	p, outs, ws := pollerProc(t, pl, 1)
	want := strings.Repeat("0123456789abcdef", 1<<16) // 1 MiB
	go func() {
		_, _ = ws[0].WriteString(want)
		_ = ws[0].Close()
		pl.post(p, ExitStatus{})
	}()
	waitDone(t, p, 10*time.Second)
	if got := outs[0].String(); got != want {
		t.Errorf("delivered %d bytes; want the %d written, in order", len(got), len(want))
	}
	if outs[0].maxWrite > chunkSize {
		t.Errorf("largest write = %d bytes; want at most %d", outs[0].maxWrite, chunkSize)
	}
}

// TestPollerIdle: the goroutine and the epoll instance exist only while a
// child is watched, including one whose spawn was abandoned.
func TestPollerIdle(t *testing.T) {
	t.Parallel()
	pl := &poller{}
	running := func() bool {
		pl.mu.Lock()
		defer pl.mu.Unlock()
		return pl.running
	}
	for round := range 2 {
		p, _, ws := pollerProc(t, pl, 2)
		if !running() {
			t.Fatalf("round %d: poller not running with a child added", round)
		}
		_ = ws[0].Close()
		_ = ws[1].Close()
		if round == 0 {
			pl.abandon(p)
		} else {
			pl.post(p, ExitStatus{})
		}
		waitDone(t, p, 10*time.Second)
		testproc.WaitFor(t, 10*time.Second, "poller stopped", func() bool { return !running() })
	}
}

// TestPollerGoroutines: children started by an ExecSpawner cost no
// goroutine of their own while they run.
func TestPollerGoroutines(t *testing.T) {
	const n = 8
	sp := &ExecSpawner{}
	before := runtime.NumGoroutine()
	var procs []Proc
	for range n {
		p, err := sp.Spawn(helper("sleep", "20s"))
		if err != nil {
			t.Fatal(err)
		}
		procs = append(procs, p)
		t.Cleanup(func() {
			_ = syscall.Kill(-p.Pid(), syscall.SIGKILL)
			testproc.AssertGroupGone(t, p.Pid(), 5*time.Second)
		})
	}
	if got := runtime.NumGoroutine() - before; got > 2 {
		t.Errorf("%d children added %d goroutines; want at most 2 (the poller)", n, got)
	}
	for _, p := range procs {
		if err := p.Signal(syscall.SIGKILL, true); err != nil {
			t.Error(err)
		}
	}
	for _, p := range procs {
		if e := p.Wait(); e.Signal != syscall.SIGKILL {
			t.Errorf("Wait() = %v; want killed by SIGKILL", e)
		}
	}
}

// TestPollerNotReapable: a pidfd that fires while its child cannot be
// reaped yet (a tracer holding the zombie) hands the child over to a
// blocking wait, which reports its exit.
func TestPollerNotReapable(t *testing.T) {
	t.Parallel()
	sp := &ExecSpawner{}
	proc, err := sp.Spawn(helper("sleep", "20s"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-proc.Pid(), syscall.SIGKILL)
		testproc.AssertGroupGone(t, proc.Pid(), 5*time.Second)
	})
	p := proc.(*execProc)
	sp.poller.reap(p) // as if the pidfd fired: the child is alive, wait4 finds nothing
	if err := p.Signal(syscall.SIGTERM, false); err != nil {
		t.Fatalf("Signal = %v", err)
	}
	waitDone(t, p, 10*time.Second)
	if got := p.Wait(); got.Signal != syscall.SIGTERM {
		t.Errorf("Wait() = %v; want terminated by SIGTERM", got)
	}
	if err := p.Signal(syscall.SIGTERM, false); err != nil {
		t.Errorf("Signal after the exit = %v; want nil", err)
	}
}

// pidOutput is a PIDWriter that records the pid of every chunk.
type pidOutput struct {
	mu    sync.Mutex
	pids  map[int]int // pid -> chunks
	bytes int
}

func (o *pidOutput) Write(p []byte) (int, error) { return o.WritePID(0, p) }

func (o *pidOutput) WritePID(pid int, p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pids == nil {
		o.pids = map[int]int{}
	}
	o.pids[pid]++
	o.bytes += len(p)
	return len(p), nil
}

// TestPollerOutputPID: every chunk of a child's output is written with
// the child's pid, from the first, written before Spawn has returned, to
// the last, drained after its exit: what the pid of a PROCESS_LOG or
// PROCESS_COMMUNICATION event must be, as in the reference.
func TestPollerOutputPID(t *testing.T) {
	t.Parallel()
	const lines = 20000 // several pipefuls: the child blocks until read
	lineLen := len(fmt.Sprintf("line %06d 0123456789abcdefghijklmnopqrstuvwxyz\n", 0))
	sp := &ExecSpawner{}
	for range 5 {
		out := &pidOutput{}
		spec := helper("print", strconv.Itoa(lines), "stdout")
		spec.Stdout = out
		proc, err := sp.Spawn(spec)
		if err != nil {
			t.Fatal(err)
		}
		waitDone(t, proc.(*execProc), 10*time.Second)
		testproc.AssertGroupGone(t, proc.Pid(), 5*time.Second)
		out.mu.Lock()
		if len(out.pids) != 1 || out.pids[proc.Pid()] == 0 || out.bytes != lines*lineLen {
			t.Errorf("chunks by pid = %v, %d bytes; want all %d bytes from pid %d", out.pids, out.bytes, lines*lineLen, proc.Pid())
		}
		out.mu.Unlock()
	}
}
