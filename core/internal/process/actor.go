package process

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync/atomic"
	"syscall"
	"time"
)

// Process is the actor for one program instance. Build it with [New] and
// run it with [Process.Run]; its command methods (Start, Stop, Signal,
// Shutdown, WriteStdin) send a request to the actor and wait for the
// answer, and [Process.Snapshot] and [Process.WaitFor] read published
// snapshots without involving the actor. All methods are safe for
// concurrent use.
type Process struct {
	pol      Policy
	group    string
	spec     SpawnSpec
	spawner  Spawner
	logger   *slog.Logger
	observer func(Change)

	cmds    chan command
	done    chan struct{} // closed when Run returns
	running atomic.Bool
	cur     atomic.Pointer[snapNode]
	stdin   atomic.Pointer[stdinRef] // the live child's stdin, for WriteStdin's fast path

	// Owned by the Run goroutine.
	ctx       context.Context
	st        status
	proc      Proc
	exited    <-chan struct{} // proc's Done; nil without a child
	timer     *time.Timer
	deadlines [numTimers]time.Time
	rejected  error    // set by an actReject during the current command
	sigErr    error    // set by a failed actSignal during the current command
	changed   []status // statuses right after each change of the current feed
}

type command struct {
	in    input
	reply chan reply
}

type reply struct {
	err   error
	sig   error     // a signal that failed while handling the request
	node  *snapNode // the snapshot after the request was handled
	stdin io.Writer
}

// New returns a Process in state STOPPED for cfg, keeping copies of its
// slices. Nothing runs until [Process.Run] is called; command methods
// called before then wait for it (or for their context).
func New(cfg Config) *Process {
	p := &Process{
		pol: cfg.Policy, group: cfg.Group, spec: cfg.Spec, spawner: cfg.Spawner,
		logger: cfg.Logger, observer: cfg.Observer,
		cmds: make(chan command), done: make(chan struct{}),
	}
	p.spec.Name = cfg.Name
	p.pol.ExitCodes = slices.Clone(cfg.ExitCodes)
	p.spec.Argv, p.spec.Env = slices.Clone(cfg.Spec.Argv), slices.Clone(cfg.Spec.Env)
	if p.spawner == nil {
		p.spawner = &ExecSpawner{}
	}
	if p.logger == nil {
		p.logger = slog.New(slog.DiscardHandler)
	}
	if p.observer == nil {
		p.observer = func(Change) {}
	}
	p.cur.Store(newSnapNode(p.st.info(p.pol.Name, p.group)))
	return p
}

// Run is the actor loop. It starts the process if Policy.AutoStart is set,
// then handles commands, the child's exit and timers until ctx is done.
// The supervisor is expected to Shutdown the process and wait for a
// stopped state first; a child still alive when ctx ends is killed with
// SIGKILL to its whole process group and reaped before Run returns, so
// nothing outlives Run (no change is emitted for that). Run returns nil,
// or an error if it was already called.
func (p *Process) Run(ctx context.Context) error {
	if !p.running.CompareAndSwap(false, true) {
		return fmt.Errorf("run %s: already running", p.pol.Name)
	}
	defer close(p.done)
	p.ctx = ctx
	p.timer = time.NewTimer(time.Hour)
	p.timer.Stop()
	p.feed(input{kind: inAutostart})
	for {
		select {
		case c := <-p.cmds:
			p.handle(c)
		case <-p.exited:
			p.feed(input{kind: inExited, exit: p.reap()})
		case <-p.timer.C:
			p.fireTimers()
		case <-ctx.Done():
			p.abandon()
			return nil
		}
	}
}

// handle runs one command and answers it.
func (p *Process) handle(c command) {
	p.rejected, p.sigErr = nil, nil
	p.feed(c.in)
	r := reply{err: p.rejected, sig: p.sigErr, node: p.cur.Load()}
	if c.in.kind == inStdin && r.err == nil && p.proc != nil {
		r.stdin = p.proc.Stdin()
	}
	c.reply <- r
}

// feed runs the transition function on in and on every input that
// carrying out its actions produces. Then it publishes the status after
// each change and the final one, so that every state is seen by waiters,
// but only once the log lines and observer calls of the whole event are
// done.
func (p *Process) feed(in input) {
	queue := []input{in}
	for len(queue) > 0 {
		in, queue = queue[0], queue[1:]
		in.now = time.Now()
		var acts []action
		p.st, acts = next(p.st, in, p.pol)
		for _, a := range acts {
			if f, ok := p.do(a); ok {
				queue = append(queue, f)
			}
		}
	}
	for _, s := range p.changed {
		p.publish(s)
	}
	p.changed = p.changed[:0]
	p.publish(p.st)
}

// do carries out one action; some produce a follow-up input.
func (p *Process) do(a action) (input, bool) {
	switch a.kind {
	case actEmit:
		a.change.Name, a.change.Group = p.pol.Name, p.group
		p.observer(a.change)
		p.changed = append(p.changed, a.status)
	case actLog:
		p.logger.Log(p.ctx, a.level, a.msg)
	case actSpawn:
		return p.spawn(), true
	case actSignal:
		return p.signal(a)
	case actStartTimer:
		p.setDeadline(a.timer, time.Now().Add(a.d))
	case actCancelTimer:
		p.setDeadline(a.timer, time.Time{})
	case actReject:
		p.rejected = a.err
	}
	return input{}, false
}

func (p *Process) spawn() input {
	proc, err := p.spawner.Spawn(p.spec)
	if err != nil {
		return input{kind: inSpawnFailed, err: err.Error()}
	}
	p.proc, p.exited = proc, proc.Done()
	p.stdin.Store(&stdinRef{pid: proc.Pid(), w: proc.Stdin()})
	return input{kind: inSpawned, pid: proc.Pid()}
}

// stdinRef is a child's stdin as WriteStdin may use it without asking the
// actor: valid while the published state shows that child STARTING or
// RUNNING.
type stdinRef struct {
	pid int
	w   io.Writer
}

// reap collects the exit of the child, whose Done channel is closed, and
// forgets it.
func (p *Process) reap() ExitStatus {
	exit := p.proc.Wait()
	p.proc, p.exited = nil, nil
	return exit
}

func (p *Process) signal(a action) (input, bool) {
	if p.proc == nil {
		return input{}, false
	}
	err := p.proc.Signal(a.sig, a.group)
	if err == nil {
		return input{}, false
	}
	p.sigErr = err
	return input{kind: inSignalFailed, err: err.Error(), sig: a.sig, kill: a.kill}, true
}

// publish makes info(s) the current snapshot unless nothing changed.
func (p *Process) publish(s status) {
	old := p.cur.Load()
	info := s.info(p.pol.Name, p.group)
	if info == old.info {
		return
	}
	n := newSnapNode(info)
	old.next = n
	p.cur.Store(n)
	close(old.done)
}

// abandon kills and reaps a child left when Run ends.
func (p *Process) abandon() {
	p.timer.Stop()
	if p.proc == nil {
		return
	}
	if err := p.proc.Signal(syscall.SIGKILL, true); err != nil && !errors.Is(err, syscall.ESRCH) {
		p.logger.Log(context.WithoutCancel(p.ctx), LevelCritical,
			fmt.Sprintf("unknown problem killing %s (%d):%v", p.pol.Name, p.proc.Pid(), err))
	}
	<-p.exited
	p.reap()
}
