package process

import "sync"

type msgKind uint8

const (
	msgCommand msgKind = iota // a request from a command method
	msgExit                   // the child has exited
	msgTimer                  // the timer went off (perhaps for a deadline since moved)
	msgEnd                    // End was called
)

type message struct {
	kind msgKind
	cmd  *command // msgCommand's
}

// mailbox is the queue of an actor's messages. Messages posted before the
// actor is opened wait for it; busy is set while a goroutine handles
// them.
type mailbox struct {
	mu     sync.Mutex
	queue  []message
	head   int
	opened bool
	busy   bool
}

// open marks the actor started, with the calling goroutine as its first
// handler. It reports false if it already was.
func (b *mailbox) open() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.opened {
		return false
	}
	b.opened, b.busy = true, true
	return true
}

// put queues m and reports whether the caller must now handle the
// messages: the actor is started and nobody else does.
func (b *mailbox) put(m message) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.queue = append(b.queue, m)
	if !b.opened || b.busy {
		return false
	}
	b.busy = true
	return true
}

// take returns the next message, or false, and the caller stops handling,
// when there is none.
func (b *mailbox) take() (message, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.head == len(b.queue) {
		b.queue, b.head, b.busy = b.queue[:0], 0, false
		return message{}, false
	}
	m := b.queue[b.head]
	b.queue[b.head] = message{}
	b.head++
	return m, true
}
