package supervisor

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/protocol"
)

type reqKind int

const (
	reqShutdown reqKind = iota
	reqRestart
	reqAddGroup
	reqRemoveGroup
	reqEdit
)

// request is a command that changes the set of groups; Run's loop owns
// that set and handles it.
type request struct {
	kind  reqKind
	name  string
	edit  func(*generation) error // reqEdit: runs in the loop (scale.go)
	reply chan error
}

// request hands r to Run's loop and waits for the answer.
func (s *Supervisor) request(ctx context.Context, r request) error {
	if s.Mood() != Running {
		return ErrShutdownState
	}
	r.reply = make(chan error, 1)
	select {
	case s.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// handleRequest runs r in the loop; it returns a mood to enter, if any.
func (s *Supervisor) handleRequest(ctx context.Context, g *generation, r request) (Mood, bool) {
	if s.Mood() != Running {
		r.reply <- ErrShutdownState
		return Running, false
	}
	switch r.kind {
	case reqShutdown:
		r.reply <- nil
		return Shutdown, true
	case reqRestart:
		r.reply <- nil
		return Restarting, true
	case reqAddGroup:
		r.reply <- s.addGroup(g, r.name)
	case reqRemoveGroup:
		r.reply <- s.removeGroup(r.name)
	case reqEdit:
		r.reply <- r.edit(g)
	}
	return Running, false
}

// Reread re-reads the config file and returns how its groups differ from
// the active ones, as reloadConfig does; AddGroup then uses the new
// config. It does not change what runs.
func (s *Supervisor) Reread() (config.Changes, error) {
	if s.Mood() != Running {
		return config.Changes{}, ErrShutdownState
	}
	if s.opts.Reload == nil {
		return config.Changes{}, fmt.Errorf("%w: no config file to reread", ErrCantReread)
	}
	cfg, err := s.opts.Reload()
	if err != nil {
		return config.Changes{}, fmt.Errorf("%w: %w", ErrCantReread, err)
	}
	s.cfg.Store(cfg)
	return config.Diff(s.activeConfig(), cfg), nil
}

// activeConfig is a config holding the groups that run now.
func (s *Supervisor) activeConfig() *config.File {
	f := &config.File{}
	for _, g := range s.view.Load().groups {
		f.Groups = append(f.Groups, *g.cfg)
	}
	return f
}

// AddGroup adds and starts group name from the last config read
// (addProcessGroup).
func (s *Supervisor) AddGroup(ctx context.Context, name string) error {
	return s.request(ctx, request{kind: reqAddGroup, name: name})
}

// RemoveGroup removes group name, whose processes must all be stopped
// (removeProcessGroup).
func (s *Supervisor) RemoveGroup(ctx context.Context, name string) error {
	return s.request(ctx, request{kind: reqRemoveGroup, name: name})
}

func (s *Supervisor) addGroup(g *generation, name string) error {
	// The config first, as the reference: a group that still runs but
	// is gone from the config read last is BAD_NAME.
	cfg := s.cfg.Load()
	i := slices.IndexFunc(cfg.Groups, func(gc config.Group) bool { return gc.Name == name })
	if i < 0 {
		return fmt.Errorf("%w: %s", ErrBadName, name)
	}
	v := s.view.Load()
	if v.group(name) != nil {
		return fmt.Errorf("%w: %s", ErrAlreadyAdded, name)
	}
	gr := s.newGroup(g, &cfg.Groups[i])
	s.prepare(g, []*group{gr})
	nv := &view{gen: v.gen, groups: append(slices.Clone(v.groups), gr)}
	slices.SortStableFunc(nv.groups, func(a, b *group) int {
		if a.cfg.Priority != b.cfg.Priority {
			return a.cfg.Priority - b.cfg.Priority
		}
		return strings.Compare(a.cfg.Name, b.cfg.Name)
	})
	s.view.Store(nv)
	s.publish(protocol.ProcessGroup{Type: protocol.ProcessGroupAdded, GroupName: name})
	s.runGroup(g, gr)
	return nil
}

func (s *Supervisor) removeGroup(name string) error {
	v := s.view.Load()
	gr := v.group(name)
	if gr == nil {
		return fmt.Errorf("%w: %s", ErrBadName, name)
	}
	for _, p := range gr.procs {
		if !p.p.Snapshot().State.IsStopped() {
			return fmt.Errorf("%w: %s", ErrStillRunning, name)
		}
	}
	nv := &view{gen: v.gen, groups: slices.DeleteFunc(slices.Clone(v.groups), func(g *group) bool { return g == gr })}
	s.view.Store(nv)
	stopGroupActors(gr)
	s.stopPool(gr.pool)
	s.publish(protocol.ProcessGroup{Type: protocol.ProcessGroupRemoved, GroupName: name})
	return nil
}
