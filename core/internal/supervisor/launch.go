package supervisor

import (
	"context"
	"runtime/debug"
	"sync"

	"github.com/lancerhq/lancer/core/internal/process"
)

// openers bounds how many processes have their channels opened at once.
// Creating a file in a directory takes that directory's lock, so that
// more openers would only wait for each other and take CPU from the
// spawns.
const openers = 2

// lookahead bounds how many processes launch builds ahead of the one it
// starts. Every file the daemon holds open is copied into each child and
// closed again by its exec, which makes a spawn slower the more there
// are: the log files of processes that are not about to spawn are best
// not open yet.
const lookahead = 8

// forkWindow is how many spawns of one priority level a spawner that
// forks runs at once: most of a spawn is the kernel's fork and exec,
// which overlap on several cores.
const forkWindow = 4

// launch builds the processes of v and starts them level by level, as
// the reference's first pass over its groups does: every spawn of a
// priority level is done (and logged) before the next level's begin.
//
// A process's log files are created when it is built, in the background
// and in start order, a few processes ahead of the spawns, so that each
// process spawns as soon as its own files exist rather than after all of
// them: the reference creates them all before "supervisord started",
// which for a thousand AUTO logs on a busy disk takes most of a second.
// v.pending is closed once every process is built.
func (s *Supervisor) launch(g *generation, v *view) {
	restore := s.tuning.begin(s.opts)
	ahead := make(chan struct{}, lookahead)
	built := s.build(g, v.procs(), ahead)
	for _, level := range priorityLevels(v.groups) {
		var procs []*proc
		for _, gr := range level {
			procs = append(procs, gr.procs...)
		}
		s.runLevel(g, procs, ahead)
	}
	<-built
	close(v.pending)
	// The start-up burst (the config, two log files and a spawn per
	// process) leaves most of the heap as garbage: hand it back to the
	// OS now instead of holding it until the scavenger gets to it
	// (500 programs: ~23 MB resident before, ~19 MB after).
	debug.FreeOSMemory()
	go releaseWhenStarted(g.ctx, v.procs(), restore)
}

// releaseWhenStarted hands the heap back to the OS once none of procs is
// STARTING any more, when their RUNNING transitions (a log line, a state
// event and a snapshot each) have left their garbage too. Then, or when
// ctx ends first, it calls restore.
func releaseWhenStarted(ctx context.Context, procs []*proc, restore func()) {
	for _, p := range procs {
		_, err := p.p.WaitFor(ctx, func(i process.Info) bool { return i.State != process.Starting })
		if err != nil {
			restore()
			return
		}
	}
	restore()
	debug.FreeOSMemory()
}

// build opens the channels of procs and builds their actors in the
// background, openers at a time, in order; each proc's made is closed as
// it is built. When ahead is not nil, building a proc takes one of its
// slots, which runLevel gives back as it starts the proc. The channel
// returned is closed when all are built.
func (s *Supervisor) build(g *generation, procs []*proc, ahead chan struct{}) <-chan struct{} {
	work := make(chan *proc, len(procs))
	for _, p := range procs {
		work <- p
	}
	close(work)
	all := make(chan struct{})
	var wg sync.WaitGroup
	for range min(openers, len(procs)) {
		wg.Go(func() {
			for {
				// The slot is taken before the proc, so that the
				// procs holding slots are always the first ones
				// not started yet.
				if ahead != nil {
					ahead <- struct{}{}
				}
				p, ok := <-work
				if !ok {
					return
				}
				s.openChannels(g, p)
				s.newProcess(g, p)
				if p.made != nil {
					close(p.made)
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(all)
	}()
	return all
}

// runLevel starts the actors of procs, one priority level, in order, and
// returns once every autostart process among them has spawned (or failed
// to). Up to spawnWindow spawns run at once; the spawner's order makes
// them report (log "spawned:", publish STARTING) in the order of procs,
// as the reference, which spawns one after the other, does. ahead, if not
// nil, is build's: a slot is given back for every proc started.
func (s *Supervisor) runLevel(g *generation, procs []*proc, ahead chan struct{}) {
	var turns []spawnTurn
	for _, p := range procs {
		if p.cfg.AutoStart {
			turns = append(turns, spawnTurn{name: p.cfg.Name, done: func() { awaitSpawn(g.ctx, p) }})
		}
	}
	defer s.spawner.order.expect(turns)()
	window := spawnWindow(s.opts.Spawner)
	var inflight []*proc
	for _, p := range procs {
		if p.made != nil {
			<-p.made
			p.made = nil // closed for good: let it go
		}
		if ahead != nil {
			<-ahead
		}
		if p.cfg.AutoStart && len(inflight) == window {
			awaitSpawn(g.ctx, inflight[0])
			inflight = inflight[1:]
		}
		g.runActor(p)
		if p.cfg.AutoStart {
			inflight = append(inflight, p)
		}
	}
	for _, p := range inflight {
		awaitSpawn(g.ctx, p)
	}
}

// awaitSpawn returns once the autostart process p has left STOPPED: its
// actor has spawned it (or failed to) and logged it. It returns early
// when ctx ends.
func awaitSpawn(ctx context.Context, p *proc) {
	_, _ = p.p.WaitFor(ctx, func(i process.Info) bool { return i.State != process.Stopped })
}

// spawnWindow is how many spawns of one level sp is given at once. One
// that forks gets forkWindow. Any other (a test's fake) is called one
// spawn at a time, so that the order of its calls, and the pids it hands
// out, follow the config, unless it asks for more with a SpawnWindow
// method.
func spawnWindow(sp process.Spawner) int {
	switch sp := sp.(type) {
	case interface{ SpawnWindow() int }:
		return max(sp.SpawnWindow(), 1)
	case *process.ExecSpawner:
		return forkWindow
	}
	return 1
}
