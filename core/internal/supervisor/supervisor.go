package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sync/atomic"
	"syscall"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/events"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol"
)

// Options configure a [Supervisor].
type Options struct {
	// Config is the loaded config file to run.
	Config *config.File

	// Reload re-reads the config file, for a restart (SIGHUP) and for
	// reread. nil makes restarts reuse Config and reread fail.
	Reload func() (*config.File, error)

	// Logger writes the main log; its lines are the reference's.
	Logger *slog.Logger

	// Spawner starts children; nil means &process.ExecSpawner{}.
	Spawner process.Spawner

	// Environ is the daemon's environment, the base of every child's;
	// nil means os.Environ(). A key given twice keeps its last value.
	Environ []string

	// TuneRuntime lets the Supervisor set the process's GC target and
	// GOMAXPROCS around start-ups (see tuning). Both are the whole
	// process's: only one Supervisor in a process may tune them, as the
	// daemon's does; false leaves them alone.
	TuneRuntime bool

	// SteadyProcs, when > 0 with TuneRuntime, is the GOMAXPROCS the
	// daemon runs with once
	// its programs have started; each start-up (and reload) runs with
	// the GOMAXPROCS the process had when New was called. 0 leaves
	// GOMAXPROCS alone.
	SteadyProcs int

	// Signals delivers the daemon's signals: TERM, INT and QUIT shut
	// down, HUP restarts, USR2 reopens the logs, CHLD reaps orphans.
	Signals <-chan os.Signal

	// Reopen is called on USR2 to reopen the main log; nil skips it.
	Reopen func() error

	// Events receives every event the supervisor emits (state changes,
	// group additions...), in order; nil drops them. It must not block.
	Events func(protocol.Payload)

	// Root says whether the daemon runs as root, which the reference
	// warns about at every start when no user= drops privileges.
	Root bool

	// PID is the daemon's pid, logged at every start; 0 means os.Getpid().
	PID int

	// OnStart is called at every start and restart, after the warning
	// about running as root, where the reference logs its HTTP servers'
	// lines; nil skips it.
	OnStart func()
}

// Mood is the daemon's state, the reference's SupervisorStates.
type Mood int32

// The moods, numbered as the reference numbers supervisor states.
const (
	Restarting Mood = 0
	Running    Mood = 1
	Shutdown   Mood = -1
)

// String returns the reference's name of m.
func (m Mood) String() string {
	switch m {
	case Restarting:
		return "RESTARTING"
	case Running:
		return "RUNNING"
	case Shutdown:
		return "SHUTDOWN"
	}
	return fmt.Sprintf("Mood(%d)", int32(m))
}

// Supervisor runs the process groups of a config. Build it with [New] and
// run it with [Supervisor.Run]. Its methods are safe for concurrent use.
type Supervisor struct {
	opts    Options
	log     *slog.Logger
	spawner *trackingSpawner
	reqs    chan request
	mood    atomic.Int32
	view    atomic.Pointer[view]
	cfg     atomic.Pointer[config.File] // the last config read (by reread)
	reaper  *reaper
	bus     *events.Bus   // outlives generations: the event serial survives a reload
	tuning  tuning        // the runtime's settings while programs start
	clock   process.Clock // the timers of every process, in deadline order
}

// New returns a Supervisor for opts. Nothing starts until Run.
func New(opts Options) (*Supervisor, error) {
	if opts.Config == nil {
		return nil, errors.New("supervisor: no config")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Spawner == nil {
		opts.Spawner = &process.ExecSpawner{}
	}
	if opts.Environ == nil {
		opts.Environ = os.Environ()
	}
	opts.Environ = dedupEnv(opts.Environ)
	if opts.Events == nil {
		opts.Events = func(protocol.Payload) {}
	}
	if opts.PID == 0 {
		opts.PID = os.Getpid()
	}
	s := &Supervisor{opts: opts, log: opts.Logger, reqs: make(chan request), bus: events.NewBus(opts.Logger)}
	s.tuning.procs = runtime.GOMAXPROCS(0)
	s.spawner = newTrackingSpawner(opts.Spawner)
	s.reaper = newReaper(s.spawner, s.log)
	s.mood.Store(int32(Running))
	s.view.Store(&view{})
	s.cfg.Store(opts.Config)
	return s, nil
}

// Mood returns the daemon's state.
func (s *Supervisor) Mood() Mood { return Mood(s.mood.Load()) }

// Run starts the groups of the config and supervises them until ctx ends
// or a shutdown is requested (a signal or [Supervisor.Shutdown]); a
// restart (SIGHUP or [Supervisor.Restart]) stops everything, re-reads the
// config and starts again, in the same process. Run returns once every
// child has stopped.
func (s *Supervisor) Run(ctx context.Context) error {
	cfg := s.opts.Config
	for {
		g := s.startGeneration(ctx, cfg)
		restart := s.loop(ctx, g)
		g.close()
		for _, gr := range s.view.Load().groups {
			s.stopPool(gr.pool)
		}
		if !restart {
			return nil
		}
		cfg = s.reloadConfig(cfg)
	}
}

// reloadConfig re-reads the config for a restart, keeping old when the
// file has become invalid: a typo must not take every program down.
func (s *Supervisor) reloadConfig(old *config.File) *config.File {
	if s.opts.Reload == nil {
		return old
	}
	cfg, err := s.opts.Reload()
	if err != nil {
		s.log.Error(fmt.Sprintf("could not reload the configuration, keeping the previous one: %v", err))
		return old
	}
	s.cfg.Store(cfg)
	return cfg
}

// signalMood maps a signal to the mood it requests.
func signalMood(sig os.Signal) (Mood, bool) {
	switch sig {
	case syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT:
		return Shutdown, true
	case syscall.SIGHUP:
		return Restarting, true
	}
	return Running, false
}

// publish hands an event to the bus (and to Options.Events).
func (s *Supervisor) publish(p protocol.Payload) {
	s.bus.Publish(p)
	s.opts.Events(p)
}

// Publish emits an event from outside the supervisor, such as
// REMOTE_COMMUNICATION from sendRemoteCommEvent. It never blocks.
func (s *Supervisor) Publish(p protocol.Payload) { s.publish(p) }

// Config returns the config file last read: at start, at a restart or by
// Reread (whose groups AddGroup then takes).
func (s *Supervisor) Config() *config.File { return s.cfg.Load() }

// EventStats returns the counters of every event listener pool, for
// metrics.
func (s *Supervisor) EventStats() []events.Stats { return s.bus.Stats() }
