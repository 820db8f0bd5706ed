package supervisor

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lancerhq/lancer/core/internal/mainlog"
	"github.com/lancerhq/lancer/core/internal/process"
)

// reportEvery is how often a shutdown that is still waiting says so, as
// the reference's "waiting for x, y to die" every three seconds.
const reportEvery = 3 * time.Second

// stopAll stops every group of v for a shutdown or restart: groups in
// descending priority, every process of one priority level at once, the
// next level as soon as the previous one is down (the reference moves on
// at its next one-second poll, one group at a time). BACKOFF processes
// become FATAL, and no process spawns again.
func (s *Supervisor) stopAll(ctx context.Context, v *view) {
	levels := priorityLevels(v.groups)
	s.reportUnstopped(v, levels)
	last := time.Now()
	for i := len(levels) - 1; i >= 0; i-- {
		procs := levelProcs(levels[i])
		for _, p := range procs {
			if err := p.p.Shutdown(ctx); err != nil {
				s.log.Debug(fmt.Sprintf("shutdown of %s: %v", p.cfg.Name, err))
			}
		}
		last = s.waitStopped(ctx, v, procs, last)
	}
}

// waitStopped waits until every process of procs is in a stopped state,
// reporting what is left every reportEvery since last; it returns when
// the last report was made.
func (s *Supervisor) waitStopped(ctx context.Context, v *view, procs []*proc, last time.Time) time.Time {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, p := range procs {
			_, _ = p.p.WaitFor(ctx, func(i process.Info) bool { return i.State.IsStopped() })
		}
	}()
	t := time.NewTimer(time.Until(last.Add(reportEvery)))
	defer t.Stop()
	for {
		select {
		case <-done:
			return last
		case <-t.C:
			last = time.Now()
			s.reportUnstopped(v, nil)
			t.Reset(reportEvery)
		}
	}
}

// reportUnstopped logs "waiting for a, b to die" with every process of v
// not yet stopped, in group order, as the reference's shutdown report,
// then each one's state at BLAT level ("a state: STOPPING"). When levels
// is given (the first report, made before anything is signalled), the
// processes of the last group are described as the reference sees them,
// after it has stopped that group: BACKOFF ones have become FATAL and are
// left out, STARTING and RUNNING ones are STOPPING.
func (s *Supervisor) reportUnstopped(v *view, levels [][]*group) {
	var lastGroup *group
	if len(levels) > 0 {
		top := levels[len(levels)-1]
		lastGroup = top[len(top)-1]
	}
	var names, states []string
	for _, g := range v.groups {
		for _, p := range g.procs {
			st := p.p.Snapshot().State
			if st.IsStopped() || (g == lastGroup && st == process.Backoff) {
				continue
			}
			if g == lastGroup && (st == process.Starting || st == process.Running) {
				st = process.Stopping
			}
			names = append(names, p.cfg.Name)
			states = append(states, st.String())
		}
	}
	if len(names) == 0 {
		return
	}
	s.log.Info(fmt.Sprintf("waiting for %s to die", strings.Join(names, ", ")))
	for i, name := range names {
		s.log.Log(context.Background(), mainlog.LevelBlather, fmt.Sprintf("%s state: %s", name, states[i]))
	}
}

// priorityLevels splits groups (sorted by priority) into runs of equal
// priority, lowest first.
func priorityLevels(groups []*group) [][]*group {
	var levels [][]*group
	for i, g := range groups {
		if i == 0 || g.cfg.Priority != groups[i-1].cfg.Priority {
			levels = append(levels, nil)
		}
		levels[len(levels)-1] = append(levels[len(levels)-1], g)
	}
	return levels
}

// levelProcs returns the processes of one level in the order the
// reference stops them: groups in descending order, and in each group
// the processes by descending priority (its stop_all reverses a stable
// sort by priority), so that the signals and their DEBG lines come in the
// reference's order.
func levelProcs(level []*group) []*proc {
	var procs []*proc
	for _, g := range slices.Backward(level) {
		gp := slices.Clone(g.procs)
		slices.SortStableFunc(gp, func(a, b *proc) int { return cmp.Compare(a.cfg.Priority, b.cfg.Priority) })
		slices.Reverse(gp)
		procs = append(procs, gp...)
	}
	return procs
}
