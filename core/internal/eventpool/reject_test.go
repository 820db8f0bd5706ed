package eventpool

import (
	"slices"
	"testing"
	"testing/synctest"

	"github.com/lancerhq/lancer/core/internal/events"
)

// A rejection re-buffers the event only in the pool whose listener
// rejected it. The reference re-buffers it in every pool that holds a
// process "equal" to the rejecting one, and equality compares priority
// only (process.py __eq__): all listener pools default to priority -1, so
// one FAIL in pool A makes pool B, which has already processed the
// event, send it again. The "reference" case applies that rule by hand
// and checks that this test's assertion catches it.
func TestRejectionStaysInItsPool(t *testing.T) {
	for _, rule := range []string{"ours", "reference"} {
		t.Run(rule, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				n := lbDeliveries(t, rule == "reference")
				switch {
				case rule == "ours" && n != 1:
					t.Errorf("pool B's listener got event 0 %d times; want once", n)
				case rule == "reference" && n != 2:
					t.Errorf("under the reference's rule pool B's listener got event 0 %d times; want the duplicate, twice", n)
				}
			})
		})
	}
}

// lbDeliveries runs two pools of equal priority on one bus: A's listener
// rejects event 0 and then takes it, B's takes it at once. It returns how
// many times B's listener was sent event 0.
func lbDeliveries(t *testing.T, referenceRule bool) int {
	h := newHarness(t)
	defer h.close()
	a := h.pool("A", 10, false, "la")
	b := h.pool("B", 10, false, "lb")
	h.up(a, "la")
	h.up(b, "lb")
	h.publish(tick(0))
	h.say(a, "la", "RESULT 4\nFAIL")
	if referenceRule {
		// handle_rejected in every pool whose processes include one of
		// equal priority: B re-buffers the event with its own poolserial.
		it, _ := a.q.Pop()
		a.q.Requeue(it)
		b.q.Requeue(events.Item{Event: it.Event, PoolSerial: 0})
	}
	h.say(b, "lb", "RESULT 2\nOKREADY\n")
	h.say(a, "la", "READY\n")
	h.say(a, "la", "RESULT 2\nOKREADY\n")
	h.say(b, "lb", "RESULT 2\nOKREADY\n")
	sent := h.takeSent()
	if la := slices.Index(sent, "la 0/0:TICK_5"); la < 0 || la+1 == len(sent) || sent[la+1] != "la 0/0:TICK_5" {
		t.Errorf("sent = %q; want pool A's listener to get event 0 twice", sent)
	}
	n := 0
	for _, s := range sent {
		if s == "lb 0/0:TICK_5" {
			n++
		}
	}
	return n
}
