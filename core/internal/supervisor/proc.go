package supervisor

import (
	"fmt"
	"log/slog"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol"
)

// newProc builds one process and its output channels. A channel that
// cannot be opened (a log directory that vanished) is logged and replaced
// by none: the reference would refuse to start at all.
func (s *Supervisor) newProc(g *generation, gr *group, cfg *config.Process) *proc {
	p := &proc{cfg: cfg, group: gr, done: make(chan struct{})}
	p.stdout = s.newChannel(g, cfg, cfg.Stdout, "stdout")
	if !cfg.RedirectStderr {
		p.stderr = s.newChannel(g, cfg, cfg.Stderr, "stderr")
	}
	argv, err := config.SplitCommand(cfg.Command)
	if err != nil {
		argv = nil // the loader refuses such commands; spawning reports "command is empty"
	}
	spec := process.SpawnSpec{
		Argv:           argv,
		Env:            s.childEnv(g.cfg, gr.cfg, cfg),
		Dir:            cfg.Directory,
		Umask:          cfg.Umask,
		User:           cfg.User,
		UID:            cfg.UID,
		RedirectStderr: cfg.RedirectStderr,
	}
	if p.stdout != nil {
		spec.Stdout = p.stdout
	}
	if p.stderr != nil {
		spec.Stderr = p.stderr
	}
	p.p = process.New(process.Config{
		Policy:   policy(cfg),
		Group:    gr.cfg.Name,
		Spec:     spec,
		Spawner:  s.spawner,
		Logger:   s.log,
		Observer: s.observe,
	})
	return p
}

// policy maps a program's options onto the state machine's.
func policy(cfg *config.Process) process.Policy {
	return process.Policy{
		Name:         cfg.Name,
		AutoStart:    cfg.AutoStart,
		AutoRestart:  autoRestart(cfg.AutoRestart),
		StartSecs:    cfg.StartSecs,
		StartRetries: cfg.StartRetries,
		ExitCodes:    cfg.ExitCodes,
		StopSignal:   cfg.StopSignal,
		StopWaitSecs: cfg.StopWaitSecs,
		StopAsGroup:  cfg.StopAsGroup,
		KillAsGroup:  cfg.KillAsGroup,
	}
}

func autoRestart(a config.AutoRestart) process.AutoRestart {
	switch a {
	case config.RestartAlways:
		return process.RestartAlways
	case config.RestartNever:
		return process.RestartNever
	}
	return process.RestartUnexpected
}

// newChannel opens the log channel of one output stream, or returns nil
// when the stream is neither logged nor kept (it is then discarded).
func (s *Supervisor) newChannel(g *generation, cfg *config.Process, lc config.Log, stream string) *logcap.Channel {
	sv := &g.cfg.Supervisord
	path, err := s.logPath(sv, cfg, lc, stream)
	if err != nil {
		s.log.Error(fmt.Sprintf("could not create the %s log of %s: %v", stream, cfg.Name, err))
	}
	opts := logcap.Options{
		Name:            cfg.Name,
		Path:            path,
		File:            logcap.FileOptions{MaxBytes: lc.MaxBytes, Backups: lc.Backups},
		StripANSI:       sv.StripANSI,
		CaptureMaxBytes: int(lc.CaptureMaxBytes),
	}
	if lc.Syslog {
		opts.Syslog = g.syslog
	}
	ch, err := logcap.NewChannel(s.log.With(slog.String("process", cfg.Name)), opts)
	if err != nil {
		s.log.Error(fmt.Sprintf("could not open the %s log of %s: %v", stream, cfg.Name, err))
		opts.Path = ""
		ch, _ = logcap.NewChannel(s.log, opts)
	}
	return ch
}

// logPath resolves AUTO to a fresh file under childlogdir.
func (s *Supervisor) logPath(sv *config.Supervisord, cfg *config.Process, lc config.Log, stream string) (string, error) {
	switch lc.Kind {
	case config.LogAuto:
		return logcap.CreateAutoLog(sv.Childlogdir, cfg.Name, stream, sv.Identifier)
	case config.LogFile:
		return lc.Path, nil
	}
	return "", nil
}

// observe turns a state change into its PROCESS_STATE event.
func (s *Supervisor) observe(c process.Change) {
	s.opts.Events(protocol.ProcessState{
		Type:        protocol.EventType("PROCESS_STATE_" + c.To.String()),
		ProcessName: c.Name,
		GroupName:   c.Group,
		FromState:   c.From.String(),
		Expected:    c.Expected,
		PID:         c.Pid,
		Tries:       c.Tries,
	})
}
