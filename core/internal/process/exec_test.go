package process

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/testproc"
)

// output is a goroutine-safe writer that also records its largest write.
type output struct {
	mu       sync.Mutex
	b        strings.Builder
	maxWrite int
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.maxWrite = max(o.maxWrite, len(p))
	return o.b.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

// journal collects a real process's changes and log lines, without times.
type journal struct {
	mu    sync.Mutex
	lines []string
	pids  []int
	onEnd func(Change) // called for changes to a stopped state
}

func (j *journal) observe(c Change) {
	j.mu.Lock()
	j.lines = append(j.lines, payload(c))
	end := j.onEnd
	j.mu.Unlock()
	if end != nil && c.To.IsStopped() {
		end(c)
	}
}

func (j *journal) Enabled(context.Context, slog.Level) bool { return true }
func (j *journal) Handle(_ context.Context, r slog.Record) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lines = append(j.lines, levelNames[r.Level]+" "+r.Message)
	return nil
}
func (j *journal) WithAttrs([]slog.Attr) slog.Handler { return j }
func (j *journal) WithGroup(string) slog.Handler      { return j }

// text returns the journal with every pid replaced by PID.
func (j *journal) text() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]string, len(j.lines))
	for i, l := range j.lines {
		for _, pid := range j.pids {
			l = strings.ReplaceAll(l, strconv.Itoa(pid), "PID")
		}
		out[i] = l
	}
	return out
}

// spawnRecorder is an ExecSpawner that records every pid it starts, for
// the journal and for the leak check.
type spawnRecorder struct {
	*ExecSpawner
	j *journal
}

func (s spawnRecorder) Spawn(spec SpawnSpec) (Proc, error) {
	p, err := s.ExecSpawner.Spawn(spec)
	if err == nil {
		s.j.mu.Lock()
		s.j.pids = append(s.j.pids, p.Pid())
		s.j.mu.Unlock()
	}
	return p, err
}

// realProc is a Process running a real child.
type realProc struct {
	*Process
	j        *journal
	out, err *output
}

// runReal starts a Process for spec with the exec spawner (with the
// shim when shim is set). At the end of the test Run is stopped and every
// process group the test saw must be empty.
func runReal(t *testing.T, p Policy, spec SpawnSpec, shim bool) *realProc {
	t.Helper()
	r := &realProc{j: &journal{}, out: &output{}, err: &output{}}
	spec.Stdout, spec.Stderr = r.out, r.err
	sp := &ExecSpawner{}
	if shim {
		sp.Shim = testproc.Argv("spawn-shim")
	}
	p.Name = "x"
	r.Process = New(Config{Policy: p, Group: "x", Spec: spec, Spawner: spawnRecorder{sp, r.j}, Logger: slog.New(r.j), Observer: r.j.observe})
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	done := make(chan struct{})
	go func() {
		_ = r.Run(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		r.j.mu.Lock()
		pids := append([]int(nil), r.j.pids...)
		r.j.mu.Unlock()
		for _, pid := range pids {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			testproc.AssertGroupGone(t, pid, 5*time.Second)
		}
	})
	return r
}

// realPolicy: RUNNING at once, no restarts, short stopwaitsecs.
func realPolicy() Policy {
	return Policy{StartSecs: 0, AutoStart: true, AutoRestart: RestartNever, ExitCodes: []int{0}, StopWaitSecs: 5 * time.Second}
}

func helper(name string, args ...string) SpawnSpec {
	return SpawnSpec{Argv: testproc.Argv(name, args...), Umask: -1}
}

func (r *realProc) waitState(t *testing.T, what string, cond func(Info) bool) Info {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	i, err := r.WaitFor(ctx, cond)
	if err != nil {
		t.Fatalf("waiting for %s: %v (last %+v)", what, err, i)
	}
	return i
}

func is(s State) func(Info) bool { return func(i Info) bool { return i.State == s } }

func (r *realProc) expect(t *testing.T, want ...string) {
	t.Helper()
	if d := diffLines(r.j.text(), want); d != "" {
		t.Errorf("journal:\n%s", d)
	}
}

func TestExecExitCodes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		code     int
		spawnErr string
		line     string
	}{
		{0, "", "EXITED from_state:RUNNING expected:1 pid:PID"},
		{3, "Bad exit code 3", "EXITED from_state:RUNNING expected:0 pid:PID"},
	} {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			t.Parallel()
			r := runReal(t, realPolicy(), helper("exit", strconv.Itoa(tt.code)), false)
			i := r.waitState(t, "EXITED", is(Exited))
			if i.ExitStatus != tt.code || i.SpawnErr != tt.spawnErr || i.Pid != 0 {
				t.Errorf("Snapshot() = %+v; want exit status %d, spawnerr %q", i, tt.code, tt.spawnErr)
			}
			if got := r.j.text(); len(got) != 6 || got[4] != tt.line {
				t.Errorf("journal = %q; want %q fifth", got, tt.line)
			}
		})
	}
}

func TestExecStopTerm(t *testing.T) {
	t.Parallel()
	r := runReal(t, realPolicy(), helper("sleep", "20s"), false)
	r.waitState(t, "RUNNING", is(Running))
	if err := r.Stop(t.Context(), true); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	r.expect(t,
		"STARTING from_state:STOPPED tries:0",
		"INFO spawned: 'x' with pid PID",
		"RUNNING from_state:STARTING pid:PID",
		"INFO success: x entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)",
		"DEBG killing x (pid PID) with signal SIGTERM",
		"STOPPING from_state:RUNNING pid:PID",
		"INFO waiting for x to stop",
		"STOPPED from_state:STOPPING pid:PID",
		"WARN stopped: x (terminated by SIGTERM)",
	)
}

func TestExecStopKill(t *testing.T) {
	t.Parallel()
	p := realPolicy()
	p.StopWaitSecs = 300 * time.Millisecond
	r := runReal(t, p, helper("ignore-term", "20s"), false)
	testproc.WaitFor(t, 10*time.Second, "ready", func() bool { return r.out.String() == "ready\n" })
	if err := r.Stop(t.Context(), false); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	r.waitState(t, "STOPPED", is(Stopped))
	got := r.j.text()
	want := lines("WARN killing 'x' (PID) with SIGKILL", "DEBG killing x (pid PID) with signal SIGKILL",
		"STOPPED from_state:STOPPING pid:PID", "WARN stopped: x (terminated by SIGKILL)")
	if d := diffLines(got[len(got)-4:], want); d != "" {
		t.Errorf("journal ends:\n%s", d)
	}
}

// TestExecStopAsGroup: the stop signal reaches a grandchild in the group.
func TestExecStopAsGroup(t *testing.T) {
	t.Parallel()
	p := realPolicy()
	p.StopAsGroup = true
	r := runReal(t, p, helper("fork-child", "20s"), false)
	gpid := grandchild(t, r)
	if err := r.Stop(t.Context(), true); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	testproc.WaitFor(t, 5*time.Second, "grandchild gone", func() bool { return testproc.PIDGone(gpid) })
}

// TestExecStopLeavesGrandchild: without stopasgroup the grandchild
// survives the stop, as in the reference (#1101), and holding the output
// pipe open does not hold up the exit for more than the drain's bound.
func TestExecStopLeavesGrandchild(t *testing.T) {
	t.Parallel()
	r := runReal(t, realPolicy(), helper("fork-child", "20s"), false)
	gpid := grandchild(t, r)
	begin := time.Now()
	if err := r.Stop(t.Context(), true); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	if d := time.Since(begin); d > drainMax+time.Second {
		t.Errorf("Stop took %v with a grandchild holding the pipe; want at most about %v", d, drainIdle)
	}
	if testproc.PIDGone(gpid) {
		t.Errorf("grandchild %d is gone; want it left behind without stopasgroup", gpid)
	}
	// The cleanup kills the group and checks that it is empty.
}

func grandchild(t *testing.T, r *realProc) int {
	t.Helper()
	var gpid int
	testproc.WaitFor(t, 10*time.Second, "grandchild pid", func() bool {
		s, ok := strings.CutSuffix(r.out.String(), "\n")
		n, err := strconv.Atoi(s)
		gpid = n
		return ok && err == nil
	})
	return gpid
}

// TestExecOutputComplete: every byte is handed over before the exit is
// reported, in writes of at most 128 KiB.
func TestExecOutputComplete(t *testing.T) {
	t.Parallel()
	const n = 100000
	lineLen := len(fmt.Sprintf("line %06d 0123456789abcdefghijklmnopqrstuvwxyz\n", 0))
	for _, tt := range []struct {
		name     string
		channel  string
		redirect bool
		want     int
	}{
		{"stdout", "stdout", false, n * lineLen},
		{"both redirected", "both", true, 2 * n * lineLen},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spec := helper("print", strconv.Itoa(n), tt.channel)
			spec.RedirectStderr = tt.redirect
			r := runReal(t, realPolicy(), spec, false)
			atExit := make(chan int, 1)
			r.j.mu.Lock()
			r.j.onEnd = func(Change) { atExit <- len(r.out.String()) }
			r.j.mu.Unlock()
			r.waitState(t, "EXITED", is(Exited))
			if got := <-atExit; got != tt.want {
				t.Errorf("stdout had %d bytes when the exit was reported; want %d", got, tt.want)
			}
			if !strings.HasSuffix(r.out.String(), fmt.Sprintf("line %06d 0123456789abcdefghijklmnopqrstuvwxyz\n", n-1)) {
				t.Errorf("stdout does not end with the last line")
			}
			if r.out.maxWrite > chunkSize {
				t.Errorf("largest write = %d bytes; want at most %d", r.out.maxWrite, chunkSize)
			}
		})
	}
}

func TestExecEnvAndDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	spec := helper("env-cwd", "LANCER_TEST")
	spec.Env = []string{"LANCER_TEST=hello world", "PATH=/usr/bin:/bin"}
	spec.Dir = dir
	r := runReal(t, realPolicy(), spec, false)
	r.waitState(t, "EXITED", is(Exited))
	if got, want := r.out.String(), "hello world\n"+dir+"\n"; got != want {
		t.Errorf("child printed %q; want %q", got, want)
	}
}

func TestExecUmask(t *testing.T) {
	t.Parallel()
	spec := helper("umask")
	spec.Umask = 0o027
	r := runReal(t, realPolicy(), spec, true)
	i := r.waitState(t, "EXITED", is(Exited))
	if got := r.out.String(); got != "027\n" || i.ExitStatus != 0 {
		t.Errorf("child printed %q, exit status %d; want \"027\\n\", 0 (stderr %q)", got, i.ExitStatus, r.err.String())
	}
}

func TestExecStdin(t *testing.T) {
	t.Parallel()
	r := runReal(t, realPolicy(), helper("echo-stdin"), false)
	r.waitState(t, "RUNNING", is(Running))
	if err := r.WriteStdin(t.Context(), []byte("ping\n")); err != nil {
		t.Fatalf("WriteStdin = %v", err)
	}
	r.waitState(t, "EXITED", is(Exited))
	if got := r.out.String(); got != "ping\n" {
		t.Errorf("child echoed %q; want %q", got, "ping\n")
	}
	if err := r.WriteStdin(t.Context(), []byte("x")); !errors.Is(err, ErrNotRunning) {
		t.Errorf("WriteStdin after exit = %v; want ErrNotRunning", err)
	}
}

// TestExecSignal: signalProcess reaches the pid.
func TestExecSignal(t *testing.T) {
	t.Parallel()
	r := runReal(t, realPolicy(), helper("sleep", "20s"), false)
	r.waitState(t, "RUNNING", is(Running))
	if err := r.Signal(t.Context(), syscall.SIGHUP); err != nil {
		t.Fatalf("Signal = %v", err)
	}
	i := r.waitState(t, "EXITED", is(Exited))
	if i.ExitStatus != -1 || i.SpawnErr != "Bad exit code -1" {
		t.Errorf("Snapshot() = %+v; want killed by SIGHUP", i)
	}
	if got := r.j.text(); got[len(got)-1] != "WARN exited: x (terminated by SIGHUP; not expected)" {
		t.Errorf("last line = %q", got[len(got)-1])
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func writeFile(t *testing.T, name, text string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	return path
}
