package process

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// script is what one fake child does.
type script struct {
	spawnErr   string        // Spawn fails with this message
	exitAfter  time.Duration // exit on its own after this; 0: only by signal
	code       int           // ... with this code
	ignoreTerm bool          // survive every signal but SIGKILL
	unkillable bool          // survive SIGKILL to the pid too (only a group kill ends it)
	signalErr  error         // Signal fails with this
}

// fakeSpawner plays scripts, one per spawn, the last one repeating. Pids
// count from 101.
type fakeSpawner struct {
	mu      sync.Mutex
	scripts []script
	procs   []*fakeProc
	check   error // returned by Check
}

func (s *fakeSpawner) Check(SpawnSpec) error { return s.check }

func (s *fakeSpawner) Spawn(SpawnSpec) (Proc, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.procs)
	sc := s.scripts[min(n, len(s.scripts)-1)]
	if sc.spawnErr != "" {
		s.procs = append(s.procs, nil)
		return nil, &SpawnError{Msg: sc.spawnErr, Err: ErrNotFound}
	}
	p := &fakeProc{pid: 101 + n, sc: sc, done: make(chan struct{})}
	if sc.exitAfter > 0 {
		p.mu.Lock()
		p.timer = time.AfterFunc(sc.exitAfter, func() { p.exit(code(sc.code)) })
		p.mu.Unlock()
	}
	s.procs = append(s.procs, p)
	return p, nil
}

func (s *fakeSpawner) proc(i int) *fakeProc {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.procs[i]
}

type fakeProc struct {
	pid    int
	sc     script
	timer  *time.Timer
	done   chan struct{}
	onExit exitHook
	stdin  bytes.Buffer

	mu      sync.Mutex
	signals []string
	status  ExitStatus
	exited  bool
}

func (p *fakeProc) Pid() int { return p.pid }

func (p *fakeProc) Done() <-chan struct{} { return p.done }

func (p *fakeProc) Stdin() io.Writer { return lockedWriter{&p.mu, &p.stdin} }

func (p *fakeProc) OnExit(f func()) { p.onExit.set(f) }

func (p *fakeProc) exit(e ExitStatus) {
	p.mu.Lock()
	if p.exited {
		p.mu.Unlock()
		return
	}
	p.exited, p.status = true, e
	if p.timer != nil {
		p.timer.Stop()
	}
	close(p.done)
	p.mu.Unlock()
	p.onExit.fire()
}

func (p *fakeProc) Signal(sig syscall.Signal, group bool) error {
	p.mu.Lock()
	s := SignalName(sig)
	if group {
		s += " group"
	}
	p.signals = append(p.signals, s)
	p.mu.Unlock()
	switch {
	case p.sc.signalErr != nil:
		return p.sc.signalErr
	case sig == syscall.SIGKILL && (group || !p.sc.unkillable):
		p.exit(killed(sig))
	case !p.sc.ignoreTerm && !p.sc.unkillable:
		p.exit(killed(sig))
	}
	return nil
}

func (p *fakeProc) Wait() ExitStatus {
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status
}

func (p *fakeProc) received() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.signals...)
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// recorder is one timeline of changes and log lines, stamped with the
// (fake) time since t0: "1s RUNNING from_state:STARTING pid:101", "1s INFO
// success: ...".
type recorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *recorder) add(t time.Time, s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, fmt.Sprintf("%v %s", t.Sub(t0), s))
}

func (r *recorder) observe(c Change) {
	if c.Name != "x" || c.Group != "g" {
		panic("BUG: change without name or group: " + payload(c))
	}
	r.add(c.Time, payload(c))
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.lines
	r.lines = nil
	return l
}

// The recorder is its own slog.Handler, so log lines and changes share
// one ordered timeline.
func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.add(rec.Time, levelNames[rec.Level]+" "+rec.Message)
	return nil
}
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *recorder) WithGroup(string) slog.Handler      { return r }

// actor runs a Process with a fake spawner inside the current synctest
// bubble. stop cancels Run and waits for it.
type actor struct {
	*Process
	rec  *recorder
	fake *fakeSpawner
	stop func()
}

func startActor(t *testing.T, p Policy, scripts ...script) *actor {
	t.Helper()
	a := &actor{rec: &recorder{}, fake: &fakeSpawner{scripts: scripts}}
	a.Process = New(Config{
		Policy: p, Group: "g", Spawner: a.fake,
		Logger: slog.New(a.rec), Observer: a.rec.observe,
	})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- a.Run(ctx) }()
	a.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v; want nil", err)
		}
	}
	return a
}

// expect compares the timeline so far with want and clears it.
func (a *actor) expect(t *testing.T, want ...string) {
	t.Helper()
	if d := diffLines(a.rec.take(), want); d != "" {
		t.Errorf("timeline:\n%s", d)
	}
}

func sinceT0() time.Duration { return time.Since(t0) }

// utc drops the location and monotonic reading of Info's times, so that
// Infos compare with ==.
func utc(i Info) Info {
	i.Start, i.Stop = i.Start.UTC(), i.Stop.UTC()
	return i
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s = %v; want %v", what, err, want)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
