package rpc

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/core/internal/supervisor"
)

// fakeSupervisor models the command API of *supervisor.Supervisor over a
// list of processes: the same checks and errors, state changes that take
// startsecs and stopDelay of (synctest) time, waits that block on them.
type fakeSupervisor struct {
	t  *testing.T
	mu sync.Mutex
	// changed is closed and replaced at every state change.
	changed   chan struct{}
	mood      supervisor.Mood
	procs     []*fakeProc
	available []string // groups AddGroup can add
	changes   config.Changes
	rereadErr error
	calls     []string // commands received, "stop web" ...
	panicky   bool     // Snapshot panics
}

type fakeProc struct {
	st             supervisor.ProcessStatus
	stdout, stderr *logcap.Channel
	startErr       error         // returned by StartProcess before anything (a command check)
	startsecs      time.Duration // STARTING lasts this long
	failStart      bool          // STARTING ends in BACKOFF with a spawnerr
	stopDelay      time.Duration // STOPPING lasts this long
	stdin          []byte
	stdinClosed    bool
	nextPid        int
}

func newFake(t *testing.T) *fakeSupervisor {
	return &fakeSupervisor{t: t, changed: make(chan struct{}), mood: supervisor.Running}
}

// add adds a process of group in state; it returns it for more settings.
func (f *fakeSupervisor) add(group, name string, state process.State) *fakeProc {
	p := &fakeProc{nextPid: 100 + len(f.procs)}
	p.st.Info = process.Info{Name: name, Group: group, State: state}
	p.st.Config = &config.Process{Name: name, Command: "/bin/" + name}
	p.st.GroupConfig = &config.Group{Name: group}
	if state.IsSignallable() || state == process.Backoff {
		p.st.Pid = p.nextPid
		p.st.Start = time.Now().Add(-time.Minute)
	}
	f.procs = append(f.procs, p)
	return p
}

// logs gives p stdout and stderr channels on files in a temporary
// directory, holding out and errOut.
func (p *fakeProc) logs(t *testing.T, out, errOut string) *fakeProc {
	t.Helper()
	dir := t.TempDir()
	p.st.StdoutLogfile = filepath.Join(dir, p.st.Name+".stdout.log")
	p.st.StderrLogfile = filepath.Join(dir, p.st.Name+".stderr.log")
	p.stdout = newChannel(t, p.st.StdoutLogfile, out)
	p.stderr = newChannel(t, p.st.StderrLogfile, errOut)
	return p
}

// newChannel returns a channel logging to path ("" for none) that holds
// data.
func newChannel(t *testing.T, path, data string) *logcap.Channel {
	t.Helper()
	ch, err := logcap.NewChannel(nil, logcap.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ch.Close() })
	ch.Write([]byte(data))
	return ch
}

// setState changes p's state and wakes the waiters; f.mu is held.
func (f *fakeSupervisor) setState(p *fakeProc, s process.State) {
	p.st.State = s
	close(f.changed)
	f.changed = make(chan struct{})
}

func (f *fakeSupervisor) lookup(name string) (*fakeProc, error) {
	group, proc, ok := strings.Cut(name, ":")
	if !ok {
		proc = name
	}
	for _, p := range f.procs {
		if p.st.Group == group && p.st.Name == proc {
			return p, nil
		}
	}
	return nil, fmt.Errorf("%w: %s", supervisor.ErrBadName, name)
}

func (f *fakeSupervisor) record(format string, a ...any) {
	f.calls = append(f.calls, fmt.Sprintf(format, a...))
}

// waitFor blocks until cond holds for p, or ctx ends.
func (f *fakeSupervisor) waitFor(ctx context.Context, p *fakeProc, cond func() (bool, error)) error {
	for {
		f.mu.Lock()
		done, err := cond()
		ch := f.changed
		f.mu.Unlock()
		if done || err != nil {
			return err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (f *fakeSupervisor) StartProcess(ctx context.Context, name string, wait bool) error {
	f.mu.Lock()
	p, err := f.startLocked(name)
	f.mu.Unlock()
	if err != nil || !wait {
		return err
	}
	return f.waitFor(ctx, p, func() (bool, error) {
		switch {
		case p.st.SpawnErr != "":
			return false, fmt.Errorf("start %s: %w: %s", name, process.ErrSpawn, p.st.SpawnErr)
		case p.st.State == process.Running:
			return true, nil
		case p.st.State != process.Starting:
			return false, fmt.Errorf("start %s: %w", name, process.ErrAbnormalTermination)
		}
		return false, nil
	})
}

func (f *fakeSupervisor) startLocked(name string) (*fakeProc, error) {
	if f.mood != supervisor.Running {
		return nil, supervisor.ErrShutdownState
	}
	p, err := f.lookup(name)
	switch {
	case err != nil:
		return nil, err
	case p.startErr != nil:
		return nil, p.startErr
	case p.st.State.IsRunning():
		return nil, fmt.Errorf("start %s: %w", name, process.ErrAlreadyStarted)
	}
	f.record("start %s", name)
	p.nextPid++
	p.st.Pid, p.st.Start, p.st.SpawnErr = p.nextPid, time.Now(), ""
	f.setState(p, process.Starting)
	time.AfterFunc(p.startsecs, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if p.failStart {
			p.st.Pid, p.st.SpawnErr = 0, "Exited too quickly (process log may have details)"
			f.setState(p, process.Backoff)
			return
		}
		f.setState(p, process.Running)
	})
	return p, nil
}

func (f *fakeSupervisor) StopProcess(ctx context.Context, name string, wait bool) error {
	f.mu.Lock()
	p, err := f.stopLocked(name)
	f.mu.Unlock()
	if err != nil || !wait {
		return err
	}
	return f.waitFor(ctx, p, func() (bool, error) { return p.st.State.IsStopped(), nil })
}

func (f *fakeSupervisor) stopLocked(name string) (*fakeProc, error) {
	if f.mood != supervisor.Running {
		return nil, supervisor.ErrShutdownState
	}
	p, err := f.lookup(name)
	if err != nil {
		return nil, err
	}
	if !p.st.State.IsRunning() {
		return nil, fmt.Errorf("stop %s: %w", name, process.ErrNotRunning)
	}
	f.record("stop %s", name)
	f.setState(p, process.Stopping)
	time.AfterFunc(p.stopDelay, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		p.st.Pid, p.st.Stop = 0, time.Now()
		f.setState(p, process.Stopped)
	})
	return p, nil
}

func (f *fakeSupervisor) SignalProcess(ctx context.Context, name string, sig syscall.Signal) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.mood != supervisor.Running {
		return supervisor.ErrShutdownState
	}
	p, err := f.lookup(name)
	if err != nil {
		return err
	}
	if !p.st.State.IsSignallable() {
		return fmt.Errorf("signal %s: %w", name, process.ErrNotRunning)
	}
	f.record("signal %s %d", name, sig)
	return nil
}

func (f *fakeSupervisor) WriteStdin(ctx context.Context, name string, data []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.mood != supervisor.Running {
		return supervisor.ErrShutdownState
	}
	p, err := f.lookup(name)
	switch {
	case err != nil:
		return err
	case p.st.Pid == 0 || p.st.State == process.Stopping:
		return fmt.Errorf("write stdin of %s: %w", name, process.ErrNotRunning)
	case p.stdinClosed:
		return fmt.Errorf("write stdin of %s: %w", name, process.ErrStdinClosed)
	}
	p.stdin = append(p.stdin, data...)
	return nil
}

// targets returns the processes of group name ("g", "g:", "g:*"), or all.
func (f *fakeSupervisor) targets(name string, all bool) ([]*fakeProc, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.mood != supervisor.Running {
		return nil, supervisor.ErrShutdownState
	}
	if all {
		return append([]*fakeProc(nil), f.procs...), nil
	}
	group, proc, ok := strings.Cut(name, ":")
	var out []*fakeProc
	for _, p := range f.procs {
		if p.st.Group == group {
			out = append(out, p)
		}
	}
	if out == nil || ok && proc != "" && proc != "*" {
		return nil, fmt.Errorf("%w: %s", supervisor.ErrBadName, name)
	}
	return out, nil
}

// each runs cmd on the procs that pass filter, in order.
func (f *fakeSupervisor) each(procs []*fakeProc, err error, filter func(process.State) bool,
	cmd func(name string) error) ([]supervisor.Result, error) {
	if err != nil {
		return nil, err
	}
	var res []supervisor.Result
	for _, p := range procs {
		f.mu.Lock()
		ok, st := filter(p.st.State), p.st
		f.mu.Unlock()
		if ok {
			res = append(res, supervisor.Result{Name: st.Name, Group: st.Group, Err: cmd(namespec(st.Group, st.Name))})
		}
	}
	return res, nil
}

func notRunning(s process.State) bool { return !s.IsRunning() }

func (f *fakeSupervisor) StartGroup(ctx context.Context, name string, wait bool) ([]supervisor.Result, error) {
	procs, err := f.targets(name, false)
	return f.each(procs, err, notRunning, func(n string) error { return f.StartProcess(ctx, n, wait) })
}

func (f *fakeSupervisor) StartAll(ctx context.Context, wait bool) ([]supervisor.Result, error) {
	procs, err := f.targets("", true)
	return f.each(procs, err, notRunning, func(n string) error { return f.StartProcess(ctx, n, wait) })
}

func (f *fakeSupervisor) StopGroup(ctx context.Context, name string, wait bool) ([]supervisor.Result, error) {
	procs, err := f.targets(name, false)
	return f.each(procs, err, process.State.IsRunning, func(n string) error { return f.StopProcess(ctx, n, wait) })
}

func (f *fakeSupervisor) StopAll(ctx context.Context, wait bool) ([]supervisor.Result, error) {
	procs, err := f.targets("", true)
	return f.each(procs, err, process.State.IsRunning, func(n string) error { return f.StopProcess(ctx, n, wait) })
}

func (f *fakeSupervisor) SignalGroup(ctx context.Context, name string, sig syscall.Signal) ([]supervisor.Result, error) {
	procs, err := f.targets(name, false)
	return f.each(procs, err, process.State.IsSignallable, func(n string) error { return f.SignalProcess(ctx, n, sig) })
}

func (f *fakeSupervisor) SignalAll(ctx context.Context, sig syscall.Signal) ([]supervisor.Result, error) {
	procs, err := f.targets("", true)
	return f.each(procs, err, process.State.IsSignallable, func(n string) error { return f.SignalProcess(ctx, n, sig) })
}

func (f *fakeSupervisor) Mood() supervisor.Mood {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mood
}

func (f *fakeSupervisor) moodRequest(m supervisor.Mood, what string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.mood != supervisor.Running {
		return supervisor.ErrShutdownState
	}
	f.record("%s", what)
	f.mood = m
	return nil
}

func (f *fakeSupervisor) Shutdown(context.Context) error {
	return f.moodRequest(supervisor.Shutdown, "shutdown")
}

func (f *fakeSupervisor) Restart(context.Context) error {
	return f.moodRequest(supervisor.Restarting, "restart")
}

func (f *fakeSupervisor) Reread() (config.Changes, error) { return f.changes, f.rereadErr }

func (f *fakeSupervisor) AddGroup(_ context.Context, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.procs {
		if p.st.Group == name {
			return fmt.Errorf("%w: %s", supervisor.ErrAlreadyAdded, name)
		}
	}
	for _, g := range f.available {
		if g == name {
			f.record("add %s", name)
			return nil
		}
	}
	return fmt.Errorf("%w: %s", supervisor.ErrBadName, name)
}

func (f *fakeSupervisor) RemoveGroup(_ context.Context, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	found := false
	for _, p := range f.procs {
		if p.st.Group == name {
			found = true
			if !p.st.State.IsStopped() {
				return fmt.Errorf("%w: %s", supervisor.ErrStillRunning, name)
			}
		}
	}
	if !found {
		return fmt.Errorf("%w: %s", supervisor.ErrBadName, name)
	}
	f.record("remove %s", name)
	return nil
}

func (f *fakeSupervisor) Snapshot() []supervisor.ProcessStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.panicky {
		panic("BUG: snapshot")
	}
	out := make([]supervisor.ProcessStatus, len(f.procs))
	for i, p := range f.procs {
		out[i] = p.st
	}
	return out
}

func (f *fakeSupervisor) Log(name, stream string) (*logcap.Channel, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, err := f.lookup(name)
	if err != nil {
		return nil, err
	}
	ch := p.stdout
	if stream == "stderr" {
		ch = p.stderr
	}
	if ch == nil {
		return nil, logcap.ErrNoFile
	}
	return ch, nil
}

var _ Supervisor = (*fakeSupervisor)(nil)
