package events

import (
	"context"
	"time"

	"github.com/lancerhq/lancer/protocol"
)

// tickTypes are the TICK events in the order the reference notifies them
// (events.TICK_EVENTS), with their periods in seconds. Every period is a
// multiple of the first, so waking at multiples of 5 s sees every
// boundary.
var tickTypes = [...]struct {
	t      protocol.EventType
	period int64
}{
	{protocol.Tick5, 5},
	{protocol.Tick60, 60},
	{protocol.Tick3600, 3600},
}

// RunTicks publishes TICK_5, TICK_60 and TICK_3600 until ctx ends, as
// supervisord's tick() does (supervisor.md §1.5): each time the wall clock
// enters a new slice of a period, one event with when = the start of the
// slice, an epoch multiple of the period. The slices current when RunTicks
// starts are recorded without a tick; a boundary crossed while the
// process stood still (a suspended machine) yields one tick per period,
// not one per missed boundary; at a minute boundary TICK_5 comes before
// TICK_60, and at an hour TICK_60 before TICK_3600. A wall clock set
// backwards also changes the slice and so ticks, as in the reference.
//
// The reference checks once per main-loop iteration, up to a second late;
// RunTicks wakes on the boundary itself. It also restarts its slices with
// each supervisord generation, so run RunTicks under the generation's
// context to match it across reloads. RunTicks returns nil when ctx ends.
func (b *Bus) RunTicks(ctx context.Context) error {
	var last tickSlices
	last.init(time.Now().Unix())
	timer := time.NewTimer(untilNextSlice(time.Now(), tickTypes[0].period))
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		}
		for _, t := range last.advance(time.Now().Unix()) {
			b.Publish(t)
		}
		timer.Reset(untilNextSlice(time.Now(), tickTypes[0].period))
	}
}

// tickSlices holds the current slice of each tick period, the reference's
// Supervisor.ticks.
type tickSlices [len(tickTypes)]int64

// init records the slices of now without ticking, as the reference does
// at startup.
func (s *tickSlices) init(now int64) {
	for i, tt := range tickTypes {
		s[i] = timeslice(now, tt.period)
	}
}

// advance moves to the slices of now and returns a tick for each period
// whose slice changed, in the reference's order. It is pure but for s.
func (s *tickSlices) advance(now int64) []protocol.Tick {
	var ticks []protocol.Tick
	for i, tt := range tickTypes {
		if cur := timeslice(now, tt.period); cur != s[i] {
			s[i] = cur
			ticks = append(ticks, protocol.Tick{Type: tt.t, When: cur})
		}
	}
	return ticks
}

// timeslice is the reference's timeslice(): the start of the period that
// holds the epoch second now.
func timeslice(now, period int64) int64 {
	s := now - now%period
	if now%period < 0 { // before 1970: floor, as Python's % does
		s -= period
	}
	return s
}

// untilNextSlice returns how long it is from now to the next multiple of
// period seconds, by the wall clock.
func untilNextSlice(now time.Time, period int64) time.Duration {
	next := time.Unix(timeslice(now.Unix(), period)+period, 0)
	return next.Sub(now.Round(0))
}
