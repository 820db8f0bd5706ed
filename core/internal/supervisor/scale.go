package supervisor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/process"
)

// Scaler changes the processes of running groups one by one, without
// touching the others: Lancer's replacement for the supervisor_twiddler
// plugin (the reference's issue #177: change numprocs, add a program to a
// running group) and an update that restarts only the processes whose
// configuration changed (its issue #591). The XML-RPC layer serves it as
// the lancer.* methods.
//
// Changes to the set of processes go through [Supervisor.Run]'s loop, as
// AddGroup and RemoveGroup do; stopping, which waits, happens in the
// caller's goroutine in between. One Scaler operation runs at a time; the
// others wait for their turn (or for their ctx). Build it with
// [NewScaler]; its methods are safe for concurrent use.
type Scaler struct {
	s    *Supervisor
	opts config.Options
	turn chan struct{} // holds a token while an operation runs

	// added are the programs AddProgramToGroup added, whose sections are
	// in no config file. Owned by the holder of turn.
	added []*addedProgram
}

// addedProgram is a program AddProgramToGroup added, with the actors of
// its processes: its template stands for the program only while one of
// them still runs (a group removed and added again from the file runs
// the file's program, with new actors).
type addedProgram struct {
	group, program string
	tmpl           *config.Template
	actors         map[*process.Process]bool
}

// NewScaler returns a Scaler for s. opts are the options the config file
// is loaded with (environment, working directory, host name), with which
// SetNumprocs reads a program's section again and AddProgramToGroup
// expands a new program.
func NewScaler(s *Supervisor, opts config.Options) *Scaler {
	return &Scaler{s: s, opts: opts, turn: make(chan struct{}, 1)}
}

// hold waits for the Scaler's turn; release it when done.
func (sc *Scaler) hold(ctx context.Context) (release func(), err error) {
	if sc.s.Mood() != Running {
		return nil, ErrShutdownState
	}
	select {
	case sc.turn <- struct{}{}:
		return func() { <-sc.turn }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// SetNumprocs sets the number of processes of program to n, as if its
// section said numprocs=n: the processes the section then gives that do
// not run are created (and started if autostart); those it no longer
// gives are stopped, highest process_num first, then removed. The others
// are not touched. It returns the namespecs added and removed.
//
// program names a [program:x] or [fcgi-program:x] section: the
// homogeneous group of that name, else the first group running processes
// of it. Its section is read again from the config file, or is the one
// AddProgramToGroup was given. If the processes that stay would run with
// another configuration than they do (the file was edited since, or the
// section uses %(numprocs)d), nothing changes and the error says so:
// Update applies such changes. Event listener pools cannot change size
// while they run.
func (sc *Scaler) SetNumprocs(ctx context.Context, program string, n int) (added, removed []string, err error) {
	if n < 1 {
		return nil, nil, fmt.Errorf("numprocs %d: must be at least 1", n)
	}
	release, err := sc.hold(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer release()
	v, err := sc.s.gate()
	if err != nil {
		return nil, nil, err
	}
	gr, _, err := findProgram(v, program)
	if err != nil {
		return nil, nil, err
	}
	ap, tmpl, err := sc.template(v, gr, program)
	if err != nil {
		return nil, nil, err
	}
	exp, err := tmpl.Processes(n)
	if err != nil {
		return nil, nil, err
	}
	var plan scalePlan
	err = sc.s.edit(ctx, func(g *generation) error {
		var err error
		if plan, err = planScale(sc.s.view.Load(), program, exp); err != nil {
			return err
		}
		// The surplus stays until it is stopped.
		cfg := withProgram(plan.group.cfg, program, append(plan.running, plan.added...))
		return sc.s.reshape(g, cfg, func(*proc) bool { return true })
	})
	if err != nil {
		return nil, nil, err
	}
	added = namespecs(plan.group.cfg.Name, plan.added)
	if ap != nil {
		sc.adopt(ap, plan.group.cfg.Name, plan.added)
	}
	removed, err = sc.s.removeStopped(ctx, plan.group.cfg.Name, plan.surplus)
	return added, removed, err
}

// scalePlan is what setting the numprocs of a program changes in its
// group.
type scalePlan struct {
	group   *group
	running []config.Process // the program's processes that run, surplus included
	added   []config.Process // the new processes
	surplus []*proc          // highest process_num first
}

// planScale compares the program's running processes with exp, its
// processes for the new count: same process_num and configuration stays,
// a process_num exp does not have is surplus, the rest of exp is added.
func planScale(v *view, program string, exp []config.Process) (scalePlan, error) {
	gr, procs, err := findProgram(v, program)
	if err != nil {
		return scalePlan{}, err
	}
	if gr.pool != nil {
		return scalePlan{}, fmt.Errorf("%s is an event listener pool, whose processes cannot change while it runs (use update)", gr.cfg.Name)
	}
	pl := scalePlan{group: gr}
	byNum := make(map[int]*config.Process, len(exp))
	for i := range exp {
		byNum[exp[i].Num] = &exp[i]
	}
	var differ []string
	for _, p := range procs {
		pl.running = append(pl.running, *p.cfg)
		e, ok := byNum[p.cfg.Num]
		switch {
		case !ok:
			pl.surplus = append(pl.surplus, p)
		case !p.cfg.Equal(e):
			differ = append(differ, p.namespec())
		}
		delete(byNum, p.cfg.Num)
	}
	if differ != nil {
		return scalePlan{}, fmt.Errorf("cannot set the numprocs of %s in place: %s would run with another configuration "+
			"(the config file was edited since, or the program uses %%(numprocs)d); apply it with update",
			program, strings.Join(differ, ", "))
	}
	for _, e := range exp {
		if byNum[e.Num] == nil {
			continue
		}
		if gr.proc(e.Name) != nil {
			return scalePlan{}, fmt.Errorf("%w: %s:%s", ErrAlreadyAdded, gr.cfg.Name, e.Name)
		}
		pl.added = append(pl.added, e)
	}
	slices.SortFunc(pl.surplus, func(a, b *proc) int { return cmp.Compare(b.cfg.Num, a.cfg.Num) })
	return pl, nil
}

// findProgram returns the group of program and its processes there: the
// homogeneous group of that name, else the first group running processes
// of that program.
func findProgram(v *view, program string) (*group, []*proc, error) {
	if g := v.group(program); g != nil && !strings.HasPrefix(g.cfg.Section, "group:") {
		return g, g.programProcs(program), nil
	}
	for _, g := range v.groups {
		if procs := g.programProcs(program); len(procs) > 0 {
			return g, procs, nil
		}
	}
	return nil, nil, fmt.Errorf("%w: %s", ErrBadName, program)
}

func (g *group) programProcs(program string) []*proc {
	var out []*proc
	for _, p := range g.procs {
		if p.cfg.Program == program {
			out = append(out, p)
		}
	}
	return out
}

// template returns the section of program in group gr: the one
// AddProgramToGroup was given (with its record), else the config file's,
// read again (ErrCantReread if that fails).
func (sc *Scaler) template(v *view, gr *group, program string) (*addedProgram, *config.Template, error) {
	sc.prune(v)
	for _, ap := range sc.added {
		if ap.group == gr.cfg.Name && ap.program == program {
			return ap, ap.tmpl, nil
		}
	}
	path := sc.s.Config().Path
	sections := []string{gr.cfg.Section}
	if gr.cfg.Name != program || strings.HasPrefix(gr.cfg.Section, "group:") {
		// A [group:x] lists [program:x] sections, or [fcgi-program:x] ones.
		sections = []string{"program:" + program, "fcgi-program:" + program}
	}
	var first error
	for _, sec := range sections {
		t, err := config.LoadTemplate(path, sc.opts, sec, gr.cfg.Name)
		if err == nil {
			return nil, t, nil
		}
		first = cmp.Or(first, err)
	}
	return nil, nil, fmt.Errorf("%w: %w", ErrCantReread, first)
}

// prune forgets the added programs none of whose processes runs in v.
func (sc *Scaler) prune(v *view) {
	live := map[*process.Process]bool{}
	for _, p := range v.procs() {
		live[p.p] = true
	}
	sc.added = slices.DeleteFunc(sc.added, func(ap *addedProgram) bool {
		for a := range ap.actors {
			if live[a] {
				return false
			}
		}
		return true
	})
}

// adopt records the actors of the processes named in group as ap's.
func (sc *Scaler) adopt(ap *addedProgram, group string, procs []config.Process) {
	g := sc.s.view.Load().group(group)
	if g == nil {
		return
	}
	for _, pc := range procs {
		if p := g.proc(pc.Name); p != nil {
			ap.actors[p.p] = true
		}
	}
}

// AddProgramToGroup adds the processes of a new program, configured by
// options as a [program:x] section would be (command is required), to the
// running group, and starts those with autostart; the group's other
// processes are not touched. The options are checked by the config
// package, with a config file's messages; an option a [program:x]
// section does not take is an error. It returns ErrBadName if there is no
// such group, ErrAlreadyAdded if the group already runs that program or a
// process of one of the new names. Event listener pools take no programs.
func (sc *Scaler) AddProgramToGroup(ctx context.Context, group, program string, options map[string]string) error {
	release, err := sc.hold(ctx)
	if err != nil {
		return err
	}
	defer release()
	v, err := sc.s.gate()
	if err != nil {
		return err
	}
	if v.group(group) == nil {
		return fmt.Errorf("%w: %s", ErrBadName, group)
	}
	tmpl, err := config.NewTemplate(v.gen.cfg, sc.opts, group, program, options)
	if err != nil {
		return err
	}
	exp, err := tmpl.Processes(-1)
	if err != nil {
		return err
	}
	err = sc.s.edit(ctx, func(g *generation) error {
		gr, err := sc.s.view.Load().addable(group, program, exp)
		if err != nil {
			return err
		}
		cfg := withProgram(gr.cfg, program, exp)
		return sc.s.reshape(g, cfg, func(*proc) bool { return true })
	})
	if err != nil {
		return err
	}
	ap := &addedProgram{group: group, program: program, tmpl: tmpl, actors: map[*process.Process]bool{}}
	sc.adopt(ap, group, exp)
	sc.added = append(sc.added, ap)
	return nil
}

// addable returns group name if the processes of program can join it.
func (v *view) addable(name, program string, procs []config.Process) (*group, error) {
	gr := v.group(name)
	switch {
	case gr == nil:
		return nil, fmt.Errorf("%w: %s", ErrBadName, name)
	case gr.pool != nil:
		return nil, fmt.Errorf("%s is an event listener pool, whose processes cannot change while it runs", name)
	case len(gr.programProcs(program)) > 0:
		return nil, fmt.Errorf("%w: %s:%s", ErrAlreadyAdded, name, program)
	}
	for _, pc := range procs {
		if gr.proc(pc.Name) != nil {
			return nil, fmt.Errorf("%w: %s:%s", ErrAlreadyAdded, name, pc.Name)
		}
	}
	return gr, nil
}

// RemoveProcessFromGroup removes one stopped process from a running
// group, as twiddler's method does: ErrBadName if there is no such group
// or process in it, ErrStillRunning if the process is not in a stopped
// state. Event listener pools keep their processes.
func (sc *Scaler) RemoveProcessFromGroup(ctx context.Context, group, name string) error {
	release, err := sc.hold(ctx)
	if err != nil {
		return err
	}
	defer release()
	return sc.s.edit(ctx, func(g *generation) error {
		gr := sc.s.view.Load().group(group)
		if gr == nil {
			return fmt.Errorf("%w: %s", ErrBadName, group)
		}
		p := gr.proc(name)
		switch {
		case p == nil:
			return fmt.Errorf("%w: %s:%s", ErrBadName, group, name)
		case gr.pool != nil:
			return fmt.Errorf("%s is an event listener pool, whose processes cannot change while it runs", group)
		}
		cfg := withoutProcs(gr.cfg, []string{name})
		return sc.s.reshape(g, cfg, func(q *proc) bool { return q.p != p.p })
	})
}

// removeStopped stops procs of group in the order given and waits until
// they are stopped, then removes them from the group. A process already
// gone is not an error. It returns the namespecs removed.
func (s *Supervisor) removeStopped(ctx context.Context, group string, procs []*proc) ([]string, error) {
	if len(procs) == 0 {
		return nil, nil
	}
	for _, p := range procs {
		err := p.p.Stop(ctx, false)
		if err != nil && !errors.Is(err, process.ErrNotRunning) && !errors.Is(err, process.ErrClosed) {
			return nil, err
		}
	}
	for _, p := range procs {
		if _, err := p.p.WaitFor(ctx, func(i process.Info) bool { return i.State.IsStopped() }); err != nil && !errors.Is(err, process.ErrClosed) {
			return nil, err
		}
	}
	gone := map[*process.Process]bool{}
	for _, p := range procs {
		gone[p.p] = true
	}
	var removed []string
	err := s.edit(ctx, func(g *generation) error {
		gr := s.view.Load().group(group)
		if gr == nil {
			return nil
		}
		var names []string
		for _, p := range procs {
			if slices.ContainsFunc(gr.procs, func(q *proc) bool { return q.p == p.p }) {
				names = append(names, p.cfg.Name)
			}
		}
		if err := s.reshape(g, withoutProcs(gr.cfg, names), func(p *proc) bool { return !gone[p.p] }); err != nil {
			return err
		}
		for _, n := range names {
			removed = append(removed, namespec(group, n))
		}
		return nil
	})
	if err != nil {
		return nil, err // removed may still be written by the loop when ctx ended
	}
	return removed, nil
}

// namespecs returns the namespecs of procs in group.
func namespecs(group string, procs []config.Process) []string {
	out := make([]string, 0, len(procs))
	for _, pc := range procs {
		out = append(out, namespec(group, pc.Name))
	}
	return out
}

// namespec is the reference's make_namespec, as proc.namespec.
func namespec(group, name string) string {
	if group == name {
		return name
	}
	return group + ":" + name
}

// hasProcess reports whether gc has a process called name.
func hasProcess(gc *config.Group, name string) bool {
	return slices.ContainsFunc(gc.Processes, func(pc config.Process) bool { return pc.Name == name })
}

// edit runs f in Run's loop, which owns the set of groups.
func (s *Supervisor) edit(ctx context.Context, f func(*generation) error) error {
	return s.request(ctx, request{kind: reqEdit, edit: f})
}

// reshape gives the running group cfg.Name the configuration cfg, in the
// loop. A process of cfg that runs under that name and that keep accepts
// goes on as it is (keep must accept only processes configured as cfg
// says); the other processes of cfg are created, and started if
// autostart; the group's processes not kept are removed, and must be in
// a stopped state. The group keeps its place and its event pool.
func (s *Supervisor) reshape(g *generation, cfg *config.Group, keep func(*proc) bool) error {
	v := s.view.Load()
	gr := v.group(cfg.Name)
	if gr == nil {
		return fmt.Errorf("%w: %s", ErrBadName, cfg.Name)
	}
	kept := map[string]*proc{}
	var gone []*proc
	for _, p := range gr.procs {
		if hasProcess(cfg, p.cfg.Name) && keep(p) {
			kept[p.cfg.Name] = p
			continue
		}
		if !p.p.Snapshot().State.IsStopped() {
			return fmt.Errorf("%w: %s", ErrStillRunning, p.namespec())
		}
		gone = append(gone, p)
	}
	ng := &group{cfg: cfg, pool: gr.pool}
	var fresh []*proc
	for i := range cfg.Processes {
		pc := &cfg.Processes[i]
		if old := kept[pc.Name]; old != nil {
			// A copy joins the new group; its actor, channels and
			// goroutine are the old one's.
			np := *old
			np.cfg, np.group = pc, ng
			ng.procs = append(ng.procs, &np)
			continue
		}
		np := &proc{cfg: pc, group: ng}
		ng.procs = append(ng.procs, np)
		fresh = append(fresh, np)
	}
	for _, p := range fresh {
		s.openChannels(g, p)
		s.newProcess(g, p)
	}
	groups := slices.Clone(v.groups)
	groups[slices.Index(groups, gr)] = ng
	s.view.Store(&view{gen: v.gen, groups: groups})
	stopProcActors(gone)
	s.runGroup(g, &group{cfg: cfg, procs: fresh}) // runs only the new ones
	return nil
}

// stopProcActors ends the actors of procs and waits for them.
func stopProcActors(procs []*proc) {
	for _, p := range procs {
		p.p.End()
	}
	for _, p := range procs {
		<-p.p.Done()
	}
}

// withProgram returns a copy of gc whose processes of program are procs,
// sorted as the config sorts a program's processes, in the place of the
// program's old ones (at the end for a new program).
func withProgram(gc *config.Group, program string, procs []config.Process) *config.Group {
	procs = slices.Clone(procs)
	slices.SortStableFunc(procs, func(a, b config.Process) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), strings.Compare(a.Name, b.Name))
	})
	out := *gc
	out.Processes = nil
	placed := false
	for _, pc := range gc.Processes {
		if pc.Program != program {
			out.Processes = append(out.Processes, pc)
		} else if !placed {
			out.Processes, placed = append(out.Processes, procs...), true
		}
	}
	if !placed {
		out.Processes = append(out.Processes, procs...)
	}
	return &out
}

// withoutProcs returns a copy of gc without the processes named.
func withoutProcs(gc *config.Group, names []string) *config.Group {
	out := *gc
	out.Processes = slices.DeleteFunc(slices.Clone(gc.Processes), func(pc config.Process) bool {
		return slices.Contains(names, pc.Name)
	})
	return &out
}
