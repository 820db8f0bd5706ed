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
// start it with [Process.Go] (or [Process.Run]); its command methods
// (Start, Stop, Signal, Shutdown, WriteStdin) send a request to the actor
// and wait for the answer, and [Process.Snapshot] and [Process.WaitFor]
// read published snapshots without involving the actor. All methods are
// safe for concurrent use.
//
// The actor runs only while it has work. Commands, the child's exit,
// timers and End are messages in a mailbox; whoever
// posts to an idle mailbox starts a goroutine that handles messages in
// order until none is left, then ends. One goroutine at most handles a
// Process's messages at any time, and the mailbox's lock orders one
// handler's writes before the next one's reads, so the fields below are
// still owned by a single goroutine at a time. A process waiting for its
// child, which is most of them most of the time, costs no goroutine and
// no stack (500 programs: about 4 MB of stacks less than a goroutine
// parked in select for each).
type Process struct {
	pol      Policy
	group    string
	spec     SpawnSpec
	spawner  Spawner
	logger   *slog.Logger
	observer func(Change)

	done  chan struct{} // closed when the actor has ended
	cur   atomic.Pointer[snapNode]
	stdin atomic.Pointer[stdinRef] // the live child's stdin, for WriteStdin's fast path

	box   mailbox
	clock *Clock
	tick  clockItem // guarded by clock.mu

	// Owned by the goroutine handling messages.
	ended     func() // called once the actor has ended
	ending    bool   // End was called: the child is being killed
	st        status
	proc      Proc // the child; nil without one
	deadlines [numTimers]time.Time
}

type command struct {
	in    input
	reply chan reply
	taken atomic.Bool // by the actor to handle it, or by the caller to withdraw it
}

type reply struct {
	err   error
	sig   error     // a signal that failed while handling the request
	node  *snapNode // the snapshot after the request was handled
	stdin io.Writer
}

// New returns a Process in state STOPPED for cfg, keeping copies of its
// slices. Nothing runs until [Process.Go] is called; command methods
// called before then wait for it (or for their context).
func New(cfg Config) *Process {
	p := &Process{
		pol: cfg.Policy, group: cfg.Group, spec: cfg.Spec, spawner: cfg.Spawner,
		logger: cfg.Logger, observer: cfg.Observer,
		done: make(chan struct{}), clock: cfg.Clock, tick: clockItem{index: -1},
	}
	if p.clock == nil {
		p.clock = &Clock{}
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

// Go starts the actor and returns: it starts the process if
// Policy.AutoStart is set, then handles commands, the child's exit and
// timers until [Process.End] is called. Then ended, if not nil, is
// called, and Done is closed. Go returns an error if it was already
// called.
func (p *Process) Go(ended func()) error {
	if !p.box.open() {
		return fmt.Errorf("run %s: already running", p.pol.Name)
	}
	p.ended = ended
	go func() {
		p.feed(input{kind: inAutostart})
		p.drain()
	}()
	return nil
}

// End ends the actor. The supervisor is expected to Shutdown the process
// and wait for a stopped state first; a child still alive is killed with
// SIGKILL to its whole process group and reaped before the actor ends, so
// nothing outlives it (no change is emitted for that). End returns at
// once; Done is closed when the actor has ended.
func (p *Process) End() { p.post(message{kind: msgEnd}, false) }

// Run is [Process.Go], with [Process.End] called when ctx ends, followed
// by waiting for the actor to end.
func (p *Process) Run(ctx context.Context) error {
	if err := p.Go(nil); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, p.End)
	defer stop()
	<-p.done
	return nil
}

// Done is closed once the actor has ended.
func (p *Process) Done() <-chan struct{} { return p.done }

// post queues m and, if the actor is idle, starts handling messages:
// in the calling goroutine when inline is set (a goroutine of its own,
// such as a timer's), otherwise in a new one.
func (p *Process) post(m message, inline bool) {
	if !p.box.put(m) {
		return
	}
	if inline {
		p.drain()
		return
	}
	go p.drain()
}

// drain handles messages until the mailbox is empty.
func (p *Process) drain() {
	for {
		m, ok := p.box.take()
		if !ok {
			return
		}
		p.receive(m)
	}
}

// receive handles one message.
func (p *Process) receive(m message) {
	switch m.kind {
	case msgCommand:
		// A command that arrives while the actor ends is not answered:
		// its caller sees Done closed.
		if m.cmd.taken.CompareAndSwap(false, true) && !p.ending {
			p.handle(m.cmd)
		}
	case msgExit:
		exit := p.reap()
		if p.ending {
			p.finish()
			return
		}
		p.feed(input{kind: inExited, exit: exit})
	case msgTimer:
		if !p.ending {
			p.fireTimers()
		}
	case msgEnd:
		p.abandon()
	}
}

// handle runs one command and answers it.
func (p *Process) handle(c *command) {
	out := p.feed(c.in)
	r := reply{err: out.rejected, sig: out.sigErr, node: p.cur.Load()}
	if c.in.kind == inStdin && r.err == nil && p.proc != nil {
		r.stdin = p.proc.Stdin()
	}
	c.reply <- r
}

// outcome is what carrying out the actions of one event produced besides
// the new state: what a command's caller is told, and the statuses right
// after each change, to publish.
type outcome struct {
	rejected error // from an actReject
	sigErr   error // from a failed actSignal
	changed  []status
}

// feed runs the transition function on in and on every input that
// carrying out its actions produces. Then it publishes the status after
// each change and the final one, so that every state is seen by waiters,
// but only once the log lines and observer calls of the whole event are
// done.
func (p *Process) feed(in input) outcome {
	var out outcome
	queue := []input{in}
	for len(queue) > 0 {
		in, queue = queue[0], queue[1:]
		in.now = time.Now()
		var acts []action
		p.st, acts = next(p.st, in, p.pol)
		for _, a := range acts {
			if f, ok := p.do(a, &out); ok {
				queue = append(queue, f)
			}
		}
	}
	for _, s := range out.changed {
		p.publish(s)
	}
	p.publish(p.st)
	out.changed = nil
	return out
}

// do carries out one action, recording in out what it produced; some
// actions produce a follow-up input.
func (p *Process) do(a action, out *outcome) (input, bool) {
	switch a.kind {
	case actEmit:
		a.change.Name, a.change.Group = p.pol.Name, p.group
		p.observer(a.change)
		out.changed = append(out.changed, a.status)
	case actLog:
		p.logger.Log(context.Background(), a.level, a.msg)
	case actSpawn:
		return p.spawn(), true
	case actSignal:
		return p.signal(a, out)
	case actStartTimer:
		p.setDeadline(a.timer, time.Now().Add(a.d))
	case actCancelTimer:
		p.setDeadline(a.timer, time.Time{})
	case actReject:
		out.rejected = a.err
	}
	return input{}, false
}

func (p *Process) spawn() input {
	proc, err := p.spawner.Spawn(p.spec)
	if err != nil {
		return input{kind: inSpawnFailed, err: err.Error()}
	}
	p.proc = proc
	proc.OnExit(func() { p.post(message{kind: msgExit}, false) })
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

// reap collects the exit of the child, which has been reported by its
// OnExit, and forgets it.
func (p *Process) reap() ExitStatus {
	exit := p.proc.Wait()
	p.proc = nil
	return exit
}

func (p *Process) signal(a action, out *outcome) (input, bool) {
	if p.proc == nil {
		return input{}, false
	}
	err := p.proc.Signal(a.sig, a.group)
	if err == nil {
		return input{}, false
	}
	out.sigErr = err
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

// abandon kills a child left when the actor is ended; the actor ends once
// it is reaped, or at once without one.
func (p *Process) abandon() {
	if p.ending {
		return
	}
	p.ending = true
	p.clock.clear(p)
	if p.proc == nil {
		p.finish()
		return
	}
	if err := p.proc.Signal(syscall.SIGKILL, true); err != nil && !errors.Is(err, syscall.ESRCH) {
		p.logger.Log(context.Background(), LevelCritical,
			fmt.Sprintf("unknown problem killing %s (%d):%v", p.pol.Name, p.proc.Pid(), err))
	}
}

// finish ends the actor.
func (p *Process) finish() {
	if p.ended != nil {
		p.ended()
	}
	close(p.done)
}
