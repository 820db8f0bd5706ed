package supervisor

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/events"
	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol"
)

// openChannels opens the output channels of p. A channel that cannot be
// opened (a log directory that vanished) is logged and replaced by none:
// the reference would refuse to start at all.
func (s *Supervisor) openChannels(g *generation, p *proc) {
	p.stdout = s.newChannel(g, p, p.cfg.Stdout, "stdout")
	if !p.cfg.RedirectStderr {
		p.stderr = s.newChannel(g, p, p.cfg.Stderr, "stderr")
	}
}

// newProcess builds the actor of p, whose channels are open.
func (s *Supervisor) newProcess(g *generation, p *proc) {
	cfg, gr := p.cfg, p.group
	argv, err := config.SplitCommand(cfg.Command)
	if err != nil {
		argv = nil // the loader refuses such commands; spawning reports "command is empty"
	}
	spec := process.SpawnSpec{
		Argv:           argv,
		BaseEnv:        s.opts.Environ,
		Env:            childEnv(g.cfg, gr.cfg, cfg),
		Dir:            cfg.Directory,
		Umask:          cfg.Umask,
		User:           cfg.User,
		UID:            cfg.UID,
		RedirectStderr: cfg.RedirectStderr,
	}
	if p.stdout != nil {
		spec.Stdout = p.stdout
	}
	if gr.pool != nil {
		spec.Stdout = gr.pool.listenerStdout(cfg.Name, spec.Stdout)
	}
	if p.stderr != nil {
		spec.Stderr = p.stderr
	}
	p.p = process.New(process.Config{
		Policy:   policy(cfg),
		Group:    gr.cfg.Name,
		Spec:     spec,
		Spawner:  s.spawner,
		Clock:    &s.clock,
		Logger:   s.log,
		Observer: s.observer(gr.pool),
	})
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
func (s *Supervisor) newChannel(g *generation, p *proc, lc config.Log, stream string) *logcap.Channel {
	sv, cfg := &g.cfg.Supervisord, p.cfg
	opts := logcap.Options{
		Name:            cfg.Name,
		File:            logcap.FileOptions{MaxBytes: lc.MaxBytes, Backups: lc.Backups},
		StripANSI:       sv.StripANSI,
		CaptureMaxBytes: int(lc.CaptureMaxBytes),
	}
	switch lc.Kind {
	case config.LogAuto:
		// Created at the program's first write to it: at start, for
		// hundreds of programs, creating them is most of the time to
		// all RUNNING on a slow disk.
		opts.Path = logcap.AutoLogName(sv.Childlogdir, cfg.Name, stream, sv.Identifier)
		opts.File.Lazy, opts.File.Perm = true, logcap.AutoLogPerm
	case config.LogFile:
		opts.Path = lc.Path
	}
	if lc.Syslog {
		opts.Syslog = g.syslog
	}
	s.eventHooks(&opts, p, lc, stream)
	ch, err := logcap.NewChannel(s.log, opts)
	if err != nil {
		s.log.Error(fmt.Sprintf("could not open the %s log of %s: %v", stream, cfg.Name, err))
		opts.Path = ""
		ch, _ = logcap.NewChannel(s.log, opts)
	}
	return ch
}

// observe turns a state change into its PROCESS_STATE event.
func (s *Supervisor) observe(c process.Change) {
	s.publish(protocol.ProcessState{
		Type:        protocol.EventType("PROCESS_STATE_" + c.To.String()),
		ProcessName: c.Name,
		GroupName:   c.Group,
		FromState:   c.From.String(),
		Expected:    c.Expected,
		PID:         c.Pid,
		Tries:       c.Tries,
	})
}

// eventHooks makes a channel emit what the reference emits from output:
// PROCESS_LOG_<STREAM> for every chunk when *_events_enabled,
// PROCESS_COMMUNICATION_<STREAM> at the end of a capture, and a DEBG copy
// in the main log. An event listener's stdout is the protocol and emits
// none of these.
func (s *Supervisor) eventHooks(opts *logcap.Options, p *proc, lc config.Log, stream string) {
	if p.group.pool != nil && stream == "stdout" {
		opts.CaptureMaxBytes = 0
		return
	}
	logType, commType := protocol.ProcessLogStdout, protocol.ProcessCommunicationStdout
	if stream == "stderr" {
		logType, commType = protocol.ProcessLogStderr, protocol.ProcessCommunicationStderr
	}
	debug := s.log.Enabled(context.Background(), slog.LevelDebug)
	if lc.EventsEnabled || debug {
		opts.OnOutput = func(pid int, data []byte, _ bool) {
			if debug {
				s.log.Debug(fmt.Sprintf("'%s' %s output:\n%s", p.cfg.Name, stream, data))
			}
			if lc.EventsEnabled {
				s.publish(protocol.ProcessLog{Type: logType, ProcessName: p.cfg.Name, GroupName: p.group.cfg.Name,
					PID: pid, Channel: stream, Data: events.DecodeOutput(data)})
			}
		}
	}
	opts.OnCapture = func(pid int, msg []byte) {
		s.publish(protocol.ProcessCommunication{Type: commType, ProcessName: p.cfg.Name, GroupName: p.group.cfg.Name,
			PID: pid, Data: events.DecodeOutput(msg)})
	}
}
