package process

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

// Snapshot returns the latest published state of the process. It never
// waits for the actor.
func (p *Process) Snapshot() Info { return p.cur.Load().info }

// Start starts the process, as supervisord's startProcess does (reference
// §2.5). The command is checked first when the Spawner is a [Checker]: a
// [*SpawnError] wrapping [ErrNotFound] or [ErrNotExecutable] then comes
// back with no state change. In STARTING, RUNNING or BACKOFF it returns
// [ErrAlreadyStarted], in UNKNOWN [ErrUnknownState]. A spawn that fails at
// once returns [ErrSpawn]. Without wait Start returns once the child is
// spawned; with wait it returns nil when the process reaches RUNNING,
// [ErrSpawn] if a spawnerr appears first (such as an exit within
// startsecs), or [ErrAbnormalTermination] if it leaves STARTING and
// RUNNING without one.
func (p *Process) Start(ctx context.Context, wait bool) error {
	if c, ok := p.spawner.(Checker); ok {
		if err := c.Check(p.spec); err != nil {
			return err
		}
	}
	r, err := p.call(ctx, input{kind: inStart})
	if err != nil {
		return err
	}
	if r.err != nil {
		return fmt.Errorf("start %s: %w", p.pol.Name, r.err)
	}
	if i := r.node.info; i.SpawnErr != "" || !wait {
		return p.spawnResult(i)
	}
	_, err = p.walk(ctx, r.node, func(i Info) (bool, error) {
		return i.State == Running, p.startResult(i)
	})
	return err
}

// startResult is startProcess's deferred check of a snapshot.
func (p *Process) startResult(i Info) error {
	if err := p.spawnResult(i); err != nil {
		return err
	}
	if i.State != Starting && i.State != Running {
		return fmt.Errorf("start %s: %w", p.pol.Name, ErrAbnormalTermination)
	}
	return nil
}

func (p *Process) spawnResult(i Info) error {
	if i.SpawnErr != "" {
		return fmt.Errorf("start %s: %w: %s", p.pol.Name, ErrSpawn, i.SpawnErr)
	}
	return nil
}

// Stop stops the process, as stopProcess does: in BACKOFF it is STOPPED at
// once; in STARTING or RUNNING it is sent its stop signal (SIGKILL follows
// after stopwaitsecs); otherwise Stop returns [ErrNotRunning]. A signal
// that fails is returned, the process then being UNKNOWN. With wait, Stop
// returns when the process is in a stopped state, and the main log says
// "waiting for x to stop" meanwhile, every two seconds.
func (p *Process) Stop(ctx context.Context, wait bool) error {
	r, err := p.call(ctx, input{kind: inStop, wait: wait})
	if err != nil {
		return err
	}
	if r.err != nil {
		return fmt.Errorf("stop %s: %w", p.pol.Name, r.err)
	}
	if r.sig != nil {
		return fmt.Errorf("stop %s: %w", p.pol.Name, r.sig)
	}
	if !wait {
		return nil
	}
	_, err = p.walk(ctx, r.node, func(i Info) (bool, error) { return i.State.IsStopped(), nil })
	return err
}

// Signal sends sig to the process's pid (not its group), as signalProcess
// does, with no state change. Outside STARTING, RUNNING and STOPPING it
// returns [ErrNotRunning].
func (p *Process) Signal(ctx context.Context, sig syscall.Signal) error {
	r, err := p.call(ctx, input{kind: inSignal, sig: sig})
	if err != nil {
		return err
	}
	if r.err == nil {
		r.err = r.sig
	}
	if r.err != nil {
		return fmt.Errorf("signal %s: %w", p.pol.Name, r.err)
	}
	return nil
}

// Shutdown tells the process that the daemon is stopping or reloading, as
// the reference's stop_all does: RUNNING and STARTING are stopped,
// BACKOFF becomes FATAL, and the process never spawns again. It returns
// once that is under way; wait for a stopped state with WaitFor.
func (p *Process) Shutdown(ctx context.Context) error {
	r, err := p.call(ctx, input{kind: inShutdown})
	if err == nil && r.sig != nil {
		err = fmt.Errorf("shutdown %s: %w", p.pol.Name, r.sig)
	}
	return err
}

// WaitFor returns the first snapshot, from the current one on, for which
// cond holds. It returns ctx's error when ctx ends first, and [ErrClosed]
// when Run has returned.
func (p *Process) WaitFor(ctx context.Context, cond func(Info) bool) (Info, error) {
	return p.walk(ctx, p.cur.Load(), func(i Info) (bool, error) { return cond(i), nil })
}

// WriteStdin writes data to the child's standard input, as
// sendProcessStdin does. Without a live child, or while it is being
// stopped, it returns [ErrNotRunning]; if the child's stdin is closed,
// [ErrStdinClosed]. The write happens in the caller's goroutine and ends
// early, with ctx's error, when ctx does.
func (p *Process) WriteStdin(ctx context.Context, data []byte) error {
	w, err := p.stdinWriter(ctx)
	if err != nil {
		return err
	}
	return p.writeTo(ctx, w, data)
}

// stdinWriter returns the live child's stdin. While the published state
// shows the child that spawned it STARTING or RUNNING it needs no trip to
// the actor: an event listener is written to for every event.
func (p *Process) stdinWriter(ctx context.Context) (io.Writer, error) {
	if ref, i := p.stdin.Load(), p.Snapshot(); ref != nil && ref.w != nil && ref.pid == i.Pid &&
		(i.State == Starting || i.State == Running) {
		return ref.w, nil
	}
	r, err := p.call(ctx, input{kind: inStdin})
	if err != nil {
		return nil, err
	}
	if r.err == nil && r.stdin == nil {
		r.err = ErrStdinClosed
	}
	if r.err != nil {
		return nil, fmt.Errorf("write stdin of %s: %w", p.pol.Name, r.err)
	}
	return r.stdin, nil
}

// writeTo writes data to a child's stdin, ending early with ctx.
func (p *Process) writeTo(ctx context.Context, w io.Writer, data []byte) error {
	if d, ok := w.(interface{ SetWriteDeadline(time.Time) error }); ok {
		_ = d.SetWriteDeadline(time.Time{})
		stop := context.AfterFunc(ctx, func() { _ = d.SetWriteDeadline(time.Unix(1, 0)) })
		defer stop()
	}
	_, err := w.Write(data)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.EPIPE), errors.Is(err, os.ErrClosed):
		return fmt.Errorf("write stdin of %s: %w", p.pol.Name, ErrStdinClosed)
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return fmt.Errorf("write stdin of %s: %w", p.pol.Name, err)
}

// call sends a command to the actor and waits for its answer. A command
// the actor has not taken yet when ctx ends is withdrawn; one it has taken
// is answered, as if it had come first.
func (p *Process) call(ctx context.Context, in input) (reply, error) {
	c := &command{in: in, reply: make(chan reply, 1)}
	p.post(message{kind: msgCommand, cmd: c}, false)
	select {
	case r := <-c.reply:
		return r, nil
	case <-p.done:
		return p.closedReply(c)
	case <-ctx.Done():
		if c.taken.CompareAndSwap(false, true) {
			return reply{}, ctx.Err()
		}
	}
	select {
	case r := <-c.reply:
		return r, nil
	case <-p.done:
		return p.closedReply(c)
	}
}

// closedReply is c's answer once the actor has ended: the one it gave
// before it ended, or ErrClosed.
func (p *Process) closedReply(c *command) (reply, error) {
	select {
	case r := <-c.reply:
		return r, nil
	default:
		return reply{}, ErrClosed
	}
}

// walk follows the snapshot chain from n until check reports done or an
// error.
func (p *Process) walk(ctx context.Context, n *snapNode, check func(Info) (bool, error)) (Info, error) {
	for {
		if ok, err := check(n.info); ok || err != nil {
			return n.info, err
		}
		select {
		case <-n.done:
			n = n.next
		case <-ctx.Done():
			return n.info, ctx.Err()
		case <-p.done:
			select {
			case <-n.done: // published before Run returned
				n = n.next
			default:
				return n.info, ErrClosed
			}
		}
	}
}
