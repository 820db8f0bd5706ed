package alert

import (
	"context"
	"errors"
	"sync"
)

// Multi sends each message to all its senders at once, so that one
// channel that is down or slow neither stops nor delays the others. It
// returns the failures joined ([errors.Join]), in the senders' order,
// or nil when all delivered. An empty Multi delivers nowhere and
// succeeds. Multi is safe for concurrent use when its senders are.
type Multi []Sender

// Send sends m to every sender and waits for all of them.
func (ms Multi) Send(ctx context.Context, m Message) error {
	switch len(ms) {
	case 0:
		return nil
	case 1:
		return ms[0].Send(ctx, m)
	}
	errs := make([]error, len(ms))
	var wg sync.WaitGroup
	for i, s := range ms {
		wg.Go(func() { errs[i] = s.Send(ctx, m) })
	}
	wg.Wait()
	return errors.Join(errs...)
}
