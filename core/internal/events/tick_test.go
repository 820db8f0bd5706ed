package events

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lancerhq/lancer/protocol"
)

// epoch2000 is where synctest's fake clock starts, 2000-01-01 00:00:00
// UTC: a multiple of 3600 s.
const epoch2000 = 946684800

// tickLog pops q and returns its ticks as "TICK_5@+5", times relative to
// epoch2000.
func tickLog(q *Queue) []string {
	var out []string
	for it, ok := q.Pop(); ok; it, ok = q.Pop() {
		p, err := protocol.ParsePayload(it.Event.Type, it.Event.Payload)
		if err != nil {
			panic(err)
		}
		out = append(out, fmt.Sprintf("%s@+%d", it.Event.Type, p.(protocol.Tick).When-epoch2000))
	}
	return out
}

func runTicks(t *testing.T, b *Bus) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- b.RunTicks(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("RunTicks() = %v; want nil", err)
		}
	})
}

func TestRunTicksAligned(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		if time.Now().Unix() != epoch2000 {
			t.Fatalf("fake clock starts at %v", time.Now())
		}
		b := NewBus(nil)
		q, _ := b.Subscribe("ticks", types(protocol.AnyTick), 1000)
		runTicks(t, b)

		time.Sleep(4999 * time.Millisecond)
		synctest.Wait()
		if got := tickLog(q); got != nil {
			t.Errorf("ticks before the first boundary = %v; want none (no tick at startup)", got)
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if got, want := tickLog(q), []string{"TICK_5@+5"}; !cmp.Equal(got, want) {
			t.Errorf("ticks at +5 s = %v; want %v", got, want)
		}
		time.Sleep(55 * time.Second)
		synctest.Wait()
		got := tickLog(q)
		if want := []string{"TICK_5@+60", "TICK_60@+60"}; !cmp.Equal(got[len(got)-2:], want) || len(got) != 12 {
			t.Errorf("ticks to +60 s = %v; want 11 TICK_5 ending with %v", got, want)
		}
		time.Sleep(3540 * time.Second)
		synctest.Wait()
		got = tickLog(q)
		if want := []string{"TICK_5@+3600", "TICK_60@+3600", "TICK_3600@+3600"}; !cmp.Equal(got[len(got)-3:], want) {
			t.Errorf("ticks at the hour end with %v; want %v", got[len(got)-3:], want)
		}
		if n := len(got); n != 708+59+1 {
			t.Errorf("ticks from +60 s to +3600 s = %d; want %d", n, 708+59+1)
		}
	})
}

// Started in the middle of a slice, the first tick comes at the next
// boundary, with when = that boundary.
func TestRunTicksStartMidSlice(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(2500 * time.Millisecond)
		b := NewBus(nil)
		q, _ := b.Subscribe("ticks", types(protocol.Tick5), 10)
		runTicks(t, b)
		time.Sleep(2499 * time.Millisecond)
		synctest.Wait()
		if got := tickLog(q); got != nil {
			t.Errorf("ticks before +5 s = %v; want none", got)
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if got, want := tickLog(q), []string{"TICK_5@+5"}; !cmp.Equal(got, want) {
			t.Errorf("ticks = %v; want %v", got, want)
		}
	})
}

// advance is the reference's tick(): one tick per period whose slice
// changed, however many boundaries were crossed, in period order.
func TestTickSlicesAdvance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		start, at int64
		want      []string
	}{
		{"same slice", 0, 4, nil},
		{"next 5", 4, 5, []string{"TICK_5@5"}},
		{"stall over 3 boundaries", 1, 17, []string{"TICK_5@15"}},
		{"minute", 59, 61, []string{"TICK_5@60", "TICK_60@60"}},
		{"stall over minutes", 59, 250, []string{"TICK_5@250", "TICK_60@240"}},
		{"hour", 3599, 3600, []string{"TICK_5@3600", "TICK_60@3600", "TICK_3600@3600"}},
		{"clock set back", 3600, 3599, []string{"TICK_5@3595", "TICK_60@3540", "TICK_3600@0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s tickSlices
			s.init(epoch2000 + tt.start)
			var got []string
			for _, tk := range s.advance(epoch2000 + tt.at) {
				got = append(got, fmt.Sprintf("%s@%d", tk.Type, tk.When-epoch2000))
			}
			if !cmp.Equal(got, tt.want) {
				t.Errorf("advance(+%d) from +%d = %v; want %v", tt.at, tt.start, got, tt.want)
			}
		})
	}
}

func TestTimeslice(t *testing.T) {
	t.Parallel()
	tests := []struct{ now, period, want int64 }{
		{0, 5, 0}, {4, 5, 0}, {5, 5, 5}, {3599, 3600, 0}, {-1, 5, -5}, {-5, 5, -5},
	}
	for _, tt := range tests {
		if got := timeslice(tt.now, tt.period); got != tt.want {
			t.Errorf("timeslice(%d, %d) = %d; want %d", tt.now, tt.period, got, tt.want)
		}
	}
}
