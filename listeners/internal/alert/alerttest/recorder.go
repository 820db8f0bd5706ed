package alerttest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/lancerhq/lancer/listeners/internal/alert"
)

// Recorder is an [alert.Sender] that records the messages it is given.
// The zero value records and succeeds; after Fail(err) every Send
// returns err (and records nothing) until Fail(nil). A Recorder is safe
// for concurrent use and must not be copied after first use.
type Recorder struct {
	mu    sync.Mutex
	msgs  []alert.Message
	calls int
	err   error
	added chan struct{} // closed and replaced when a message is recorded
}

var _ alert.Sender = (*Recorder)(nil)

// Send records m, or returns the error set by Fail. A done ctx is an
// error, as it would be for a real channel.
func (r *Recorder) Send(ctx context.Context, m alert.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.err != nil {
		return r.err
	}
	r.msgs = append(r.msgs, m)
	if r.added != nil {
		close(r.added)
		r.added = nil
	}
	return nil
}

// Fail makes every later Send return err; nil makes them succeed again.
func (r *Recorder) Fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.err = err
}

// Messages returns the messages recorded so far, oldest first.
func (r *Recorder) Messages() []alert.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]alert.Message(nil), r.msgs...)
}

// Calls counts the calls of Send, failed ones included.
func (r *Recorder) Calls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls
}

// Wait blocks until at least n messages are recorded and returns them
// all; it fails the test after 10 s (of fake time inside a synctest
// bubble). Call it from the test's goroutine.
func (r *Recorder) Wait(t testing.TB, n int) []alert.Message {
	t.Helper()
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	for {
		r.mu.Lock()
		msgs := append([]alert.Message(nil), r.msgs...)
		if r.added == nil {
			r.added = make(chan struct{})
		}
		added := r.added
		r.mu.Unlock()
		if len(msgs) >= n {
			return msgs
		}
		select {
		case <-added:
		case <-timeout.C:
			t.Fatalf("recorder: %d messages after 10s; want %d", len(msgs), n)
		}
	}
}
