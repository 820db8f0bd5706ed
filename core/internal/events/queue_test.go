package events

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lancerhq/lancer/protocol"
)

func TestQueueOverflowDropsOldest(t *testing.T) {
	t.Parallel()
	rec, log := newRecorder(t)
	b := NewBus(log)
	q, err := b.Subscribe("allev", []protocol.EventType{protocol.AnyEvent}, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		b.Publish(tick(int64(i)))
	}
	want := []string{
		"ERRO pool allev event buffer overflowed, discarding event 0",
		"ERRO pool allev event buffer overflowed, discarding event 1",
	}
	if diff := cmp.Diff(want, rec.take()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
	wantStats := Stats{Pool: "allev", Size: 3, Depth: 3, Accepted: 5, Dropped: 2}
	if got := q.Stats(); got != wantStats {
		t.Errorf("Stats() = %+v; want %+v", got, wantStats)
	}
	if got, want := drain(q), []string{"2/2:TICK_5", "3/3:TICK_5", "4/4:TICK_5"}; !cmp.Equal(got, want) {
		t.Errorf("buffer = %v; want %v", got, want)
	}
}

// A rejected event goes back to the head with its serials; when the buffer
// is full the head (the oldest) is discarded first, as in _acceptEvent.
func TestQueueRejectAtHead(t *testing.T) {
	t.Parallel()
	rec, log := newRecorder(t)
	b := NewBus(log)
	q, _ := b.Subscribe("p", []protocol.EventType{protocol.AnyTick}, 3)
	for i := range 4 {
		b.Publish(tick(int64(i)))
	}
	rec.take()
	first, _ := q.Pop() // serial 1: 0 overflowed
	b.Publish(tick(9))  // 2, 3, 4 buffered
	q.Reject(first)     // full: 2 discarded, 1 at the head
	want := []string{
		"DEBG rebuffering event 1 for pool p (buf size=3, max=3)",
		"ERRO pool p event buffer overflowed, discarding event 2",
	}
	if diff := cmp.Diff(want, rec.take()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
	if got, want := drain(q), []string{"1/1:TICK_5", "3/3:TICK_5", "4/4:TICK_5"}; !cmp.Equal(got, want) {
		t.Errorf("buffer = %v; want %v", got, want)
	}
	wantStats := Stats{Pool: "p", Size: 3, Accepted: 5, Rejected: 1, Dropped: 2}
	if got := q.Stats(); got != wantStats {
		t.Errorf("Stats() = %+v; want %+v", got, wantStats)
	}
}

func TestQueueRequeueAndAck(t *testing.T) {
	t.Parallel()
	rec, log := newRecorder(t)
	b := NewBus(log)
	q, _ := b.Subscribe("p", []protocol.EventType{protocol.AnyTick}, 10)
	b.Publish(tick(0))
	b.Publish(tick(5))
	it, _ := q.Pop()
	q.Requeue(it)
	if got, want := rec.take(), []string{"DEBG rebuffering event 0 for pool p (buf size=1, max=10)"}; !cmp.Equal(got, want) {
		t.Errorf("log = %q; want %q", got, want)
	}
	it, _ = q.Pop()
	q.Ack(it)
	if got := itemString(it); got != "0/0:TICK_5" {
		t.Errorf("Pop() after Requeue = %s; want 0/0:TICK_5", got)
	}
	wantStats := Stats{Pool: "p", Size: 10, Depth: 1, Accepted: 2, Delivered: 1}
	if got := q.Stats(); got != wantStats {
		t.Errorf("Stats() = %+v; want %+v", got, wantStats)
	}
}

// The ring wraps around many times without losing order.
func TestQueueRingOrder(t *testing.T) {
	t.Parallel()
	b := NewBus(nil)
	q, _ := b.Subscribe("p", []protocol.EventType{protocol.AnyEvent}, 4)
	var want, got []int64
	for i := range 50 {
		b.Publish(tick(int64(i)))
		want = append(want, int64(i))
		if i%3 == 2 {
			for {
				it, ok := q.Pop()
				if !ok {
					break
				}
				got = append(got, it.Event.Serial)
			}
		}
	}
	for it, ok := q.Pop(); ok; it, ok = q.Pop() {
		got = append(got, it.Event.Serial)
	}
	if !cmp.Equal(got, want) {
		t.Errorf("serials = %v; want %v", got, want)
	}
}

func TestNextSerialWraps(t *testing.T) {
	t.Parallel()
	s := int64(math.MaxInt64 - 1)
	for _, want := range []int64{math.MaxInt64, 0, 1} {
		if got := nextSerial(&s); got != want {
			t.Errorf("nextSerial = %d; want %d", got, want)
		}
	}
}
