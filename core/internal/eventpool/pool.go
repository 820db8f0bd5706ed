package eventpool

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"unicode"

	"github.com/lancerhq/lancer/core/internal/events"
	"github.com/lancerhq/lancer/core/internal/process"
)

// Options configure a [Pool].
type Options struct {
	// Queue is the pool's event buffer, from events.Bus.Subscribe with
	// the pool's events= types and buffer_size. Its name is the pool
	// name of the envelope.
	Queue *events.Queue

	// Identifier is the [supervisord] identifier, the envelope's server
	// token.
	Identifier string

	// Listeners are the names of the pool's processes in config order
	// (process_name expanded over numprocs): events go to the first one
	// that can take them.
	Listeners []string

	// Send writes an envelope to a listener's stdin, as
	// process.Process.WriteStdin does. It is called from a goroutine of
	// the listener's own, one call at a time per listener, and must not
	// keep data after it returns. ctx ends when the listener's process
	// exits or the pool stops, and Send must then return soon: Run waits
	// for it. An error (a closed stdin, EPIPE, a
	// process not running) puts the event back at the head of the buffer
	// for the next READY listener.
	Send func(ctx context.Context, name string, data []byte) error

	// Restart, when not nil, is called with the name of a listener that
	// has entered the UNKNOWN state while its process runs; it should
	// stop and start that process, as supervisorctl restart does. It is
	// called in a goroutine of its own. The reference leaves such a
	// listener running forever without events; nil keeps that behaviour.
	Restart func(name string)

	// Logger writes the main log's lines about the pool; nil discards.
	Logger *slog.Logger
}

// Pool runs the event listener protocol for one [eventlistener:x] pool:
// it tracks each listener's protocol state from its stdout and its
// process state, and sends each buffered event to the first listener that
// is RUNNING and READY. Build it with [New] and run it with [Pool.Run].
// Its methods are safe for concurrent use; Run's goroutine owns the
// pool's state.
type Pool struct {
	q       *events.Queue
	server  string
	send    func(ctx context.Context, name string, data []byte) error
	restart func(name string)
	log     *slog.Logger

	in     chan message
	done   chan struct{}
	byName map[string]int
	ls     []*listener // owned by Run's goroutine
	steps  []step      // scratch for proto.feed
	ids    uint64      // the last write id given
}

// message is one input to the pool's goroutine.
type message struct {
	kind   msgKind
	l      int            // listener index
	data   []byte         // msgOutput
	change process.Change // msgChange
	id     uint64         // msgSent
	err    error          // msgSent
}

type msgKind int

const (
	msgOutput msgKind = iota // bytes the listener wrote on stdout
	msgChange                // the listener's process changed state
	msgSent                  // a Send returned
)

// inboxSize lets stdout chunks and state changes queue briefly while the
// pool's goroutine handles the previous one.
const inboxSize = 64

// New checks opts and returns a Pool; nothing runs until [Pool.Run].
func New(opts Options) (*Pool, error) {
	if opts.Queue == nil || opts.Send == nil {
		return nil, errors.New("eventpool: Queue and Send are required")
	}
	name := opts.Queue.Name()
	for _, v := range []string{name, opts.Identifier} {
		if v == "" || strings.IndexFunc(v, unicode.IsSpace) >= 0 {
			return nil, fmt.Errorf("pool %s: %q cannot be an envelope token", name, v)
		}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	p := &Pool{
		q: opts.Queue, server: opts.Identifier, send: opts.Send, restart: opts.Restart, log: opts.Logger,
		in: make(chan message, inboxSize), done: make(chan struct{}), byName: make(map[string]int),
	}
	for i, n := range opts.Listeners {
		if _, dup := p.byName[n]; dup {
			return nil, fmt.Errorf("pool %s: listener %s listed twice", name, n)
		}
		p.byName[n] = i
		p.ls = append(p.ls, newListener(n))
	}
	return p, nil
}

// Name returns the pool's name.
func (p *Pool) Name() string { return p.q.Name() }

// Output returns the writer that the listener's stdout is to be copied
// into (alongside its stdout log): the pool reads the READY and RESULT
// tokens from it. Write copies the bytes and always succeeds; it waits
// only while the pool's goroutine catches up, and not at all once Run has
// returned. For a name that is not in the pool it returns io.Discard.
func (p *Pool) Output(name string) io.Writer {
	i, ok := p.byName[name]
	if !ok {
		return io.Discard
	}
	return output{p: p, l: i}
}

type output struct {
	p *Pool
	l int
}

func (o output) Write(b []byte) (int, error) {
	o.p.post(message{kind: msgOutput, l: o.l, data: bytes.Clone(b)})
	return len(b), nil
}

// ProcessChanged tells the pool that a listener's process changed state;
// call it from the process's observer, in order. A spawn (STARTING)
// resets the listener to ACKNOWLEDGED; an exit while BUSY rejects the
// event in flight, which is sent again. Changes of processes not in the
// pool are ignored.
//
// The process package reports STARTING before the child can write and
// an exit only after its output is drained, so as long as stdout chunks
// go through [Pool.Output] from the pipe's reader, the pool sees each
// run's output between its STARTING and its exit.
func (p *Pool) ProcessChanged(c process.Change) {
	if i, ok := p.byName[c.Name]; ok {
		p.post(message{kind: msgChange, l: i, change: c})
	}
}

// post hands m to Run's goroutine, or drops it once Run has returned.
// Before Run starts it waits once inboxSize messages are queued: start
// Run before the pool's listeners.
func (p *Pool) post(m message) {
	select {
	case p.in <- m:
	case <-p.done:
	}
}

// Run runs the pool until ctx ends, then returns nil. Call it once, before
// the listeners' processes start. Events stay buffered in the Queue until
// a listener can take them; unsubscribing the Queue from the bus is the
// caller's business.
func (p *Pool) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
		close(p.done)
	}()
	for i, l := range p.ls {
		l.respawn(ctx)
		wg.Go(func() { p.writer(ctx, i, l.name, l.writes) })
	}
	for {
		select {
		case m := <-p.in:
			p.handle(ctx, m)
		case <-p.q.Wake():
		case <-ctx.Done():
			return nil
		}
		p.dispatch(ctx)
	}
}

// drainInbox handles the messages already queued. The dispatch loop
// calls it before taking each event, so that what was reported before an
// event was published takes effect first: a listener's exit, reported
// before its EXITED event is published, puts the event it was busy with
// back at the head, ahead of EXITED, as in the reference.
func (p *Pool) drainInbox(ctx context.Context) {
	for range len(p.in) {
		p.handle(ctx, <-p.in)
	}
}

// handle applies one input to the pool's state.
func (p *Pool) handle(ctx context.Context, m message) {
	l := p.ls[m.l]
	switch m.kind {
	case msgOutput:
		p.output(l, m.data)
	case msgChange:
		p.changed(ctx, l, m.change)
	case msgSent:
		p.sent(l, m.id, m.err)
	}
}

// writer is a listener's sending goroutine: it calls Send for each
// envelope the pool hands it and reports the outcome, so that a listener
// that does not read its stdin blocks nobody but itself.
func (p *Pool) writer(ctx context.Context, i int, name string, writes <-chan write) {
	for {
		select {
		case w := <-writes:
			err := p.send(w.ctx, name, w.data)
			select {
			case p.in <- message{kind: msgSent, l: i, id: w.id, err: err}:
			case <-ctx.Done():
				return
			}
		case <-ctx.Done():
			return
		}
	}
}

// logf logs a main-log line at level, formatting it only if the line is
// wanted: several debug lines come with every event.
func (p *Pool) logf(level slog.Level, format string, args ...any) {
	ctx := context.Background()
	if p.log.Enabled(ctx, level) {
		p.log.Log(ctx, level, fmt.Sprintf(format, args...))
	}
}

// debug reports whether DEBG lines are wanted, so that the per-event ones
// cost nothing, not even the boxing of their arguments, when they are not.
func (p *Pool) debug() bool { return p.log.Enabled(context.Background(), slog.LevelDebug) }

// Stats returns the counters of the pool's buffer; see events.Stats.
func (p *Pool) Stats() events.Stats { return p.q.Stats() }
