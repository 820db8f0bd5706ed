package events

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/lancerhq/lancer/protocol"
)

// ErrPoolExists is returned by [Bus.Subscribe] for a pool name that is
// already subscribed.
var ErrPoolExists = errors.New("pool already subscribed")

// Bus numbers published events and appends them to the buffers of the
// pools subscribed to them. Create it once per daemon with [NewBus] and
// keep it across reloads: the global serial lives in it. It is safe for
// concurrent use.
type Bus struct {
	log *slog.Logger

	mu     sync.Mutex
	serial int64    // the last serial given; -1 before the first
	queues []*Queue // in subscription order
}

// NewBus returns a Bus that logs overflows through logger (nil discards).
func NewBus(logger *slog.Logger) *Bus {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Bus{log: logger, serial: -1}
}

// Subscribe creates the buffer of pool, which from now on receives every
// published event whose type IsA one of types, holding at most size
// (buffer_size) of them. The reference subscribes a pool when it creates
// it, at startup, reload or addProcessGroup, before its listeners start.
// A name can be subscribed once at a time: unsubscribe the old pool
// before subscribing its replacement.
func (b *Bus) Subscribe(pool string, types []protocol.EventType, size int) (*Queue, error) {
	if size < 1 {
		return nil, fmt.Errorf("subscribe pool %s: buffer size %d is less than 1", pool, size)
	}
	if len(types) == 0 {
		return nil, fmt.Errorf("subscribe pool %s: no event types", pool)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, q := range b.queues {
		if q.name == pool {
			return nil, fmt.Errorf("subscribe pool %s: %w", pool, ErrPoolExists)
		}
	}
	q := newQueue(b.log, pool, slices.Clone(types), size)
	b.queues = append(b.queues, q)
	return q, nil
}

// Unsubscribe removes q from the bus, as removeProcessGroup and a reload
// do: it receives no more events, and the events it still holds are
// discarded (counted as dropped and logged at INFO). Unsubscribing a
// queue twice does nothing.
func (b *Bus) Unsubscribe(q *Queue) {
	b.mu.Lock()
	i := slices.Index(b.queues, q)
	if i >= 0 {
		b.queues = slices.Delete(b.queues, i, i+1)
	}
	b.mu.Unlock()
	if i >= 0 {
		q.close()
	}
}

// Publish appends the event p to the buffer of every subscribed pool
// whose types it IsA, giving it the next global serial if at least one
// pool takes it. It never waits for a pool; an overflowing buffer
// discards its oldest event and logs it. Publish has the signature of
// supervisor.Options.Events.
func (b *Bus) Publish(p protocol.Payload) {
	t := p.EventType()
	var ev *Event
	var drops []*Queue
	var discarded []Item
	b.mu.Lock()
	for _, q := range b.queues {
		if !q.wants(t) {
			continue
		}
		if ev == nil {
			ev = &Event{Serial: nextSerial(&b.serial), Type: t, Payload: p.Format()}
		}
		if d, overflow := q.accept(ev); overflow {
			drops, discarded = append(drops, q), append(discarded, d)
		}
	}
	b.mu.Unlock()
	for i, q := range drops {
		q.logOverflow(discarded[i])
	}
}

// Stats returns the counters of every subscribed pool, in subscription
// order.
func (b *Bus) Stats() []Stats {
	b.mu.Lock()
	qs := slices.Clone(b.queues)
	b.mu.Unlock()
	st := make([]Stats, len(qs))
	for i, q := range qs {
		st[i] = q.Stats()
	}
	return st
}
