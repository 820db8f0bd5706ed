package alert

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Retry sends through Sender up to Attempts times, Delay apart, each
// attempt bounded by Timeout, so that a mail server that is down costs a
// listener a bounded time and never its life. Failures are logged to Log
// (stderr in a listener) with the reason.
type Retry struct {
	Sender   Sender
	Attempts int           // at least 1
	Delay    time.Duration // between attempts
	Timeout  time.Duration // per attempt; 0 means no bound of its own
	Log      *slog.Logger
}

// Send tries m until it is delivered, the attempts are used up or ctx
// ends, and returns the last error.
func (r Retry) Send(ctx context.Context, m Message) error {
	if m.Date.IsZero() {
		m.Date = time.Now()
	}
	var err error
	for i := range max(r.Attempts, 1) {
		if i > 0 {
			t := time.NewTimer(r.Delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("sending %q: %w (last error: %w)", m.Subject, ctx.Err(), err)
			case <-t.C:
			}
		}
		if err = r.attempt(ctx, m); err == nil {
			return nil
		}
		if r.Log != nil {
			r.Log.Warn("could not send alert", "subject", m.Subject, "attempt", i+1, "of", max(r.Attempts, 1), "err", err)
		}
		if IsPermanent(err) {
			break
		}
	}
	return fmt.Errorf("sending %q: %w", m.Subject, err)
}

func (r Retry) attempt(ctx context.Context, m Message) error {
	if r.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.Timeout)
		defer cancel()
	}
	return r.Sender.Send(ctx, m)
}

// permanent marks an error that trying again cannot cure.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent marks err as one that a retry cannot cure (a mailer command
// that does not exist, a malformed message), so that Retry gives up at
// once instead of holding the event for every attempt.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err, or an error it wraps, was marked by
// Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}
