package events

import (
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lancerhq/lancer/protocol"
)

func types(ts ...protocol.EventType) []protocol.EventType { return ts }

// Subscription is by IsA; the serial counts events some pool took, from
// 0; each pool numbers what it took from 0.
func TestPublishSubscriptionAndSerials(t *testing.T) {
	t.Parallel()
	b := NewBus(nil)
	all, _ := b.Subscribe("all", types(protocol.AnyEvent), 10)
	states, _ := b.Subscribe("states", types(protocol.AnyProcessState), 10)
	ticks, _ := b.Subscribe("ticks", types(protocol.Tick60, protocol.ProcessGroupAdded), 10)

	b.Publish(protocol.RemoteComm{Type: "x"})                                          // all
	b.Publish(running("web"))                                                          // all, states
	b.Publish(protocol.Tick{Type: protocol.Tick60, When: 60})                          // all, ticks
	b.Publish(protocol.ProcessGroup{Type: protocol.ProcessGroupAdded, GroupName: "g"}) // all, ticks
	b.Publish(protocol.Tick{Type: protocol.Tick5, When: 5})                            // all

	tests := []struct {
		q    *Queue
		want []string
	}{
		{all, []string{"0/0:REMOTE_COMMUNICATION", "1/1:PROCESS_STATE_RUNNING", "2/2:TICK_60", "3/3:PROCESS_GROUP_ADDED", "4/4:TICK_5"}},
		{states, []string{"1/0:PROCESS_STATE_RUNNING"}},
		{ticks, []string{"2/0:TICK_60", "3/1:PROCESS_GROUP_ADDED"}},
	}
	for _, tt := range tests {
		if got := drain(tt.q); !cmp.Equal(got, tt.want) {
			t.Errorf("pool %s = %v; want %v", tt.q.Name(), got, tt.want)
		}
	}
}

// An event no pool wants gets no serial (process.py calls new_serial in
// _acceptEvent only).
func TestPublishUnwantedTakesNoSerial(t *testing.T) {
	t.Parallel()
	b := NewBus(nil)
	b.Publish(tick(0)) // no pool at all
	q, _ := b.Subscribe("p", types(protocol.AnyTick), 10)
	b.Publish(running("web")) // not a TICK
	b.Publish(tick(5))
	if got, want := drain(q), []string{"0/0:TICK_5"}; !cmp.Equal(got, want) {
		t.Errorf("buffer = %v; want %v", got, want)
	}
}

func TestPublishPayloadFormatted(t *testing.T) {
	t.Parallel()
	b := NewBus(nil)
	q, _ := b.Subscribe("p", types(protocol.AnyEvent), 10)
	b.Publish(protocol.ProcessGroup{Type: protocol.ProcessGroupAdded, GroupName: "g"})
	it, _ := q.Pop()
	if it.Event.Payload != "groupname:g\n" {
		t.Errorf("Payload = %q; want %q", it.Event.Payload, "groupname:g\n")
	}
}

// events=EVENT,PROCESS_STATE: the reference subscribes _acceptEvent once
// per type, so its pool buffers each state change twice; ours once.
func TestOverlappingTypesDeliverOnce(t *testing.T) {
	t.Parallel()
	b := NewBus(nil)
	q, _ := b.Subscribe("p", types(protocol.AnyEvent, protocol.AnyProcessState, protocol.ProcessStateRunning), 10)
	b.Publish(running("web"))
	if got, want := drain(q), []string{"0/0:PROCESS_STATE_RUNNING"}; !cmp.Equal(got, want) {
		t.Errorf("buffer = %v; want %v", got, want)
	}
}

// A reload re-creates the pools: poolserial starts again at 0, the
// global serial continues, and the old buffer's events are discarded with
// a trace.
func TestReloadKeepsSerial(t *testing.T) {
	t.Parallel()
	rec, log := newRecorder(t)
	b := NewBus(log)
	old, _ := b.Subscribe("listener", types(protocol.AnyEvent), 10)
	for i := range 3 {
		b.Publish(tick(int64(i)))
	}
	if _, err := b.Subscribe("listener", types(protocol.AnyEvent), 10); !errors.Is(err, ErrPoolExists) {
		t.Errorf("Subscribe(same name) error = %v; want ErrPoolExists", err)
	}
	b.Unsubscribe(old)
	b.Unsubscribe(old) // twice is harmless
	b.Publish(tick(3)) // nobody: no serial
	q, err := b.Subscribe("listener", types(protocol.AnyEvent), 10)
	if err != nil {
		t.Fatal(err)
	}
	b.Publish(tick(4))
	b.Publish(tick(5))
	if got, want := drain(q), []string{"3/0:TICK_5", "4/1:TICK_5"}; !cmp.Equal(got, want) {
		t.Errorf("after reload = %v; want %v", got, want)
	}
	if got, want := rec.take(), []string{"INFO pool listener removed, discarding 3 buffered events"}; !cmp.Equal(got, want) {
		t.Errorf("log = %q; want %q", got, want)
	}
	if st := old.Stats(); st.Dropped != 3 || st.Depth != 0 {
		t.Errorf("old Stats() = %+v; want Dropped 3, Depth 0", st)
	}
	if got := b.Stats(); len(got) != 1 || got[0].Pool != "listener" || got[0].Accepted != 2 {
		t.Errorf("Bus.Stats() = %+v; want the new pool with 2 accepted", got)
	}
}

func TestSubscribeErrors(t *testing.T) {
	t.Parallel()
	b := NewBus(nil)
	if _, err := b.Subscribe("p", types(protocol.AnyEvent), 0); err == nil {
		t.Error("Subscribe(size 0) = nil error")
	}
	if _, err := b.Subscribe("p", nil, 10); err == nil {
		t.Error("Subscribe(no types) = nil error")
	}
}

// Concurrent publishers: every pool sees the events in one order, that
// of the serials, and nothing is lost.
func TestConcurrentPublishOrder(t *testing.T) {
	t.Parallel()
	b := NewBus(nil)
	q1, _ := b.Subscribe("a", types(protocol.AnyEvent), 1000)
	q2, _ := b.Subscribe("b", types(protocol.AnyTick), 1000)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				b.Publish(tick(int64(g*1000 + i)))
			}
		})
	}
	wg.Wait()
	for _, q := range []*Queue{q1, q2} {
		var n int64
		for it, ok := q.Pop(); ok; it, ok = q.Pop() {
			if it.Event.Serial != n || it.PoolSerial != n {
				t.Fatalf("pool %s: event %d has serials %d/%d", q.Name(), n, it.Event.Serial, it.PoolSerial)
			}
			n++
		}
		if n != 800 {
			t.Errorf("pool %s got %d events; want 800", q.Name(), n)
		}
	}
}
