package eventpool

import (
	"context"
	"io"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lancerhq/lancer/core/internal/events"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol"
)

func checkSent(t *testing.T, h *harness, want ...string) {
	t.Helper()
	if diff := cmp.Diff(want, h.takeSent()); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
}

func checkLog(t *testing.T, h *harness, want ...string) {
	t.Helper()
	if diff := cmp.Diff(want, h.rec.take()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

func checkStats(t *testing.T, p *Pool, want events.Stats) {
	t.Helper()
	if got := p.Stats(); got != want {
		t.Errorf("Stats() = %+v; want %+v", got, want)
	}
}

// Events go to the first RUNNING and READY listener in config order, not
// round-robin, one at a time per listener.
func TestDispatchFirstReady(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("pool", 10, false, "a", "b", "c")
		h.up(p, "b", "c")
		h.publish(tick(0))
		checkSent(t, h, "b 0/0:TICK_5")
		h.up(p, "a")
		h.publish(tick(5), tick(10), tick(15))
		checkSent(t, h, "a 1/1:TICK_5", "c 2/2:TICK_5")
		h.say(p, "a", "RESULT 2\nOKREADY\n")
		checkSent(t, h, "a 3/3:TICK_5")
		checkStats(t, p, events.Stats{Pool: "pool", Size: 10, Accepted: 4, Delivered: 1})
	})
}

// The envelope is the reference's, byte for byte, len in code points.
func TestEnvelope(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("allev", 10, false, "l")
		h.up(p, "l")
		h.publish(protocol.RemoteComm{Type: "t", Data: "héllo"})
		h.say(p, "l", "RESULT 2\nOKREADY\n")
		h.publish(protocol.ProcessGroup{Type: protocol.ProcessGroupAdded, GroupName: "allev"})
		want := []string{
			"ver:3.0 server:lancer serial:0 pool:allev poolserial:0 eventname:REMOTE_COMMUNICATION len:12\ntype:t\nhéllo",
			"ver:3.0 server:lancer serial:1 pool:allev poolserial:1 eventname:PROCESS_GROUP_ADDED len:16\ngroupname:allev\n",
		}
		if diff := cmp.Diff(want, h.raw["l"]); diff != "" {
			t.Errorf("envelopes (-want +got):\n%s", diff)
		}
	})
}

// Nothing goes to a listener during startsecs (STARTING), even READY.
func TestStartingGetsNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("pool", 10, false, "a")
		h.to(p, "a", process.Starting)
		h.say(p, "a", "READY\n")
		h.publish(tick(0))
		checkSent(t, h)
		checkLog(t, h, "DEBG a: ACKNOWLEDGED -> READY")
		h.to(p, "a", process.Running)
		checkSent(t, h, "a 0/0:TICK_5")
	})
}

// FAIL: the event comes back with its serials, before newer ones; the
// main log says what the reference says, in its order.
func TestRejectedRedelivered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("pool", 10, false, "a")
		h.up(p, "a")
		h.publish(tick(0), tick(5))
		h.say(p, "a", "RESULT 4\nFAIL")
		h.say(p, "a", "READY\n")
		h.say(p, "a", "RESULT 2\nOKREADY\n")
		checkSent(t, h, "a 0/0:TICK_5", "a 0/0:TICK_5", "a 1/1:TICK_5")
		checkLog(t, h,
			"DEBG a: ACKNOWLEDGED -> READY",
			"DEBG event 0 sent to listener a",
			"DEBG rebuffering event 1 for pool pool (buf size=0, max=10)",
			"WARN a: event was rejected",
			"DEBG a: BUSY -> ACKNOWLEDGED",
			"DEBG rebuffering event 0 for pool pool (buf size=1, max=10)",
			"DEBG a: ACKNOWLEDGED -> READY",
			"DEBG event 0 sent to listener a",
			"DEBG rebuffering event 1 for pool pool (buf size=0, max=10)",
			"DEBG a: event was processed",
			"DEBG a: BUSY -> ACKNOWLEDGED",
			"DEBG a: ACKNOWLEDGED -> READY",
			"DEBG event 1 sent to listener a",
		)
		checkStats(t, p, events.Stats{Pool: "pool", Size: 10, Accepted: 2, Delivered: 1, Rejected: 1})
	})
}

// A full buffer drops its oldest event, logged at ERRO and counted.
func TestOverflowDropsOldest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("slow", 2, false, "a")
		h.publish(tick(0), tick(5), tick(10), tick(15))
		checkLog(t, h,
			"ERRO pool slow event buffer overflowed, discarding event 0",
			"ERRO pool slow event buffer overflowed, discarding event 1",
		)
		checkStats(t, p, events.Stats{Pool: "slow", Size: 2, Depth: 2, Accepted: 4, Dropped: 2})
		h.up(p, "a")
		h.say(p, "a", "RESULT 2\nOKREADY\n")
		checkSent(t, h, "a 2/2:TICK_5", "a 3/3:TICK_5")
	})
}

// A listener that breaks the protocol is UNKNOWN: it gets nothing more,
// and is restarted; after the restart it gets events again.
func TestUnknownRestarted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("pool", 10, true, "a")
		h.up(p, "a")
		h.say(p, "a", "READY\n")
		h.publish(tick(0))
		checkSent(t, h)
		checkLog(t, h,
			"DEBG a: ACKNOWLEDGED -> READY",
			"DEBG a: READY -> UNKNOWN",
			"WARN a: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol",
			"INFO a: restarting the event listener, which is in the UNKNOWN state",
		)
		if h.restarts == nil || h.restarts[0] != "a" {
			t.Fatalf("restarts = %v; want [a]", h.restarts)
		}
		h.say(p, "a", "RESULT 2\nOKREADY\n") // ignored: UNKNOWN is deaf
		h.to(p, "a", process.Stopping)
		h.to(p, "a", process.Stopped)
		h.up(p, "a")
		checkSent(t, h, "a 0/0:TICK_5")
		if len(h.restarts) != 1 {
			t.Errorf("restarts = %v; want one", h.restarts)
		}
	})
}

// Without Restart the reference's behaviour stays: UNKNOWN forever.
func TestUnknownWithoutRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("pool", 10, false, "a")
		h.to(p, "a", process.Starting)
		h.to(p, "a", process.Running)
		h.say(p, "a", "HELLO\n")
		h.say(p, "a", "READY\n")
		h.publish(tick(0))
		checkSent(t, h)
		checkLog(t, h,
			"DEBG a: ACKNOWLEDGED -> UNKNOWN",
			"WARN a: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol",
		)
	})
}

// A bad result line: UNKNOWN, the event rejected and sent to the next
// listener with its serials.
func TestBadResultLine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("pool", 10, false, "a", "b")
		h.up(p, "a")
		h.publish(tick(0))
		h.rec.take()
		h.say(p, "a", "RESULT abc\n")
		checkLog(t, h,
			"WARN a: bad result line: 'RESULT abc'",
			"DEBG a: BUSY -> UNKNOWN",
			"WARN a: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol",
			"DEBG rebuffering event 0 for pool pool (buf size=0, max=10)",
		)
		h.up(p, "b")
		checkSent(t, h, "a 0/0:TICK_5", "b 0/0:TICK_5")
		checkStats(t, p, events.Stats{Pool: "pool", Size: 10, Accepted: 1, Rejected: 1})
	})
}

// The RESULT prefix is checked: the reference accepts this line.
func TestResultPrefixChecked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("pool", 10, false, "a")
		h.up(p, "a")
		h.publish(tick(0))
		h.say(p, "a", "XXXXXX 2\nOK")
		checkStats(t, p, events.Stats{Pool: "pool", Size: 10, Depth: 1, Accepted: 1, Rejected: 1})
	})
}

// Undecodable bad lines are logged as the reference logs them.
func TestBadResultLineUndecodable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("pool", 10, false, "a")
		h.up(p, "a")
		h.publish(tick(0))
		h.rec.take()
		h.say(p, "a", "RESULT \xff\n")
		if got := h.rec.take()[0]; got != `WARN a: bad result line: 'Undecodable: b'RESULT \xff''` {
			t.Errorf("log = %s", got)
		}
	})
}

// A listener that dies while BUSY: its event goes to the next listener,
// serials unchanged; a respawned listener starts ACKNOWLEDGED.
func TestDeathWhileBusy(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("pool", 10, false, "a", "b")
		h.up(p, "a")
		h.publish(tick(0))
		h.rec.take()
		h.to(p, "a", process.Exited)
		checkLog(t, h, "DEBG rebuffering event 0 for pool pool (buf size=0, max=10)")
		h.to(p, "a", process.Starting)
		h.to(p, "a", process.Running)
		checkSent(t, h, "a 0/0:TICK_5") // not READY yet after the respawn
		h.say(p, "a", "READY\n")
		checkSent(t, h, "a 0/0:TICK_5")
		checkStats(t, p, events.Stats{Pool: "pool", Size: 10, Accepted: 1, Rejected: 1})
	})
}

// While STOPPING a listener may still answer; it gets no new event.
func TestStoppingListenerAnswers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("pool", 10, false, "a")
		h.up(p, "a")
		h.publish(tick(0), tick(5))
		h.to(p, "a", process.Stopping)
		h.say(p, "a", "RESULT 2\nOKREADY\n")
		h.to(p, "a", process.Stopped)
		checkSent(t, h, "a 0/0:TICK_5")
		checkStats(t, p, events.Stats{Pool: "pool", Size: 10, Depth: 1, Accepted: 2, Delivered: 1})
	})
}

// A write that fails (the listener closed its stdin) sends the event to
// the next READY listener and leaves the failed one out until it
// respawns.
func TestSendFailureNextListener(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		h.sendErr["a"] = process.ErrStdinClosed
		p := h.pool("pool", 10, false, "a", "b")
		h.up(p, "a", "b")
		h.rec.take()
		h.publish(tick(0))
		checkSent(t, h, "b 0/0:TICK_5")
		checkLog(t, h,
			"DEBG event 0 sent to listener a",
			"DEBG epipe occurred while sending event 0 to listener a, listener state unchanged",
			"DEBG rebuffering event 0 for pool pool (buf size=0, max=10)",
			"DEBG event 0 sent to listener b",
		)
		h.sendErr["a"] = nil
		h.say(p, "b", "RESULT 2\nOK")
		h.publish(tick(5))
		checkSent(t, h) // a is left out, b is not READY
		h.to(p, "a", process.Exited)
		h.up(p, "a")
		checkSent(t, h, "a 1/1:TICK_5")
	})
}

// A listener that never reads its stdin blocks only itself: publishing
// goes on, the buffer overflows with a trace, and another pool on the
// same bus is served.
func TestStuckListenerBlocksNobody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		h.block["stuck"] = true
		slow := h.pool("slow", 5, false, "stuck")
		fast := h.pool("fast", 5, false, "ok")
		h.up(slow, "stuck")
		h.up(fast, "ok")
		for i := range 1000 {
			h.bus.Publish(tick(int64(i)))
			if i%10 == 0 {
				synctest.Wait() // the event reaches the listener before it answers
				h.say(fast, "ok", "RESULT 2\nOKREADY\n")
			}
		}
		synctest.Wait()
		st := slow.Stats()
		if st.Accepted != 1000 || st.Depth != 5 || st.Dropped != 1000-5-1 {
			t.Errorf("slow Stats() = %+v; want 1000 accepted, 5 buffered, 994 dropped", st)
		}
		if st := fast.Stats(); st.Delivered < 99 {
			t.Errorf("fast Stats() = %+v; want about 100 delivered", st)
		}
	})
}

// Serials survive a reload: the pool is re-created with a new Queue, its
// poolserial starts at 0 and the bus's serial continues.
func TestReloadSerialContinues(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("pool", 10, false, "a")
		h.up(p, "a")
		h.publish(tick(0))
		h.say(p, "a", "RESULT 2\nOKREADY\n")
		h.publish(tick(5))
		h.stops[0]() // the generation ends
		h.stops = nil
		h.procs = map[string]process.State{}
		p = h.pool("pool", 10, false, "a")
		h.up(p, "a")
		h.publish(tick(10))
		checkSent(t, h, "a 0/0:TICK_5", "a 1/1:TICK_5", "a 2/0:TICK_5")
	})
}

// TICKs published by the bus's ticker reach listeners with when at the
// boundary.
func TestTicksThroughPool(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("ticks", 10, false, "a")
		h.up(p, "a")
		go func() { _ = h.bus.RunTicks(t.Context()) }()
		synctest.Wait()
		checkSent(t, h)
		time.Sleep(5 * time.Second)
		checkSent(t, h, "a 0/0:TICK_5")
		if want := "ver:3.0 server:lancer serial:0 pool:ticks poolserial:0 eventname:TICK_5 len:14\nwhen:946684805"; h.raw["a"][0] != want {
			t.Errorf("envelope = %q; want %q", h.raw["a"][0], want)
		}
	})
}

func TestUnknownNamesIgnored(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t)
		defer h.close()
		p := h.pool("pool", 10, false, "a")
		if w := p.Output("nope"); w != io.Discard {
			t.Errorf("Output(nope) = %v; want io.Discard", w)
		}
		p.ProcessChanged(process.Change{Name: "nope", To: process.Running})
		synctest.Wait()
	})
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	bus := events.NewBus(nil)
	q, _ := bus.Subscribe("pool", []protocol.EventType{protocol.AnyEvent}, 1)
	send := Options{}.Send
	tests := []struct {
		name string
		opts Options
	}{
		{"no queue", Options{Identifier: "x", Send: send}},
		{"no send", Options{Queue: q, Identifier: "x"}},
		{"space in identifier", Options{Queue: q, Identifier: "my super", Send: func(context.Context, string, []byte) error { return nil }}},
		{"duplicate listener", Options{Queue: q, Identifier: "x", Listeners: []string{"a", "a"}, Send: func(context.Context, string, []byte) error { return nil }}},
	}
	for _, tt := range tests {
		if _, err := New(tt.opts); err == nil {
			t.Errorf("New(%s) = nil error", tt.name)
		}
	}
}

// A listener's exit reported before its EXITED event is published puts
// its event back ahead of EXITED, as in the reference (finish() notifies
// the state change, then the rejection, which goes to the head): another
// READY listener gets the rejected event first.
func TestExitBeforeItsEvent(t *testing.T) {
	for range 20 { // select is random: repeat
		synctest.Test(t, func(t *testing.T) {
			h := newHarness(t)
			defer h.close()
			p := h.pool("pool", 10, false, "a", "b")
			h.up(p, "a", "b")
			release := h.rec.holdAt("DEBG event 0 sent to listener a") // the pool is busy
			h.publish(tick(0))
			checkSent(t, h, "a 0/0:TICK_5")
			h.procs["a"] = process.Exited
			p.ProcessChanged(process.Change{Name: "a", From: process.Running, To: process.Exited})
			h.publish(protocol.ProcessState{Type: protocol.ProcessStateExited, ProcessName: "a", GroupName: "pool", FromState: "RUNNING"})
			release()
			synctest.Wait()
			h.say(p, "b", "RESULT 2\nOKREADY\n")
			checkSent(t, h, "b 0/0:TICK_5", "b 1/1:PROCESS_STATE_EXITED")
		})
	}
}
