package events

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"

	"github.com/lancerhq/lancer/protocol"
)

// Event is one published event, shared read-only by every pool that
// buffered it.
type Event struct {
	// Serial is the global serial, the same in every pool.
	Serial int64
	// Type is the concrete event type, the eventname token.
	Type protocol.EventType
	// Payload is the formatted payload, exactly what the envelope carries.
	Payload string
}

// Item is one event in a pool's buffer, with the poolserial that pool gave
// it when the event was published.
type Item struct {
	Event      *Event
	PoolSerial int64
}

// Stats are the counters of one pool's buffer, for metrics. The counts
// only grow while the [Queue] lives.
type Stats struct {
	Pool      string
	Size      int    // buffer_size
	Depth     int    // events buffered now
	Accepted  uint64 // events appended when they were published
	Delivered uint64 // events a listener answered OK ([Queue.Ack])
	Rejected  uint64 // events re-buffered after a rejection ([Queue.Reject])
	Dropped   uint64 // events discarded on overflow or at removal
}

// Queue is the event buffer of one pool: a FIFO bounded to buffer_size
// that discards its oldest event on overflow, as the reference's
// EventListenerPool.event_buffer does. [Bus.Subscribe] creates it; the
// pool's goroutine takes events with [Queue.Pop] and reports what became
// of them with [Queue.Ack], [Queue.Reject] or [Queue.Requeue]. It is safe
// for concurrent use.
type Queue struct {
	name  string
	size  int
	types []protocol.EventType
	log   *slog.Logger
	wake  chan struct{}

	mu     sync.Mutex
	ring   []Item // ring[(head+i)%size] for i < n
	head   int
	n      int
	serial int64 // the last poolserial given; -1 before the first
	closed bool

	accepted, delivered, rejected, dropped atomic.Uint64
}

func newQueue(logger *slog.Logger, pool string, types []protocol.EventType, size int) *Queue {
	return &Queue{
		name: pool, size: size, types: types, log: logger,
		wake: make(chan struct{}, 1), ring: make([]Item, size), serial: -1,
	}
}

// Name returns the pool's name.
func (q *Queue) Name() string { return q.name }

// Size returns the pool's buffer_size.
func (q *Queue) Size() int { return q.size }

// Wake returns a channel that receives a value whenever an event is
// published into the queue. One value may stand for several events: the
// pool drains the queue with [Queue.Pop] after each.
func (q *Queue) Wake() <-chan struct{} { return q.wake }

// Len returns the number of buffered events.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// Pop removes and returns the oldest buffered event.
func (q *Queue) Pop() (Item, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.n == 0 {
		return Item{}, false
	}
	it := q.ring[q.head]
	q.ring[q.head] = Item{}
	q.head = (q.head + 1) % q.size
	q.n--
	return it, true
}

// Requeue puts it back at the head of the buffer, keeping its serials:
// the pool popped it but no listener could take it. It logs, at DEBG,
// "rebuffering event SERIAL for pool NAME (buf size=N, max=M)" as the
// reference does, and discards the oldest event first if the buffer is
// full.
func (q *Queue) Requeue(it Item) {
	q.mu.Lock()
	depth := q.n
	discarded, overflow := q.insert(it, true)
	q.mu.Unlock()
	if q.log.Enabled(context.Background(), slog.LevelDebug) { // spare the boxing of the arguments
		logf(q.log, slog.LevelDebug, "rebuffering event %d for pool %s (buf size=%d, max=%d)",
			it.Event.Serial, q.name, depth, q.size)
	}
	if overflow {
		q.logOverflow(discarded)
	}
}

// Reject counts it as rejected by a listener (a FAIL, a bad result line,
// the listener's death while busy) and re-buffers it at the head as
// [Queue.Requeue] does, to be sent again.
func (q *Queue) Reject(it Item) {
	q.rejected.Add(1)
	q.Requeue(it)
}

// Ack counts it as delivered: a listener answered OK.
func (q *Queue) Ack(Item) { q.delivered.Add(1) }

// Stats returns the queue's counters.
func (q *Queue) Stats() Stats {
	q.mu.Lock()
	depth := q.n
	q.mu.Unlock()
	return Stats{
		Pool: q.name, Size: q.size, Depth: depth,
		Accepted: q.accepted.Load(), Delivered: q.delivered.Load(),
		Rejected: q.rejected.Load(), Dropped: q.dropped.Load(),
	}
}

// wants reports whether an event of type t is for this pool: whether t
// IsA one of the subscribed types. One match is enough, so overlapping
// types deliver an event once.
func (q *Queue) wants(t protocol.EventType) bool {
	for _, u := range q.types {
		if t.IsA(u) {
			return true
		}
	}
	return false
}

// accept appends ev with the next poolserial, the reference's
// _acceptEvent. It returns the event discarded to make room, if any; the
// caller logs it once no lock is held.
func (q *Queue) accept(ev *Event) (discarded Item, overflow bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return Item{}, false
	}
	q.accepted.Add(1)
	discarded, overflow = q.insert(Item{Event: ev, PoolSerial: nextSerial(&q.serial)}, false)
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return discarded, overflow
}

// insert adds it at the head or the tail. When the buffer is full, the
// oldest event (the head) is discarded first, for a head insertion too,
// as in the reference. q.mu must be held.
func (q *Queue) insert(it Item, head bool) (discarded Item, overflow bool) {
	if q.n == q.size {
		discarded, overflow = q.ring[q.head], true
		q.ring[q.head] = Item{}
		q.head = (q.head + 1) % q.size
		q.n--
		q.dropped.Add(1)
	}
	if head {
		q.head = (q.head - 1 + q.size) % q.size
		q.ring[q.head] = it
	} else {
		q.ring[(q.head+q.n)%q.size] = it
	}
	q.n++
	return discarded, overflow
}

func (q *Queue) logOverflow(it Item) {
	logf(q.log, slog.LevelError, "pool %s event buffer overflowed, discarding event %d", q.name, it.Event.Serial)
}

// close stops the queue accepting events and discards what it holds,
// counting and logging it.
func (q *Queue) close() {
	q.mu.Lock()
	n := q.n
	q.closed = true
	clear(q.ring)
	q.head, q.n = 0, 0
	q.dropped.Add(uint64(n))
	q.mu.Unlock()
	if n > 0 {
		logf(q.log, slog.LevelInfo, "pool %s removed, discarding %d buffered events", q.name, n)
	}
}

// logf logs a main-log line at level, formatting it only if the line is
// wanted: rebuffering lines come with every dispatch round.
func logf(l *slog.Logger, level slog.Level, format string, args ...any) {
	ctx := context.Background()
	if l.Enabled(ctx, level) {
		l.Log(ctx, level, fmt.Sprintf(format, args...))
	}
}

// nextSerial advances a serial counter and returns the new value, wrapping
// to 0 after the largest value as the reference's new_serial does after
// sys.maxsize.
func nextSerial(s *int64) int64 {
	if *s == math.MaxInt64 {
		*s = -1
	}
	*s++
	return *s
}
