package supervisor

import (
	"context"
	"fmt"
	"io"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/eventpool"
	"github.com/lancerhq/lancer/core/internal/events"
	"github.com/lancerhq/lancer/core/internal/process"
)

// listenerPool is the event machinery of an [eventlistener:x] group: its
// subscription on the bus and the pool actor speaking the protocol to its
// processes.
type listenerPool struct {
	queue  *events.Queue
	pool   *eventpool.Pool
	cancel context.CancelFunc
	done   chan struct{}
}

// newPool subscribes an event listener group to the bus and starts its
// pool actor, before any of its processes spawns. It returns nil for
// other groups.
func (s *Supervisor) newPool(g *generation, gr *group) *listenerPool {
	cfg := gr.cfg
	if cfg.Kind != config.KindEventListener || cfg.Pool == nil {
		return nil
	}
	q, err := s.bus.Subscribe(cfg.Name, cfg.Pool.Events, cfg.Pool.BufferSize)
	if err != nil {
		s.log.Error(fmt.Sprintf("could not subscribe pool %s: %v", cfg.Name, err))
		return nil
	}
	names := make([]string, len(cfg.Processes))
	for i := range cfg.Processes {
		names[i] = cfg.Processes[i].Name
	}
	pool, err := eventpool.New(eventpool.Options{
		Queue: q, Identifier: g.cfg.Supervisord.Identifier, Listeners: names, Logger: s.log,
		Send:    func(ctx context.Context, name string, data []byte) error { return gr.writeStdin(ctx, name, data) },
		Restart: func(name string) { s.restartListener(g.ctx, gr, name) },
	})
	if err != nil {
		s.bus.Unsubscribe(q)
		s.log.Error(fmt.Sprintf("could not create pool %s: %v", cfg.Name, err))
		return nil
	}
	lp := &listenerPool{queue: q, pool: pool, done: make(chan struct{})}
	ctx, cancel := context.WithCancel(g.ctx)
	lp.cancel = cancel
	go func() {
		defer close(lp.done)
		_ = pool.Run(ctx)
	}()
	return lp
}

// stop ends the pool actor and its subscription; events still buffered are
// counted as dropped.
func (s *Supervisor) stopPool(lp *listenerPool) {
	if lp == nil {
		return
	}
	lp.cancel()
	<-lp.done
	s.bus.Unsubscribe(lp.queue)
}

// writeStdin sends data to the stdin of process name of g.
func (g *group) writeStdin(ctx context.Context, name string, data []byte) error {
	p := g.proc(name)
	if p == nil {
		return fmt.Errorf("%w: %s", ErrBadName, name)
	}
	return p.p.WriteStdin(ctx, data)
}

// restartListener stops and starts a listener that broke the protocol:
// the reference leaves it running forever, deaf to events.
func (s *Supervisor) restartListener(ctx context.Context, g *group, name string) {
	p := g.proc(name)
	if p == nil {
		return
	}
	if err := p.p.Stop(ctx, true); err != nil {
		s.log.Warn(fmt.Sprintf("could not stop event listener %s: %v", name, err))
		return
	}
	if err := p.p.Start(ctx, false); err != nil {
		s.log.Warn(fmt.Sprintf("could not restart event listener %s: %v", name, err))
	}
}

// listenerStdout is where a listener process's stdout goes: the pool's
// protocol parser, and the stdout log (which the reference also keeps).
func (lp *listenerPool) listenerStdout(name string, log io.Writer) io.Writer {
	if log == nil {
		return lp.pool.Output(name)
	}
	return io.MultiWriter(log, lp.pool.Output(name))
}

// observer returns the state-change callback of a process. A listener
// leaving RUNNING is told to its pool first, so that an event the dying
// listener held goes back to the buffer ahead of the EXITED event. A
// listener becoming RUNNING is published first, as the reference buffers
// the event before its dispatch loop sees the new listener: with a full
// buffer, that event pushes the oldest one out before anything is sent.
func (s *Supervisor) observer(lp *listenerPool) func(process.Change) {
	if lp == nil {
		return s.observe
	}
	return func(c process.Change) {
		if c.To == process.Running {
			s.observe(c)
			lp.pool.ProcessChanged(c)
			return
		}
		lp.pool.ProcessChanged(c)
		s.observe(c)
	}
}
