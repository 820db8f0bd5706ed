package supervisor

import (
	"context"
	"fmt"
	"sync"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/core/internal/mainlog"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol"
)

// generation is everything one start of the config runs: it begins at
// startup or a restart and ends with the shutdown or restart after it.
type generation struct {
	cfg    *config.File
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // the actors running
	syslog *logcap.Syslog

	mu     sync.Mutex
	actors map[*proc]struct{} // the actors running, for close
}

// view is an immutable picture of the groups of the current generation,
// replaced as a whole whenever a group is added or removed.
type view struct {
	gen    *generation
	groups []*group // in (priority, name) order, as config sorts them

	// pending, if not nil, is closed once every process of groups has
	// its actor: a generation's view is published while its log files
	// are still being created (see launch), and readers of processes
	// wait for it.
	pending chan struct{}
}

// wait returns once every process of v has its actor.
func (v *view) wait() {
	if v.pending != nil {
		<-v.pending
	}
}

// group is one running process group.
type group struct {
	cfg   *config.Group
	procs []*proc
	pool  *listenerPool // for an event listener group
}

// proc is one running process with its output channels.
type proc struct {
	cfg            *config.Process
	group          *group
	p              *process.Process
	stdout, stderr *logcap.Channel // nil when there is none

	// made, if not nil, is closed once p's channels are open and p.p is
	// built, by a worker of build; nil means both were done before p was
	// handed to runLevel.
	made chan struct{}
}

// namespec is the reference's name of p: "name", or "group:name" when the
// group is named differently.
func (p *proc) namespec() string {
	if p.group.cfg.Name == p.cfg.Name {
		return p.cfg.Name
	}
	return p.group.cfg.Name + ":" + p.cfg.Name
}

// startGeneration logs the start lines, builds and starts every group of
// cfg and publishes them. The view is published, and "supervisord
// started" logged, before the processes are built, so that creating
// their log files overlaps the spawns (see launch).
func (s *Supervisor) startGeneration(ctx context.Context, cfg *config.File) *generation {
	g := &generation{cfg: cfg}
	g.ctx, g.cancel = context.WithCancel(ctx)
	g.actors = make(map[*proc]struct{})
	if s.opts.Root && cfg.Supervisord.User == "" {
		s.log.Log(ctx, mainlog.LevelCritical, "Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.")
	}
	if s.opts.OnStart != nil {
		s.opts.OnStart()
	}
	if !cfg.Supervisord.Nocleanup {
		if err := logcap.CleanAutoLogs(cfg.Supervisord.Childlogdir, cfg.Supervisord.Identifier); err != nil {
			s.log.Warn(fmt.Sprintf("could not clean up old AUTO logs: %v", err))
		}
	}
	g.syslog = logcap.NewSyslog("", "", "")
	go func() { _ = s.bus.RunTicks(g.ctx) }()
	v := &view{gen: g, pending: make(chan struct{})}
	// Each group is announced as it is created, so that a pool sees its
	// own PROCESS_GROUP_ADDED and those of the groups after it, as in the
	// reference.
	for i := range cfg.Groups {
		gr := s.newGroup(g, &cfg.Groups[i])
		v.groups = append(v.groups, gr)
		s.publish(protocol.ProcessGroup{Type: protocol.ProcessGroupAdded, GroupName: gr.cfg.Name})
	}
	s.view.Store(v)
	// Commands are let through again only now that they reach the new
	// generation's processes (once they exist: see view.wait).
	s.mood.Store(int32(Running))
	s.log.Info(fmt.Sprintf("supervisord started with pid %d", s.opts.PID))
	s.publish(protocol.SupervisorStateChange{Type: protocol.SupervisorStateChangeRunning})
	s.launch(g, v)
	return g
}

// newGroup builds the processes of one group; nothing runs yet.
func (s *Supervisor) newGroup(g *generation, cfg *config.Group) *group {
	gr := &group{cfg: cfg}
	gr.pool = s.newPool(g, gr)
	for i := range cfg.Processes {
		gr.procs = append(gr.procs, &proc{cfg: &cfg.Processes[i], group: gr, made: make(chan struct{})})
	}
	return gr
}

// prepare opens the output channels of every process of groups and
// builds their actors, several at a time, and returns when all are done.
func (s *Supervisor) prepare(g *generation, groups []*group) {
	var procs []*proc
	for _, gr := range groups {
		procs = append(procs, gr.procs...)
	}
	<-s.build(g, procs, nil)
}

// runGroup starts the actors of gr, as one priority level (runLevel).
func (s *Supervisor) runGroup(g *generation, gr *group) {
	s.runLevel(g, gr.procs, nil)
}

// runActor starts the actor of p, which spawns it at once if autostart.
func (g *generation) runActor(p *proc) {
	g.wg.Add(1)
	g.mu.Lock()
	g.actors[p] = struct{}{}
	g.mu.Unlock()
	_ = p.p.Go(func() {
		p.closeChannels()
		g.mu.Lock()
		delete(g.actors, p)
		g.mu.Unlock()
		g.wg.Done()
	})
}

// close ends the generation: every actor is ended (killing what still
// runs) and its channels are flushed and closed.
func (g *generation) close() {
	g.cancel()
	g.mu.Lock()
	for p := range g.actors {
		p.p.End()
	}
	g.mu.Unlock()
	g.wg.Wait()
	if g.syslog != nil {
		_ = g.syslog.Close()
	}
}

// stopGroupActors ends the actors of gr and waits for them.
func stopGroupActors(gr *group) {
	for _, p := range gr.procs {
		p.p.End()
	}
	for _, p := range gr.procs {
		<-p.p.Done()
	}
}

func (p *proc) closeChannels() {
	for _, ch := range p.channels() {
		ch.Flush()
		_ = ch.Close()
	}
}

// channels returns the output channels p has.
func (p *proc) channels() []*logcap.Channel {
	var out []*logcap.Channel
	for _, ch := range []*logcap.Channel{p.stdout, p.stderr} {
		if ch != nil {
			out = append(out, ch)
		}
	}
	return out
}
