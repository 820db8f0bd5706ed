package supervisor

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/process"
)

// Action is what [Scaler.Update] did to a group or a process.
type Action string

// The actions of an update.
const (
	ActionAdded   Action = "added"
	ActionUpdated Action = "updated" // stopped, reconfigured, started if autostart
	ActionRemoved Action = "removed" // stopped and removed
)

// Change is one thing [Scaler.Update] did: to a whole group when Name is
// "", else to the process Name of Group. Err is nil when it succeeded.
type Change struct {
	Group, Name string
	Action      Action
	Err         error
}

// Update rereads the config file as [Supervisor.Reread] does and applies
// it to the groups named (every group when names is empty or holds
// "all"), as the reference's update does but process by process:
// removed groups are stopped and removed and new ones added, as there;
// in a changed group, only the processes whose configuration changed are
// stopped and started again, removed processes are stopped and removed,
// new ones added, and the others go on running untouched (the reference
// restarts the whole group, its issue #591). A group whose own settings
// changed (priority, kind, an event pool's options) and event listener
// pools are still replaced as a whole. A name that is neither a running
// group nor one the config file adds is ErrBadName, and nothing is
// applied. The changes come in the order applied.
func (sc *Scaler) Update(ctx context.Context, names []string) ([]Change, error) {
	release, err := sc.hold(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	c, err := sc.s.Reread()
	if err != nil {
		return nil, err
	}
	want, err := sc.s.wanted(c, names)
	if err != nil {
		return nil, err
	}
	var out []Change
	for _, g := range c.Removed {
		if want(g.Name) {
			out = append(out, Change{Group: g.Name, Action: ActionRemoved, Err: sc.s.dropGroup(ctx, g.Name)})
		}
	}
	for _, gc := range c.Changed {
		if want(gc.New.Name) {
			out = append(out, sc.s.updateGroup(ctx, gc)...)
		}
	}
	for _, g := range c.Added {
		if want(g.Name) {
			out = append(out, Change{Group: g.Name, Action: ActionAdded, Err: sc.s.AddGroup(ctx, g.Name)})
		}
	}
	return out, nil
}

// wanted returns the filter of the groups names asks to update.
func (s *Supervisor) wanted(c config.Changes, names []string) (func(string) bool, error) {
	if len(names) == 0 || slices.Contains(names, "all") {
		return func(string) bool { return true }, nil
	}
	v := s.view.Load()
	for _, n := range names {
		if v.group(n) == nil && !slices.ContainsFunc(c.Added, func(g *config.Group) bool { return g.Name == n }) {
			return nil, fmt.Errorf("%w: %s", ErrBadName, n)
		}
	}
	return func(g string) bool { return slices.Contains(names, g) }, nil
}

// dropGroup stops and removes a group, as the reference's update does
// with a group that left the config.
func (s *Supervisor) dropGroup(ctx context.Context, name string) error {
	if _, err := s.StopGroup(ctx, name, true); err != nil {
		return err
	}
	return s.RemoveGroup(ctx, name)
}

// updateGroup applies a changed group process by process, or as a whole
// when its own settings changed or it is an event listener pool.
func (s *Supervisor) updateGroup(ctx context.Context, gc config.GroupChange) []Change {
	name := gc.New.Name
	if gc.Settings || gc.New.Kind == config.KindEventListener {
		err := s.dropGroup(ctx, name)
		if err == nil {
			err = s.AddGroup(ctx, name)
		}
		return []Change{{Group: name, Action: ActionUpdated, Err: err}}
	}
	err := s.stopNamed(ctx, name, append(slices.Clone(gc.Changed), gc.Removed...))
	if err == nil {
		err = s.edit(ctx, func(g *generation) error {
			gr := s.view.Load().group(name)
			if gr == nil {
				return fmt.Errorf("%w: %s", ErrBadName, name)
			}
			same := unchanged(gr.cfg, gc.New)
			return s.reshape(g, gc.New, func(p *proc) bool { return same[p.cfg.Name] })
		})
	}
	var out []Change
	for _, set := range []struct {
		names  []string
		action Action
	}{{gc.Removed, ActionRemoved}, {gc.Changed, ActionUpdated}, {gc.Added, ActionAdded}} {
		for _, n := range set.names {
			out = append(out, Change{Group: name, Name: n, Action: set.action, Err: err})
		}
	}
	return out
}

// stopNamed stops the processes of group named, all at once, and waits
// until they are stopped; one that is not running is fine.
func (s *Supervisor) stopNamed(ctx context.Context, group string, names []string) error {
	v, err := s.gate()
	if err != nil {
		return err
	}
	gr := v.group(group)
	if gr == nil {
		return fmt.Errorf("%w: %s", ErrBadName, group)
	}
	var procs []*proc
	for _, n := range names {
		if p := gr.proc(n); p != nil {
			procs = append(procs, p)
		}
	}
	var errs []error
	for _, r := range each(procs, func(p *proc) error { return p.p.Stop(ctx, true) }) {
		if r.Err != nil && !errors.Is(r.Err, process.ErrNotRunning) {
			errs = append(errs, r.Err)
		}
	}
	return errors.Join(errs...)
}

// unchanged returns the names of the processes configured alike in the
// running group's configuration and the new one.
func unchanged(old, new *config.Group) map[string]bool {
	c := config.Diff(&config.File{Groups: []config.Group{*old}}, &config.File{Groups: []config.Group{*new}})
	same := map[string]bool{}
	for _, pc := range new.Processes {
		same[pc.Name] = true
	}
	for _, gc := range c.Changed {
		for _, n := range slices.Concat(gc.Added, gc.Changed) {
			delete(same, n)
		}
	}
	return same
}
