package supervisor

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lancerhq/lancer/core/internal/process"
)

// windowSpawner is a fakeSpawner that asks for window spawns at once
// (spawnWindow) and whose spawns each take spawnTime, as a fork does.
// It records when each spawn began and ended and how many ran at once
// at most.
type windowSpawner struct {
	*fakeSpawner
	window int
	t0     time.Time

	mu       sync.Mutex
	inflight int
	peak     int
	spans    []spawnSpan
}

// spawnTime is how long a windowSpawner's spawn takes.
const spawnTime = time.Millisecond

type spawnSpan struct {
	name       string
	begin, end time.Duration // since the spawner was made
}

// newWindowSpawner must be called inside the synctest bubble.
func newWindowSpawner(fake *fakeSpawner, window int) *windowSpawner {
	return &windowSpawner{fakeSpawner: fake, window: window, t0: time.Now()}
}

func (w *windowSpawner) SpawnWindow() int { return w.window }

// maxInflight returns how many spawns ran at once at most.
func (w *windowSpawner) maxInflight() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peak
}

func (w *windowSpawner) Spawn(spec process.SpawnSpec) (process.Proc, error) {
	w.mu.Lock()
	begin := time.Since(w.t0)
	w.inflight++
	w.peak = max(w.peak, w.inflight)
	w.mu.Unlock()
	time.Sleep(spawnTime)
	defer func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.inflight--
		w.spans = append(w.spans, spawnSpan{spec.Name, begin, time.Since(w.t0)})
	}()
	return w.fakeSpawner.Spawn(spec)
}

// checkLevels fails t unless the spawns of each level (names) all ended
// before any of the next level began; levels without spawns are skipped.
func (w *windowSpawner) checkLevels(t *testing.T, levels ...[]string) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	var lastEnd time.Duration
	for i, level := range levels {
		var firstBegin, end time.Duration = -1, 0
		for _, sp := range w.spans {
			if slices.Contains(level, sp.name) {
				if firstBegin < 0 || sp.begin < firstBegin {
					firstBegin = sp.begin
				}
				end = max(end, sp.end)
			}
		}
		if firstBegin < 0 {
			continue
		}
		if i > 0 && firstBegin < lastEnd {
			t.Errorf("level %q began spawning at %v, before the level before it was done at %v", level, firstBegin, lastEnd)
		}
		lastEnd = end
	}
}

// spawnedPid masks the pid of a "spawned:" line: which of the spawns of
// a level that run at once gets the next fake pid is the scheduler's.
var spawnedPid = regexp.MustCompile(`(spawned: '[^']+') with pid \d+`)

// spawnLines returns the main-log lines of the timeline so far, with
// their times, "spawned:" pids masked, and clears it.
func spawnLines(h *harness) []string {
	var out []string
	for _, l := range h.tl.take() {
		_, msg, _ := strings.Cut(l, " ")
		if !strings.HasPrefix(msg, "spawn ") && !strings.HasPrefix(msg, "signal ") {
			out = append(out, spawnedPid.ReplaceAllString(l, "$1"))
		}
	}
	return out
}

// levelConf has a priority level of six programs, then one of three, one
// of which does not autostart.
const levelConf = `
[program:a0]
command = a0
priority = 1
numprocs = 6
process_name = a%(process_num)d

[program:b0]
command = b0
priority = 2

[program:b1]
command = b1
priority = 2
autostart = false

[program:b2]
command = b2
priority = 2
`

// TestLaunchLevels checks that the daemon's start spawns priority levels
// strictly one after the other, up to spawnWindow spawns of a level at
// once, and that the "spawned:" lines still come in the reference's
// order.
func TestLaunchLevels(t *testing.T) {
	for _, window := range []int{1, 4} {
		t.Run(fmt.Sprintf("window %d", window), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newHarness(t, levelConf)
				ws := newWindowSpawner(h.fake, window)
				h.opts.Spawner = ws
				h.start()
				time.Sleep(time.Second / 2)
				// Each spawn takes 1 ms; window of them run at once.
				at := func(i int) string { return (time.Duration(i/window+1) * spawnTime).String() }
				want := []string{"0s INFO supervisord started with pid 42"}
				for i := range 6 {
					want = append(want, fmt.Sprintf("%s INFO spawned: 'a%d'", at(i), i))
				}
				level2 := time.Duration((5/window)+1) * spawnTime
				want = append(want,
					(level2+spawnTime).String()+" INFO spawned: 'b0'",
					(level2+spawnTime*time.Duration(1/window+1)).String()+" INFO spawned: 'b2'")
				if d := diffLines(spawnLines(h), want); d != "" {
					t.Errorf("main log:\n%s", d)
				}
				if got := ws.maxInflight(); got != window {
					t.Errorf("%d spawns ran at once at most; want %d", got, window)
				}
				ws.checkLevels(t, []string{"a0", "a1", "a2", "a3", "a4", "a5"}, []string{"b0", "b2"})
				h.stop()
			})
		})
	}
}

// TestSpawnOrderReportsInOrder checks the spawner's order on its own:
// spawns that end in reverse order still report in the batch's order,
// and a spawn nobody expects does not wait.
func TestSpawnOrderReportsInOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var o spawnOrder
		var mu sync.Mutex
		var reported []string
		done := map[string]chan struct{}{}
		var turns []spawnTurn
		for _, name := range []string{"x", "y", "z"} {
			done[name] = make(chan struct{})
			turns = append(turns, spawnTurn{name: name, done: func() { <-done[name] }})
		}
		end := o.expect(turns)
		for i, name := range []string{"x", "y", "z"} {
			go func() {
				turn := o.claim(name)
				time.Sleep(time.Duration(3-i) * time.Millisecond) // z forks fastest
				turn()
				mu.Lock()
				reported = append(reported, name)
				mu.Unlock()
				close(done[name])
			}()
		}
		o.claim("other")() // not expected: no wait
		synctest.Wait()
		time.Sleep(time.Second)
		end()
		mu.Lock()
		defer mu.Unlock()
		if want := []string{"x", "y", "z"}; !slices.Equal(reported, want) {
			t.Errorf("reported %q; want %q", reported, want)
		}
		o.mu.Lock()
		defer o.mu.Unlock()
		if len(o.entries) != 0 {
			t.Errorf("%d entries left after the batch", len(o.entries))
		}
	})
}
