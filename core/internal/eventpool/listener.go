package eventpool

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"syscall"

	"github.com/lancerhq/lancer/core/internal/events"
	"github.com/lancerhq/lancer/core/internal/process"
)

// listener is the pool's view of one listener process. Run's goroutine
// owns it.
type listener struct {
	name     string
	proc     process.State // the process state, from ProcessChanged
	pr       proto         // the protocol state and stdout parser
	inflight events.Item   // the event sent and not yet answered; Event nil if none
	sentID   uint64        // the write that carried inflight
	writing  uint64        // the write in progress, 0 if none
	deaf     bool          // a write failed: no events until the next spawn
	ctx      context.Context
	cancel   context.CancelFunc // ends ctx, and the writes of this run, at exit
	writes   chan write         // to the writer goroutine; one write at a time
	buf      bytes.Buffer       // the envelope being written
}

// write is one envelope for a listener's writer goroutine.
type write struct {
	ctx  context.Context
	id   uint64
	data []byte
}

func newListener(name string) *listener {
	return &listener{name: name, pr: newProto(), writes: make(chan write, 1), cancel: func() {}}
}

// respawn starts a new run: the reference builds a new dispatcher per
// spawn, so the listener is ACKNOWLEDGED again, whatever state it was in.
func (l *listener) respawn(parent context.Context) {
	l.cancel()
	l.ctx, l.cancel = context.WithCancel(parent)
	l.pr = newProto()
	l.deaf = false
}

// dispatchable reports whether l can take an event now: its process is
// RUNNING (not STARTING: nothing is sent during startsecs) and it is READY.
func (l *listener) dispatchable() bool {
	return l.proc == process.Running && l.pr.state == Ready && l.writing == 0 && !l.deaf
}

// changed applies a process state change of l.
func (p *Pool) changed(ctx context.Context, l *listener, c process.Change) {
	l.proc = c.To
	switch c.To {
	case process.Starting:
		p.rejectInflight(l) // only if an exit went unreported
		l.respawn(ctx)
	case process.Running, process.Stopping, process.Unknown:
		// The child lives on; while STOPPING it may still answer.
	default:
		// BACKOFF, EXITED, STOPPED, FATAL: the child is gone. An event
		// it had not answered is rejected and sent again (process.py
		// finish() notifies EventRejectedEvent).
		l.cancel()
		p.rejectInflight(l)
	}
}

// rejectInflight puts l's unanswered event back at the head of the
// buffer.
func (p *Pool) rejectInflight(l *listener) {
	if it := l.inflight; it.Event != nil {
		l.inflight = events.Item{}
		p.q.Reject(it)
	}
}

// output parses a chunk of l's stdout and acts on what it says.
func (p *Pool) output(l *listener, data []byte) {
	p.steps = l.pr.feed(data, p.steps[:0])
	for _, s := range p.steps {
		p.apply(l, s)
	}
}

// apply logs one protocol step as the reference's dispatcher does and
// settles the event in flight.
func (p *Pool) apply(l *listener, s step) {
	switch s.kind {
	case stepResult:
		if !s.ok {
			p.logf(slog.LevelWarn, "%s: event was rejected", l.name)
		} else if p.debug() {
			p.logf(slog.LevelDebug, "%s: event was processed", l.name)
		}
		p.transition(l, s)
		p.settle(l, s.ok)
	case stepBadLine:
		p.logf(slog.LevelWarn, "%s: bad result line: '%s'", l.name, events.DecodeOutput(s.line))
		p.transition(l, s)
		p.settle(l, false)
	default:
		p.transition(l, s)
	}
	if s.to == Unknown {
		p.requestRestart(l)
	}
}

// transition logs a listener state change as _change_listener_state does.
func (p *Pool) transition(l *listener, s step) {
	if p.debug() {
		p.logf(slog.LevelDebug, "%s: %s -> %s", l.name, s.from, s.to)
	}
	if s.to == Unknown {
		p.logf(slog.LevelWarn, "%s: has entered the UNKNOWN state and will no longer receive events, "+
			"this usually indicates the process violated the eventlistener protocol", l.name)
	}
}

// settle ends the event in flight: delivered if ok, else rejected and
// re-buffered at the head with its serials.
func (p *Pool) settle(l *listener, ok bool) {
	it := l.inflight
	if it.Event == nil {
		return
	}
	l.inflight = events.Item{}
	if ok {
		p.q.Ack(it)
	} else {
		p.q.Reject(it)
	}
}

// requestRestart asks the supervisor to restart a listener that entered
// UNKNOWN, where the reference would leave it deaf until someone restarts
// it by hand.
func (p *Pool) requestRestart(l *listener) {
	if p.restart == nil || (l.proc != process.Running && l.proc != process.Starting) {
		return
	}
	p.logf(slog.LevelInfo, "%s: restarting the event listener, which is in the UNKNOWN state", l.name)
	go p.restart(l.name)
}

// sent takes the outcome of a Send. A failed write leaves the listener
// READY, as in the reference, but deaf until it respawns (the reference
// tries it again at every loop); the event goes back to the head for the
// next READY listener.
func (p *Pool) sent(l *listener, id uint64, err error) {
	if id == l.writing {
		l.writing = 0
	}
	if err == nil || l.inflight.Event == nil || l.sentID != id {
		return
	}
	it := l.inflight
	l.inflight = events.Item{}
	if errors.Is(err, process.ErrStdinClosed) || errors.Is(err, syscall.EPIPE) {
		p.logf(slog.LevelDebug, "epipe occurred while sending event %d to listener %s, listener state unchanged",
			it.Event.Serial, l.name)
	} else {
		p.logf(slog.LevelDebug, "could not send event %d to listener %s: %v", it.Event.Serial, l.name, err)
	}
	l.pr.unsent()
	l.deaf = true
	p.q.Requeue(it)
}
