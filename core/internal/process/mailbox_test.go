package process

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// TestActorIdleHoldsNoGoroutine: an actor runs only while it has work, so
// twenty processes waiting for their children cost no goroutine, and their
// timers, exits and commands still reach them. Not parallel, so that no
// other test's actors run meanwhile.
func TestActorIdleHoldsNoGoroutine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var actors []*Process
		for range 20 {
			fake := &fakeSpawner{scripts: []script{{exitAfter: 5 * time.Second, code: 1}}}
			a := New(Config{Policy: testPolicy(), Group: "g", Spawner: fake, Logger: slog.New(slog.DiscardHandler)})
			if err := a.Go(nil); err != nil {
				t.Fatal(err)
			}
			actors = append(actors, a)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if n := actorGoroutines(); n != 0 {
			t.Errorf("%d goroutines in actors with 20 processes RUNNING; want 0", n)
		}
		for _, a := range actors {
			if s := a.Snapshot().State; s != Running {
				t.Errorf("state after startsecs = %v; want RUNNING", s)
			}
		}
		time.Sleep(3500 * time.Millisecond) // each exits at 5 s (code 1, unexpected) and respawns
		synctest.Wait()
		for _, a := range actors {
			if i := a.Snapshot(); i.State != Starting || i.Pid != 102 {
				t.Errorf("after the unexpected exit: %v pid %d; want STARTING pid 102", i.State, i.Pid)
			}
			if err := a.Stop(t.Context(), true); err != nil {
				t.Errorf("Stop = %v", err)
			}
		}
		for _, a := range actors {
			a.End()
			<-a.Done()
		}
		synctest.Wait()
		if n := actorGoroutines(); n != 0 {
			t.Errorf("%d goroutines in actors after every actor ended; want 0", n)
		}
	})
}

// actorGoroutines counts the goroutines running or parked in a Process
// or a Clock. Counting all goroutines would also count those of other
// tests' timers that happen to fire meanwhile.
func actorGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "internal/process.(*Process)") || strings.Contains(g, "internal/process.(*Clock)") {
			n++
		}
	}
	return n
}

// TestActorCommandBeforeGo: a command sent before the actor is started
// waits for it; one whose context ends first is withdrawn and never
// carried out.
func TestActorCommandBeforeGo(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pol := testPolicy()
		pol.AutoStart = false
		fake := &fakeSpawner{scripts: []script{{}}}
		p := New(Config{Policy: pol, Group: "g", Spawner: fake, Logger: slog.New(slog.DiscardHandler)})

		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		if err := p.Start(ctx, false); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Start before Go, timing out = %v; want DeadlineExceeded", err)
		}
		started := make(chan error, 1)
		go func() { started <- p.Start(t.Context(), false) }()
		time.Sleep(time.Second)
		synctest.Wait()
		if s := p.Snapshot().State; s != Stopped {
			t.Fatalf("state before Go = %v; want STOPPED", s)
		}

		if err := p.Go(nil); err != nil {
			t.Fatalf("Go = %v", err)
		}
		if err := <-started; err != nil {
			t.Errorf("waiting Start = %v; want nil", err)
		}
		synctest.Wait()
		if i := p.Snapshot(); i.State != Starting || i.Pid != 101 {
			t.Errorf("after Go: %v pid %d; want STARTING pid 101 (one spawn only)", i.State, i.Pid)
		}
		if err := p.Go(nil); err == nil {
			t.Errorf("second Go = nil; want an error")
		}
		p.End()
		<-p.Done()
		if n := len(fake.procs); n != 1 {
			t.Errorf("%d spawns; want 1: the withdrawn Start must not run", n)
		}
	})
}
