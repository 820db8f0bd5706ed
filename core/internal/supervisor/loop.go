package supervisor

import (
	"context"
	"fmt"
	"os"
	"syscall"

	"github.com/lancerhq/lancer/core/internal/mainlog"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol"
)

// loop supervises generation g until it has been stopped for a shutdown
// (false) or a restart (true).
func (s *Supervisor) loop(ctx context.Context, g *generation) (restart bool) {
	var stopped <-chan struct{}
	stop := func(m Mood) {
		s.mood.Store(int32(m))
		if stopped == nil {
			stopped = s.startStopping(g)
		}
	}
	done := ctx.Done()
	for {
		select {
		case <-done:
			done = nil
			stop(Shutdown)
		case sig := <-s.opts.Signals:
			if m, ok := s.handleSignal(sig); ok {
				stop(m)
			}
		case r := <-s.reqs:
			if m, ok := s.handleRequest(ctx, g, r); ok {
				stop(m)
			}
		case <-stopped:
			return s.Mood() == Restarting
		}
	}
}

// handleSignal logs sig as the reference does and acts on it; it returns
// the mood sig asks for, if any.
func (s *Supervisor) handleSignal(sig os.Signal) (Mood, bool) {
	name := signalName(sig)
	m, ok := signalMood(sig)
	switch {
	case ok && m == Shutdown:
		s.log.Warn(fmt.Sprintf("received %s indicating exit request", name))
	case ok && s.Mood() == Shutdown:
		s.log.Warn(fmt.Sprintf("ignored %s indicating restart request (shutdown in progress)", name))
		return Running, false
	case ok:
		s.log.Warn(fmt.Sprintf("received %s indicating restart request", name))
	case sig == syscall.SIGUSR2:
		s.log.Info(fmt.Sprintf("received %s indicating log reopen request", name))
		s.reopenLogs()
	case sig == syscall.SIGCHLD:
		s.log.Debug(fmt.Sprintf("received %s indicating a child quit", name))
		s.reaper.reap()
	default:
		s.log.Log(context.Background(), mainlog.LevelBlather, fmt.Sprintf("received %s indicating nothing", name))
	}
	return m, ok
}

// reopenLogs reopens the main log and every child log (USR2), for an
// external logrotate.
func (s *Supervisor) reopenLogs() {
	s.log.Info("supervisord logreopen")
	if s.opts.Reopen != nil {
		if err := s.opts.Reopen(); err != nil {
			s.log.Error(fmt.Sprintf("could not reopen the main log: %v", err))
		}
	}
	for _, p := range s.view.Load().procs() {
		for _, ch := range p.channels() {
			if err := ch.Reopen(); err != nil {
				s.log.Error(fmt.Sprintf("could not reopen a log of %s: %v", p.cfg.Name, err))
			}
		}
	}
}

// startStopping begins stopping every group of g in the background and
// returns a channel closed when all are stopped.
func (s *Supervisor) startStopping(g *generation) <-chan struct{} {
	s.publish(protocol.SupervisorStateChange{Type: protocol.SupervisorStateChangeStopping})
	done := make(chan struct{})
	v := s.view.Load()
	go func() {
		defer close(done)
		s.stopAll(g.ctx, v)
	}()
	return done
}

// signalName is the reference's name for sig: SIGTERM, SIGHUP...
func signalName(sig os.Signal) string {
	if s, ok := sig.(syscall.Signal); ok {
		return process.SignalName(s)
	}
	return sig.String()
}
