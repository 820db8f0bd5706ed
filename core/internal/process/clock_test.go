package process

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
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

// blockingSpawner is a fakeSpawner whose spawns after the first wait
// until release is closed.
type blockingSpawner struct {
	fakeSpawner
	release chan struct{}
	calls   int
}

func (s *blockingSpawner) Spawn(spec SpawnSpec) (Proc, error) {
	s.mu.Lock()
	s.calls++
	n := s.calls
	s.mu.Unlock()
	if n > 1 {
		<-s.release
	}
	return s.fakeSpawner.Spawn(spec)
}

// TestClockSlowWorkDoesNotHoldOthers: a backoff retry whose spawn hangs
// (a command on a dead NFS mount) keeps the Clock's goroutine, but only
// for handOff: another process's startsecs deadline, due later, is still
// met on time.
func TestClockSlowWorkDoesNotHoldOthers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var clock Clock
		var mu sync.Mutex
		var events []string
		observe := func(c Change) {
			mu.Lock()
			events = append(events, fmt.Sprintf("%v %s %v", time.Since(t0), c.Name, c.To))
			mu.Unlock()
		}
		slow := &blockingSpawner{fakeSpawner: fakeSpawner{scripts: []script{{exitAfter: 500 * time.Millisecond, code: 1}, {}}}, release: make(chan struct{})}
		a := testPolicy()
		a.Name = "a"
		pa := New(Config{Policy: a, Group: "g", Spawner: slow, Clock: &clock, Logger: slog.New(slog.DiscardHandler), Observer: observe})
		if err := pa.Go(nil); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second) // a exited at 0.5 s; its retry is due at 1.5 s and will hang
		b := testPolicy()
		b.Name = "b"
		pb := New(Config{Policy: b, Group: "g", Spawner: &fakeSpawner{scripts: []script{{}}}, Clock: &clock, Logger: slog.New(slog.DiscardHandler), Observer: observe})
		if err := pb.Go(nil); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * time.Second)
		synctest.Wait()
		mu.Lock()
		got := slices.Clone(events)
		mu.Unlock()
		if !slices.Contains(got, "2s b RUNNING") {
			t.Errorf("events:\n%s\nwant b RUNNING at 2s, while a's spawn hangs", strings.Join(got, "\n"))
		}
		close(slow.release)
		synctest.Wait()
		if s := pa.Snapshot().State; s != Starting {
			t.Errorf("a after its spawn returns: %v; want STARTING", s)
		}
		for _, p := range []*Process{pa, pb} {
			p.End()
			<-p.Done()
		}
	})
}
