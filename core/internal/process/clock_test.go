package process

import (
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// TestClockOrdersDueTogether: the startsecs deadlines of twenty processes
// spawned at the same instant fall due together; sharing a Clock, they
// enter RUNNING in the order they were spawned, as the reference's loop
// visits them, whatever order the scheduler would have run their timers
// in. A deadline moved away and back, and one cleared, keep to the rule.
func TestClockOrdersDueTogether(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			mu      sync.Mutex
			running []string
			clock   Clock
		)
		observe := func(c Change) {
			if c.To == Running {
				mu.Lock()
				running = append(running, c.Name)
				mu.Unlock()
			}
		}
		var want []string
		var procs []*Process
		for i := range 20 {
			pol := testPolicy()
			pol.Name = fmt.Sprintf("p%02d", i)
			p := New(Config{Policy: pol, Group: "g", Spawner: &fakeSpawner{scripts: []script{{}}},
				Clock: &clock, Logger: slog.New(slog.DiscardHandler), Observer: observe})
			if err := p.Go(nil); err != nil {
				t.Fatal(err)
			}
			synctest.Wait() // spawned, its startsecs deadline set
			procs = append(procs, p)
			if i != 7 {
				want = append(want, pol.Name)
			}
		}
		// p07 is stopped before its deadline: it leaves the Clock.
		if err := procs[7].Stop(t.Context(), true); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		mu.Lock()
		got := slices.Clone(running)
		mu.Unlock()
		if !slices.Equal(got, want) {
			t.Errorf("RUNNING in the order\n%q\nwant the spawn order\n%q", got, want)
		}
		for _, p := range procs {
			p.End()
			<-p.Done()
		}
		if n := len(clock.armed); n != 0 {
			t.Errorf("%d deadlines armed after every process ended; want 0", n)
		}
	})
}
