package supervisor

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lancerhq/lancer/core/internal/process"
)

// startPoll is how often the reference polls the starts that wait for
// RUNNING (the delay of its deferred startAllProcesses and onwait).
const startPoll = 50 * time.Millisecond

// pendingStart is one process that startProcs starts.
type pendingStart struct {
	i      int // its place in start order
	p      *proc
	issued chan struct{} // closed when Start has returned; then:
	err    error         // what it returned
	later  bool          // the outcome is awaited: RUNNING or a failure
}

// startOutcome is how an awaited start ended.
type startOutcome struct {
	i   int
	err error
}

// startProcs starts the procs that are not running as the reference's
// startAllProcesses and startProcessGroup do: in ascending priority
// (groups by theirs, each group's processes by their own, both sorts
// stable), every start of one priority level issued before the next
// level's, several at once within a level.
//
// The results come in the reference's order. First those known at once,
// in start order: a start that failed, every start without wait, and a
// process with startsecs=0, RUNNING at once. Then, with wait, the starts
// that waited for RUNNING, in the order they ended; as the reference
// polls them every startPoll, those that end within startPoll of the
// first of them come together, in start order.
func (s *Supervisor) startProcs(ctx context.Context, procs []*proc, wait bool) []Result {
	starts := startOrder(procs)
	outcomes := make(chan startOutcome, len(starts))
	for _, level := range startLevels(starts) {
		s.issueStarts(ctx, level, wait, outcomes)
	}
	res := []Result{}
	n := 0
	for _, st := range starts {
		if st.later {
			n++
		} else {
			res = append(res, st.p.result(st.err))
		}
	}
	return append(res, collectStarts(starts, outcomes, n)...)
}

// startOrder returns the procs that are not running in the reference's
// start order: procs come grouped by group, in group order; each group's
// are sorted by priority, stably.
func startOrder(procs []*proc) []*pendingStart {
	sorted := slices.Clone(procs)
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j].group == sorted[i].group {
			j++
		}
		slices.SortStableFunc(sorted[i:j], func(a, b *proc) int { return cmp.Compare(a.cfg.Priority, b.cfg.Priority) })
		i = j
	}
	var out []*pendingStart
	for _, p := range sorted {
		if !p.p.Snapshot().State.IsRunning() {
			out = append(out, &pendingStart{i: len(out), p: p, issued: make(chan struct{})})
		}
	}
	return out
}

// startLevels splits starts into runs of equal (group, process)
// priority.
func startLevels(starts []*pendingStart) [][]*pendingStart {
	var levels [][]*pendingStart
	for i, st := range starts {
		if i == 0 || st.p.group.cfg.Priority != starts[i-1].p.group.cfg.Priority || st.p.cfg.Priority != starts[i-1].p.cfg.Priority {
			levels = append(levels, nil)
		}
		levels[len(levels)-1] = append(levels[len(levels)-1], st)
	}
	return levels
}

// issueStarts starts the processes of one level, up to spawnWindow at
// once, and returns when every Start has returned; their spawns report
// in the level's order. An awaited start sends its outcome to outcomes
// when it ends.
func (s *Supervisor) issueStarts(ctx context.Context, level []*pendingStart, wait bool, outcomes chan<- startOutcome) {
	turns := make([]spawnTurn, len(level))
	for i, st := range level {
		turns[i] = spawnTurn{name: st.p.cfg.Name, done: func() { <-st.issued }}
	}
	defer s.spawner.order.expect(turns)()
	slots := make(chan struct{}, spawnWindow(s.opts.Spawner))
	for _, st := range level {
		slots <- struct{}{}
		go func() {
			st.err = st.p.p.Start(ctx, false)
			st.later = st.err == nil && wait && st.p.cfg.StartSecs > 0
			close(st.issued)
			<-slots
			if st.later {
				outcomes <- startOutcome{st.i, awaitRunning(ctx, st.p)}
			}
		}()
	}
	for _, st := range level {
		<-st.issued
	}
}

// awaitRunning waits for a process just started to reach RUNNING, as
// startProcess's onwait does: a spawnerr first is SPAWN_ERROR, leaving
// STARTING any other way ABNORMAL_TERMINATION.
func awaitRunning(ctx context.Context, p *proc) error {
	i, err := p.p.WaitFor(ctx, func(i process.Info) bool { return i.State != process.Starting || i.SpawnErr != "" })
	switch {
	case err != nil:
		return fmt.Errorf("start %s: %w", p.cfg.Name, err)
	case i.SpawnErr != "":
		return fmt.Errorf("start %s: %w: %s", p.cfg.Name, process.ErrSpawn, i.SpawnErr)
	case i.State != process.Running:
		return fmt.Errorf("start %s: %w", p.cfg.Name, process.ErrAbnormalTermination)
	}
	return nil
}

// collectStarts receives n outcomes and returns their results, one poll
// at a time: the first outcome opens a poll, which takes every outcome
// that comes within startPoll, in start order.
func collectStarts(starts []*pendingStart, outcomes <-chan startOutcome, n int) []Result {
	var res []Result
	for n > 0 {
		poll := []startOutcome{<-outcomes}
		n--
		t := time.NewTimer(startPoll)
	collect:
		for n > 0 {
			select {
			case o := <-outcomes:
				poll = append(poll, o)
				n--
			case <-t.C:
				break collect
			}
		}
		t.Stop()
		slices.SortFunc(poll, func(a, b startOutcome) int { return cmp.Compare(a.i, b.i) })
		for _, o := range poll {
			res = append(res, starts[o.i].p.result(o.err))
		}
	}
	return res
}

// result is p's row in a result array.
func (p *proc) result(err error) Result {
	return Result{Name: p.cfg.Name, Group: p.group.cfg.Name, Err: err}
}
