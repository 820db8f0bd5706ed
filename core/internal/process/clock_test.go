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
			clock Clock
			log   changeLog
		)
		var want []string
		var procs []*Process
		for i := range 20 {
			pol := testPolicy()
			pol.Name = fmt.Sprintf("p%02d", i)
			p := New(Config{Policy: pol, Group: "g", Spawner: &fakeSpawner{scripts: []script{{}}},
				Clock: &clock, Logger: slog.New(slog.DiscardHandler), Observer: log.observe})
			if err := p.Go(nil); err != nil {
				t.Fatal(err)
			}
			synctest.Wait() // spawned, its startsecs deadline set
			procs = append(procs, p)
			if i != 7 {
				want = append(want, "1s "+pol.Name+" RUNNING")
			}
		}
		// p07 is stopped before its deadline: it leaves the Clock.
		if err := procs[7].Stop(t.Context(), true); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if got := log.take(Running); !slices.Equal(got, want) {
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

// changeLog records changes of any process as "1s name STATE", in the
// (fake) time since t0.
type changeLog struct {
	mu    sync.Mutex
	lines []string
	to    []State
}

func (l *changeLog) observe(c Change) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf("%v %s %v", time.Since(t0), c.Name, c.To))
	l.to = append(l.to, c.To)
}

// take returns the lines of changes to state and forgets all.
func (l *changeLog) take(state State) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for i, line := range l.lines {
		if l.to[i] == state {
			out = append(out, line)
		}
	}
	l.lines, l.to = nil, nil
	return out
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
		var (
			clock Clock
			log   changeLog
		)
		slow := &blockingSpawner{fakeSpawner: fakeSpawner{scripts: []script{{exitAfter: 500 * time.Millisecond, code: 1}, {}}}, release: make(chan struct{})}
		a := testPolicy()
		a.Name = "a"
		pa := New(Config{Policy: a, Group: "g", Spawner: slow, Clock: &clock, Logger: slog.New(slog.DiscardHandler), Observer: log.observe})
		if err := pa.Go(nil); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second) // a exited at 0.5 s; its retry is due at 1.5 s and will hang
		b := testPolicy()
		b.Name = "b"
		pb := New(Config{Policy: b, Group: "g", Spawner: &fakeSpawner{scripts: []script{{}}}, Clock: &clock, Logger: slog.New(slog.DiscardHandler), Observer: log.observe})
		if err := pb.Go(nil); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * time.Second)
		synctest.Wait()
		if got := log.take(Running); !slices.Contains(got, "2s b RUNNING") {
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
