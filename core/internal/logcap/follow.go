package logcap

import (
	"context"
	"io"
)

// Follower reads a [Channel]'s output as it is written, for
// /logtail/<name> and `supervisorctl tail -f`. It follows the Channel's
// stream, not its file, so a rotation, a clear or a reopen is invisible
// to it: it never loses or repeats bytes at a rotation, where the
// reference's tail_f_producer drops whatever was written between its last
// look and the rotation. A follower that falls behind by more than the
// ring buffer holds skips the bytes that were overwritten and is told how
// many.
//
// Waiting costs nothing: [Follower.Next] blocks on a channel that the
// next write closes, with no polling. A Follower is not safe for
// concurrent use; any number of Followers may follow one Channel.
type Follower struct {
	c       *Channel
	next    int64  // stream offset of the next byte to return
	pending []byte // initial backlog read from the file, returned first
}

// Follow returns a Follower whose first [Follower.Next] returns the last
// backlog bytes of output (0 for new output only), as the reference's
// /logtail starts with the last 1024 bytes. The backlog comes from the
// ring buffer or, when the ring holds less (after a daemon restart), from
// the end of the log file, read under the Channel's lock so that nothing
// written meanwhile is missed or repeated.
func (c *Channel) Follow(backlog int) *Follower {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := &Follower{c: c, next: max(c.ring.end-int64(backlog), c.ring.oldest)}
	if backlog <= 0 || f.next == c.ring.end-int64(backlog) || c.file == nil || !c.file.Regular() {
		return f
	}
	if data, err := c.file.Read(-backlog, 0); err == nil {
		f.pending, f.next = data, c.ring.end
	}
	return f
}

// Next blocks until there is output the follower has not returned yet and
// returns it, at most a ring's worth; skipped counts the bytes it jumped
// over because they had left the ring. It returns ctx's error when ctx
// is done, and io.EOF once the Channel is closed and everything written
// before has been returned.
func (f *Follower) Next(ctx context.Context) (data []byte, skipped int64, err error) {
	if f.pending != nil {
		data, f.pending = f.pending, nil
		if len(data) > 0 {
			return data, 0, nil
		}
	}
	c := f.c
	for {
		c.mu.Lock()
		data, at := c.ring.read(f.next, c.ring.end-f.next)
		skipped += at - f.next
		f.next = at + int64(len(data))
		if len(data) > 0 {
			c.mu.Unlock()
			return data, skipped, nil
		}
		if c.closed {
			c.mu.Unlock()
			return nil, skipped, io.EOF
		}
		if c.wake == nil {
			c.wake = make(chan struct{})
		}
		wake := c.wake
		c.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return nil, skipped, ctx.Err()
		}
	}
}
