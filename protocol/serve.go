package protocol

import (
	"context"
	"fmt"
	"io"
)

// A Handler processes one event for [Serve].
//
// Returning nil acknowledges the event (RESULT 2\nOK). Returning an error
// rejects it (RESULT 4\nFAIL), and supervisord then re-sends the same event
// later, again and again while the handler keeps failing. So return an
// error only to ask for redelivery; an event that was handled but whose
// outcome was bad (an alert that could not be mailed, say) should be
// logged to stderr and acknowledged, as every superlance listener does.
// Serve does not log or otherwise keep handler errors.
type Handler interface {
	HandleEvent(ctx context.Context, ev Event) error
}

// HandlerFunc adapts an ordinary function to a [Handler].
type HandlerFunc func(ctx context.Context, ev Event) error

// HandleEvent calls f(ctx, ev).
func (f HandlerFunc) HandleEvent(ctx context.Context, ev Event) error { return f(ctx, ev) }

// Serve runs the listener side of the protocol on r (the listener's stdin)
// and w (its stdout) until the stream or ctx ends. Each round writes
// READY, reads one event, calls h and writes the result, so the transcript
// of one acknowledged event is exactly "READY\nRESULT 2\nOK" followed by
// the next "READY\n".
//
// Serve returns nil when r ends cleanly before a header, which is how
// supervisord tells a listener to exit. It returns ctx.Err() once ctx is
// done; ctx is checked before each READY and after each read, but a
// blocked read cannot be interrupted (a read on os.Stdin in particular),
// so a caller that must stop promptly closes r after cancelling. An
// event read after ctx is done is left unanswered: supervisord re-sends it
// once this listener has exited. Any other error is a protocol or I/O
// error. Nothing but protocol tokens may be written to w.
func Serve(ctx context.Context, r io.Reader, w io.Writer, h Handler) error {
	l := NewListener(r, w)
	for {
		ev, err := l.Next(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if h.HandleEvent(ctx, ev) == nil {
			err = l.OK()
		} else {
			err = l.Fail()
		}
		if err != nil {
			return err
		}
	}
}

// Listener is the listener side of the protocol one step at a time, for
// listeners that answer with their own result bodies or drive the loop
// themselves; [Serve] is built on it. After Next returns an event, exactly
// one of OK, Fail or Respond must be called before the next Next; calls
// out of that order return [ErrOutOfTurn] and write nothing, because a
// READY sent while supervisord awaits a result puts the listener in the
// UNKNOWN state for good.
//
// A Listener is not safe for concurrent use.
type Listener struct {
	r    *Reader
	w    io.Writer
	busy bool // an event was read and not yet answered
}

// NewListener returns a Listener reading events from r and writing tokens
// to w, flushing w after each token if it has a Flush method.
func NewListener(r io.Reader, w io.Writer, opts ...ReaderOption) *Listener {
	return &Listener{r: NewReader(r, opts...), w: w}
}

// Next writes READY and reads the next event. It returns io.EOF, unwrapped,
// if r ends cleanly before a header, and ctx.Err() if ctx is done before
// READY is written or by the time the read returns (see [Serve]).
func (l *Listener) Next(ctx context.Context) (Event, error) {
	if l.busy {
		return Event{}, fmt.Errorf("next event: %w: previous event not answered", ErrOutOfTurn)
	}
	if err := ctx.Err(); err != nil {
		return Event{}, err
	}
	if err := WriteReady(l.w); err != nil {
		return Event{}, err
	}
	ev, err := l.r.ReadEvent()
	if ctxErr := ctx.Err(); ctxErr != nil {
		return Event{}, ctxErr
	}
	if err != nil {
		return Event{}, err
	}
	l.busy = true
	return ev, nil
}

// OK acknowledges the current event with RESULT 2\nOK.
func (l *Listener) OK() error { return l.Respond("OK") }

// Fail rejects the current event with RESULT 4\nFAIL; supervisord will
// send it again.
func (l *Listener) Fail() error { return l.Respond("FAIL") }

// Respond answers the current event with an arbitrary result body.
// supervisord treats any body other than "OK" as a rejection.
func (l *Listener) Respond(body string) error {
	if !l.busy {
		return fmt.Errorf("respond: %w: no event in flight", ErrOutOfTurn)
	}
	l.busy = false
	return WriteResult(l.w, body)
}
