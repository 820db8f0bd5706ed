package supervisor

import (
	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/core/internal/process"
)

// ProcessStatus is one process in a [Supervisor.Snapshot]: its state and
// what the control plane reports with it.
type ProcessStatus struct {
	process.Info
	Config         *config.Process // read-only
	GroupConfig    *config.Group   // read-only
	StdoutLogfile  string          // resolved path, "" if none
	StderrLogfile  string
	stdout, stderr *logcap.Channel
}

// Snapshot returns every process of the active groups, in group order
// (priority, name) and process order. It takes no lock and never waits
// for an actor: each process's state is its last published one. Right
// after a start it waits until every process has its actor, which is
// about when the last one spawns (see launch).
func (s *Supervisor) Snapshot() []ProcessStatus {
	v := s.view.Load()
	v.wait()
	out := make([]ProcessStatus, 0, len(v.groups))
	for _, p := range v.procs() {
		out = append(out, p.status())
	}
	return out
}

func (p *proc) status() ProcessStatus {
	st := ProcessStatus{
		Info: p.p.Snapshot(), Config: p.cfg, GroupConfig: p.group.cfg,
		stdout: p.stdout, stderr: p.stderr,
	}
	if p.stdout != nil {
		st.StdoutLogfile = p.stdout.Path()
	}
	if p.stderr != nil {
		st.StderrLogfile = p.stderr.Path()
	}
	return st
}

// Log returns the output channel of process name for stream "stdout" or
// "stderr", for reading and tailing its log.
func (s *Supervisor) Log(name, stream string) (*logcap.Channel, error) {
	v := s.view.Load()
	v.wait()
	p, err := v.lookup(name)
	if err != nil {
		return nil, err
	}
	ch := p.stdout
	if stream == "stderr" {
		ch = p.stderr
	}
	if ch == nil {
		return nil, logcap.ErrNoFile
	}
	return ch, nil
}
