package supervisor

import (
	"context"
	"fmt"
	"syscall"

	"github.com/lancerhq/lancer/core/internal/process"
)

// Result is the outcome for one process of a command on a group or on
// all processes, the rows of the reference's result arrays.
type Result struct {
	Name, Group string
	Err         error // nil for SUCCESS
}

// gate refuses commands while the daemon shuts down or restarts, as the
// reference's SHUTDOWN_STATE check at the top of every method. Right
// after a start, it waits until every process has its actor (see
// launch).
func (s *Supervisor) gate() (*view, error) {
	if s.Mood() != Running {
		return nil, ErrShutdownState
	}
	v := s.view.Load()
	v.wait()
	return v, nil
}

// StartProcess starts one process, as startProcess(name, wait) does. A
// group form ("g:*") is BAD_NAME here; the caller delegates it to
// StartGroup as the reference does.
func (s *Supervisor) StartProcess(ctx context.Context, name string, wait bool) error {
	return s.onProcess(name, func(p *process.Process) error { return p.Start(ctx, wait) })
}

// StopProcess stops one process, as stopProcess(name, wait) does.
func (s *Supervisor) StopProcess(ctx context.Context, name string, wait bool) error {
	return s.onProcess(name, func(p *process.Process) error { return p.Stop(ctx, wait) })
}

// SignalProcess sends sig to one process, as signalProcess does.
func (s *Supervisor) SignalProcess(ctx context.Context, name string, sig syscall.Signal) error {
	return s.onProcess(name, func(p *process.Process) error { return p.Signal(ctx, sig) })
}

// WriteStdin writes data to one process's standard input.
func (s *Supervisor) WriteStdin(ctx context.Context, name string, data []byte) error {
	return s.onProcess(name, func(p *process.Process) error { return p.WriteStdin(ctx, data) })
}

// onProcess runs f on process name once the shutdown gate lets it through.
func (s *Supervisor) onProcess(name string, f func(*process.Process) error) error {
	v, err := s.gate()
	if err != nil {
		return err
	}
	p, err := v.lookup(name)
	if err != nil {
		return err
	}
	return f(p.p)
}

// StartGroup starts the processes of group name that are not running, in
// priority order, and returns their results in the reference's order
// (startProcessGroup; see startProcs). A group whose processes all run
// gives no results.
func (s *Supervisor) StartGroup(ctx context.Context, name string, wait bool) ([]Result, error) {
	return s.onTargets(name, false, func(procs []*proc) []Result { return s.startProcs(ctx, procs, wait) })
}

// StartAll starts every process that is not running (startAllProcesses),
// as StartGroup does.
func (s *Supervisor) StartAll(ctx context.Context, wait bool) ([]Result, error) {
	return s.onTargets("", true, func(procs []*proc) []Result { return s.startProcs(ctx, procs, wait) })
}

// StopGroup stops the running processes of group name (stopProcessGroup).
func (s *Supervisor) StopGroup(ctx context.Context, name string, wait bool) ([]Result, error) {
	return s.onTargets(name, false, func(procs []*proc) []Result { return stopProcs(ctx, procs, wait) })
}

// StopAll stops every running process (stopAllProcesses).
func (s *Supervisor) StopAll(ctx context.Context, wait bool) ([]Result, error) {
	return s.onTargets("", true, func(procs []*proc) []Result { return stopProcs(ctx, procs, wait) })
}

// SignalGroup signals the signallable processes of group name.
func (s *Supervisor) SignalGroup(ctx context.Context, name string, sig syscall.Signal) ([]Result, error) {
	return s.onTargets(name, false, func(procs []*proc) []Result { return signalProcs(ctx, procs, sig) })
}

// SignalAll signals every signallable process.
func (s *Supervisor) SignalAll(ctx context.Context, sig syscall.Signal) ([]Result, error) {
	return s.onTargets("", true, func(procs []*proc) []Result { return signalProcs(ctx, procs, sig) })
}

// onTargets runs f on the processes of group name, or of every group when
// all is set, once the shutdown gate lets it through. (An empty name is
// not "all": startProcessGroup("") is BAD_NAME in the reference.)
func (s *Supervisor) onTargets(name string, all bool, f func([]*proc) []Result) ([]Result, error) {
	v, err := s.gate()
	if err != nil {
		return nil, err
	}
	if all {
		return f(v.procs()), nil
	}
	// "g", "g:" and "g:*" name group g; "g:p" names a process, which
	// the reference's group methods reject rather than act on all of g.
	gname, _, whole := splitName(name)
	g := v.group(gname)
	if g == nil || (gname != name && !whole) {
		return nil, fmt.Errorf("%w: %s", ErrBadName, name)
	}
	return f(g.procs), nil
}

func stopProcs(ctx context.Context, procs []*proc, wait bool) []Result {
	var todo []*proc
	for _, p := range procs {
		if p.p.Snapshot().State.IsRunning() {
			todo = append(todo, p)
		}
	}
	return each(todo, func(p *proc) error { return p.p.Stop(ctx, wait) })
}

func signalProcs(ctx context.Context, procs []*proc, sig syscall.Signal) []Result {
	var todo []*proc
	for _, p := range procs {
		if p.p.Snapshot().State.IsSignallable() {
			todo = append(todo, p)
		}
	}
	return each(todo, func(p *proc) error { return p.p.Signal(ctx, sig) })
}

// each runs f on every proc at once and returns the results in order.
func each(procs []*proc, f func(*proc) error) []Result {
	res := make([]Result, len(procs))
	done := make(chan struct{})
	for i, p := range procs {
		go func() {
			defer func() { done <- struct{}{} }()
			res[i] = Result{Name: p.cfg.Name, Group: p.group.cfg.Name, Err: f(p)}
		}()
	}
	for range procs {
		<-done
	}
	return res
}

// Shutdown asks Run to stop everything and return, as the shutdown method
// does.
func (s *Supervisor) Shutdown(ctx context.Context) error {
	return s.request(ctx, request{kind: reqShutdown})
}

// Restart asks Run to stop everything, re-read the config and start again
// in the same process, as the restart method and SIGHUP do.
func (s *Supervisor) Restart(ctx context.Context) error {
	return s.request(ctx, request{kind: reqRestart})
}
