package supervisor

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/internal/testproc"
	"github.com/lancerhq/lancer/protocol"
)

// realSupervisor runs a Supervisor with real children: helpers of this
// test binary, started through the shim as the daemon starts them.
type realSupervisor struct {
	*Supervisor
	t       *testing.T
	tl      *timeline
	sigs    chan os.Signal
	done    chan error
	stopped bool
}

func startReal(t *testing.T, text string) *realSupervisor {
	t.Helper()
	return startRealEvents(t, text, nil)
}

// startRealEvents is startReal with every event also handed to events,
// when not nil.
func startRealEvents(t *testing.T, text string, events func(protocol.Payload)) *realSupervisor {
	t.Helper()
	return startRealConfig(t, newConfFile(t, text).load(t), events)
}

// startRealConfig is startRealEvents on a config already loaded.
func startRealConfig(t *testing.T, cfg *config.File, events func(protocol.Payload)) *realSupervisor {
	t.Helper()
	r := &realSupervisor{t: t, tl: newTimeline(), sigs: make(chan os.Signal, 4), done: make(chan error, 1)}
	running := make(chan struct{}, 1)
	s, err := New(Options{
		Config: cfg, Logger: slog.New(r.tl), Signals: r.sigs,
		Environ: childEnviron(), Spawner: shimSpawner(),
		Events: func(p protocol.Payload) {
			if events != nil {
				events(p)
			}
			if p.EventType() == protocol.SupervisorStateChangeRunning {
				running <- struct{}{}
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	r.Supervisor = s
	// Not t.Context(): its end would kill everything at once, and the
	// cleanup below shuts down the way the daemon does.
	go func() { r.done <- s.Run(context.WithoutCancel(t.Context())) }()
	<-running // the groups are published
	// Their processes are built in the background, spawns under way.
	s.view.Load().wait()
	t.Cleanup(func() {
		if !r.stopped {
			r.stop()
		}
	})
	return r
}

// stop shuts the supervisor down with SIGTERM and waits for Run.
func (r *realSupervisor) stop() {
	r.t.Helper()
	r.stopped = true
	r.sigs <- syscall.SIGTERM
	select {
	case err := <-r.done:
		if err != nil {
			r.t.Errorf("Run = %v; want nil", err)
		}
	case <-time.After(20 * time.Second):
		r.t.Fatal("Run did not return after SIGTERM")
	}
}

// wait waits until process name's snapshot satisfies cond.
func (r *realSupervisor) wait(name string, timeout time.Duration, what string, cond func(process.Info) bool) process.Info {
	r.t.Helper()
	p, err := r.view.Load().lookup(name)
	if err != nil {
		r.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(r.t.Context(), timeout)
	defer cancel()
	i, err := p.p.WaitFor(ctx, cond)
	if err != nil {
		r.t.Fatalf("waiting for %s to be %s: %v (it is %s)", name, what, err, i.State)
	}
	return i
}

// waitOutput waits until process name has written a line to stdout
// matching re, and returns the match.
func (r *realSupervisor) waitOutput(name string, re string) []string {
	r.t.Helper()
	ch, err := r.Log(name, "stdout")
	if err != nil {
		r.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(r.t.Context(), 10*time.Second)
	defer cancel()
	rx := regexp.MustCompile(re)
	f := ch.Follow(1 << 20)
	var out []byte
	for {
		if m := rx.FindStringSubmatch(string(out)); m != nil {
			return m
		}
		data, _, err := f.Next(ctx)
		if err != nil {
			r.t.Fatalf("waiting for %s to print %s: %v (got %q)", name, re, err, out)
		}
		out = append(out, data...)
	}
}

func (r *realSupervisor) logs() []string { return logsOnly(r.tl.take()) }

var spawnedRe = regexp.MustCompile(`^INFO spawned: '.*' with pid (\d+)$`)

// spawnedPids returns the pid of every spawn logged in lines.
func spawnedPids(t *testing.T, lines []string) []int {
	var pids []int
	for _, l := range lines {
		if m := spawnedRe.FindStringSubmatch(l); m != nil {
			pids = append(pids, atoi(t, m[1]))
		}
	}
	return pids
}

// assertGone checks that every process group the supervisor spawned is
// empty and that no child is left as a zombie.
func assertGone(t *testing.T, pids []int) {
	t.Helper()
	for _, pid := range pids {
		testproc.AssertGroupGone(t, pid, 5*time.Second)
	}
	zombies := zombieChildren()
	for _, pid := range pids {
		if slices.Contains(zombies, pid) || !testproc.PIDGone(pid) {
			t.Errorf("child %d was not reaped", pid)
		}
	}
}

// hasInOrder reports whether want appears in lines in order, not
// necessarily together.
func hasInOrder(lines, want []string) bool {
	i := 0
	for _, l := range lines {
		if i < len(want) && l == want[i] {
			i++
		}
	}
	return i == len(want)
}

// TestManyExitsAtOnce runs 200 children that exit together, each with
// its own status, and checks that every one is reaped and accounted for.
// The children are /bin/sh, not helpers of this binary: two hundred
// copies of a -race test binary would need gigabytes of memory.
func TestManyExitsAtOnce(t *testing.T) {
	const n = 200
	fifo := filepath.Join(t.TempDir(), "go")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// The test holds the fifo open for writing, so each child's open
	// returns at once and its read blocks until the one write below.
	w, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	r := startReal(t, fmt.Sprintf(`
[program:w]
command = /bin/sh -c "read x < %s; exit %%(process_num)d"
numprocs = %d
process_name = w%%(process_num)03d
startsecs = 0
autorestart = false
`, fifo, n))
	for i := range n {
		r.wait(fmt.Sprintf("w:w%03d", i), 20*time.Second, "RUNNING", func(i process.Info) bool { return i.State == process.Running })
	}
	if _, err := w.Write(bytes.Repeat([]byte("\n"), n)); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		info := r.wait(fmt.Sprintf("w:w%03d", i), 20*time.Second, "EXITED", func(i process.Info) bool { return i.State.IsStopped() })
		if info.State != process.Exited || info.ExitStatus != i {
			t.Errorf("w%03d ended %s with status %d; want EXITED with %d", i, info.State, info.ExitStatus, i)
		}
	}
	lines := r.logs()
	exited := 0
	for _, l := range lines {
		if strings.Contains(l, " exited: w") {
			exited++
		}
	}
	if exited != n {
		t.Errorf("%d exited lines; want %d", exited, n)
	}
	for _, want := range []string{"INFO exited: w000 (exit status 0; expected)", "WARN exited: w199 (exit status 199; not expected)"} {
		if !slices.Contains(lines, want) {
			t.Errorf("main log lacks %q", want)
		}
	}
	pids := spawnedPids(t, lines)
	if len(pids) != n {
		t.Fatalf("%d spawned lines; want %d", len(pids), n)
	}
	r.stop()
	assertGone(t, pids)
}

// TestSpawnFailures checks that commands that cannot run end in FATAL
// with the reference's spawnerr and main-log lines, never a crash.
func TestSpawnFailures(t *testing.T) {
	dir := t.TempDir()
	notExec := filepath.Join(dir, "notexec")
	if err := os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tooQuick := "Exited too quickly (process log may have details)"
	tests := []struct {
		name     string
		program  string // the rest of [program:x]
		spawnErr string
		logs     []string // in this order in the main log
		stderr   string   // the child's stderr log, if checked
	}{
		{"missing command", "command = /nonexistent/prog", "can't find command '/nonexistent/prog'",
			[]string{"INFO spawnerr: can't find command '/nonexistent/prog'", "INFO gave up: x entered FATAL state, too many start retries too quickly"}, ""},
		{"command not in PATH", "command = no-such-program-here", "can't find command 'no-such-program-here'",
			[]string{"INFO spawnerr: can't find command 'no-such-program-here'", "INFO gave up: x entered FATAL state, too many start retries too quickly"}, ""},
		{"not executable", "command = " + notExec, "command at '" + notExec + "' is not executable",
			[]string{"INFO spawnerr: command at '" + notExec + "' is not executable", "INFO gave up: x entered FATAL state, too many start retries too quickly"}, ""},
		{"missing directory", "command = " + testproc.CommandLine("exit", "0") + "\ndirectory = /nonexistent/dir", tooQuick,
			[]string{"WARN exited: x (exit status 127; not expected)", "INFO gave up: x entered FATAL state, too many start retries too quickly"},
			"supervisor: couldn't chdir to /nonexistent/dir: ENOENT\nsupervisor: child process was not spawned\n"},
		{"dies at once", "command = " + testproc.CommandLine("exit", "3"), tooQuick,
			[]string{"WARN exited: x (exit status 3; not expected)", "INFO gave up: x entered FATAL state, too many start retries too quickly"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := startReal(t, "[program:x]\nstartretries = 0\nstderr_logfile = %(here)s/x.err\n"+tt.program+"\n")
			info := r.wait("x", 10*time.Second, "FATAL", func(i process.Info) bool { return i.State == process.Fatal })
			if info.SpawnErr != tt.spawnErr {
				t.Errorf("spawnerr = %q; want %q", info.SpawnErr, tt.spawnErr)
			}
			errLog := r.Snapshot()[0].StderrLogfile
			r.stop()
			lines := r.logs()
			if !hasInOrder(lines, tt.logs) {
				t.Errorf("main log:\n\t%s\nwant in order:\n\t%s", strings.Join(lines, "\n\t"), strings.Join(tt.logs, "\n\t"))
			}
			if tt.stderr != "" {
				if b, _ := os.ReadFile(errLog); string(b) != tt.stderr {
					t.Errorf("stderr log = %q; want %q", b, tt.stderr)
				}
			}
			assertGone(t, spawnedPids(t, lines))
		})
	}
}

// TestStopEscalation checks the daemon's shutdown with real signals: a
// program that ignores SIGTERM is killed after stopwaitsecs, and
// stopasgroup reaches a grandchild. Nothing is left afterwards.
func TestStopEscalation(t *testing.T) {
	r := startReal(t, fmt.Sprintf(`
[program:stubborn]
command = %s
startsecs = 0
stopwaitsecs = 1

[program:forker]
command = %s
startsecs = 0
stopasgroup = true
`, testproc.CommandLine("ignore-term", "30s"), testproc.CommandLine("fork-child", "30s")))
	r.waitOutput("stubborn", `ready\n`)
	stubborn := r.wait("stubborn", time.Second, "up", func(i process.Info) bool { return i.Pid != 0 }).Pid
	grandchild := atoi(r.t, r.waitOutput("forker", `(\d+)\n`)[1])
	start := time.Now()
	r.stop()
	if d := time.Since(start); d < time.Second {
		t.Errorf("shutdown took %v; want at least stopwaitsecs (1s)", d)
	}
	lines := r.logs()
	pids := spawnedPids(t, lines)
	for _, want := range [][]string{
		{"WARN received SIGTERM indicating exit request", "INFO waiting for forker, stubborn to die",
			fmt.Sprintf("WARN killing 'stubborn' (%d) with SIGKILL", stubborn), "WARN stopped: stubborn (terminated by SIGKILL)"},
		{"WARN stopped: forker (terminated by SIGTERM)"},
	} {
		if !hasInOrder(lines, want) {
			t.Errorf("main log:\n\t%s\nwant in order:\n\t%s", strings.Join(lines, "\n\t"), strings.Join(want, "\n\t"))
		}
	}
	assertGone(t, pids)
	if !testproc.PIDGone(grandchild) {
		t.Errorf("grandchild %d of forker survived", grandchild)
	}
}

// TestSubreaper runs the subreaper helper: a program that forks and
// exits leaves an orphan, which the daemon adopts and reaps.
func TestSubreaper(t *testing.T) {
	dir := t.TempDir()
	cmd := testproc.Command(t, "subreaper", dir)
	cmd.Env = childEnviron()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err != nil {
		t.Fatalf("subreaper helper: %v\nstderr: %s\nmain log:\n\t%s", err, stderr.String(), strings.Join(lines, "\n\t"))
	}
	b, err := os.ReadFile(filepath.Join(dir, "forker.log"))
	if err != nil {
		t.Fatal(err)
	}
	orphan := atoi(t, string(b))
	pids := spawnedPids(t, lines)
	if len(pids) != 1 {
		t.Fatalf("main log:\n\t%s\nwant one spawn", strings.Join(lines, "\n\t"))
	}
	want := []string{
		fmt.Sprintf("INFO spawned: 'forker' with pid %d", pids[0]),
		"INFO exited: forker (exit status 0; expected)",
		fmt.Sprintf("INFO reaped unknown pid %d (exit status 0)", orphan),
	}
	if !hasInOrder(lines, want) {
		t.Errorf("main log:\n\t%s\nwant in order:\n\t%s", strings.Join(lines, "\n\t"), strings.Join(want, "\n\t"))
	}
	testproc.AssertGroupGone(t, pids[0], 5*time.Second)
	if !testproc.PIDGone(orphan) {
		t.Errorf("orphan %d still exists", orphan)
	}
}

// TestOutputEventPID: PROCESS_COMMUNICATION and PROCESS_LOG events name
// the pid of the child that wrote the output, as the reference's do, for
// a child that writes at once and exits. The pid comes with the output
// from the spawner, not from the published state, which a quick child's
// output can reach before its STARTING state is.
func TestOutputEventPID(t *testing.T) {
	t.Parallel()
	const runs = 10
	var mu sync.Mutex
	var got []string
	r := startRealEvents(t, `
[program:x]
command = printf "<!--XSUPERVISOR:BEGIN-->hello<!--XSUPERVISOR:END-->"
startsecs = 0
startretries = 0
autorestart = true
stdout_capture_maxbytes = 1KB
stdout_events_enabled = true
`, func(p protocol.Payload) {
		switch p := p.(type) {
		case protocol.ProcessCommunication:
			mu.Lock()
			got = append(got, fmt.Sprintf("comm %d %s", p.PID, p.Data))
			mu.Unlock()
		case protocol.ProcessLog:
			mu.Lock()
			got = append(got, fmt.Sprintf("log %d %s", p.PID, p.Data))
			mu.Unlock()
		}
	})
	testproc.WaitFor(t, 20*time.Second, fmt.Sprintf("%d runs' events", runs), func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) >= 2*runs
	})
	r.stop()
	pids := spawnedPids(t, r.logs())
	mu.Lock()
	defer mu.Unlock()
	var want []string
	for _, pid := range pids[:runs] {
		want = append(want, fmt.Sprintf("log %d hello", pid), fmt.Sprintf("comm %d hello", pid))
	}
	if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
		t.Errorf("output events:\n\t%s\nwant first:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
