package supervisor

import (
	"slices"
	"sync"
)

// spawnOrder makes spawns that run at once report in a given order. The
// reference spawns the processes of a priority level one after the
// other, so that their "spawned:" (or "spawnerr:") lines and STARTING
// snapshots come in its order; Lancer runs several spawns of a level at
// once, forking being most of a spawn's cost, and holds each finished
// spawn back, before its actor reports it, until the process expected
// before it has reported its own.
//
// A batch lists the spawns expected, each by process name and with a way
// to wait until that process has reported. A spawn claims the first
// unclaimed entry of its name. Names are unique within a group, so only
// a process of the same name in another group, spawning at that time,
// can claim another's entry: that costs order, never progress, since a
// spawn only ever waits for an entry before its own, and every such wait
// ends with its batch's context.
//
// The zero value is ready to use. A spawnOrder is safe for concurrent
// use.
type spawnOrder struct {
	mu      sync.Mutex
	entries []*spawnEntry // unclaimed, of every batch under way
}

// spawnTurn is one expected spawn of a batch.
type spawnTurn struct {
	name string
	done func() // returns once the process has reported its spawn
}

type spawnEntry struct {
	spawnTurn
	prev *spawnEntry // nil for the first of its batch
}

// expect adds a batch of spawns, in the order they are to report, and
// returns the function that ends it, dropping its unclaimed entries.
func (o *spawnOrder) expect(turns []spawnTurn) (end func()) {
	batch := make([]*spawnEntry, len(turns))
	for i, t := range turns {
		batch[i] = &spawnEntry{spawnTurn: t}
		if i > 0 {
			batch[i].prev = batch[i-1]
		}
	}
	o.mu.Lock()
	o.entries = append(o.entries, batch...)
	o.mu.Unlock()
	return func() {
		o.mu.Lock()
		defer o.mu.Unlock()
		o.entries = slices.DeleteFunc(o.entries, func(e *spawnEntry) bool { return slices.Contains(batch, e) })
	}
}

// claim is called as process name begins to spawn. It returns what the
// spawn calls before it returns: a wait for the process expected before
// it, or nothing when the spawn was not expected or comes first.
func (o *spawnOrder) claim(name string) (turn func()) {
	o.mu.Lock()
	defer o.mu.Unlock()
	i := slices.IndexFunc(o.entries, func(e *spawnEntry) bool { return e.name == name })
	if i < 0 {
		return func() {}
	}
	e := o.entries[i]
	o.entries = slices.Delete(o.entries, i, i+1)
	if e.prev == nil {
		return func() {}
	}
	return e.prev.done
}
