package rpc

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/supervisor"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// The supervisor.* methods that report processes and their configuration.

// find resolves a namespec to one process of snap as the reference's
// _getGroupAndProcess does: "name" is process name of group name,
// "group:name" a process of group; group forms ("g:*") name no process.
func find(snap []supervisor.ProcessStatus, name string) (supervisor.ProcessStatus, bool) {
	group, proc, ok := strings.Cut(name, ":")
	if !ok {
		proc = name
	}
	for _, st := range snap {
		if st.Group == group && st.Name == proc {
			return st, true
		}
	}
	return supervisor.ProcessStatus{}, false
}

func (h *Handler) getProcessInfo(_ context.Context, a *args) (any, error) {
	name := a.str(0)
	if a.err != nil {
		return nil, a.err
	}
	st, ok := find(h.sup.Snapshot(), name)
	if !ok {
		return nil, xmlrpc.NewFault(xmlrpc.FaultBadName, name)
	}
	return processInfo(st, time.Now(), h.loc), nil
}

// getAllProcessInfo answers every process sorted by group name, then
// process name (the reference's lexical order), all at one instant.
func (h *Handler) getAllProcessInfo(context.Context, *args) (any, error) {
	snap := h.sup.Snapshot()
	slices.SortStableFunc(snap, func(a, b supervisor.ProcessStatus) int {
		return cmp.Or(strings.Compare(a.Group, b.Group), strings.Compare(a.Name, b.Name))
	})
	now := time.Now()
	out := make([]xmlrpc.ProcessInfo, len(snap))
	for i, st := range snap {
		out[i] = processInfo(st, now, h.loc)
	}
	return out, nil
}

// getAllConfigInfo lists the processes of the configuration last read,
// sorted by name. A group is in use when it runs; an AUTO log of a process
// that runs with exactly this configuration shows its file, other AUTO
// logs "auto", as in the reference, which resolves them when it creates
// the process.
func (h *Handler) getAllConfigInfo(context.Context, *args) (any, error) {
	snap := h.sup.Snapshot()
	inUse := make(map[string]bool)
	running := make(map[*config.Process]supervisor.ProcessStatus)
	for _, st := range snap {
		inUse[st.Group] = true
		running[st.Config] = st
	}
	var out []xmlrpc.ConfigInfo
	for _, g := range h.configGroups(snap) {
		for i := range g.Processes {
			p := &g.Processes[i]
			st, ok := running[p]
			out = append(out, configInfo(g, p, inUse[g.Name], st, ok))
		}
	}
	slices.SortStableFunc(out, func(a, b xmlrpc.ConfigInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// configGroups are the groups of the configuration last read, or without
// Options.Config, those of snap.
func (h *Handler) configGroups(snap []supervisor.ProcessStatus) []*config.Group {
	var gs []*config.Group
	if h.config != nil {
		cfg := h.config()
		for i := range cfg.Groups {
			gs = append(gs, &cfg.Groups[i])
		}
		return gs
	}
	for _, st := range snap {
		if st.GroupConfig != nil && !slices.Contains(gs, st.GroupConfig) {
			gs = append(gs, st.GroupConfig)
		}
	}
	return gs
}

// configInfo is one entry of getAllConfigInfo. st is the process running
// with configuration p, if ok.
func configInfo(g *config.Group, p *config.Process, inUse bool, st supervisor.ProcessStatus, ok bool) xmlrpc.ConfigInfo {
	ci := xmlrpc.ConfigInfo{
		Autostart: p.AutoStart, Directory: orNone(p.Directory), Command: p.Command,
		ExitCodes: p.ExitCodes, Group: g.Name, GroupPrio: g.Priority, InUse: inUse,
		KillAsGroup: p.KillAsGroup, Name: p.Name, ProcessPrio: p.Priority,
		RedirectStderr: p.RedirectStderr, StartRetries: p.StartRetries, StartSecs: seconds(p.StartSecs),
		StdoutCaptureMaxBytes: int(p.Stdout.CaptureMaxBytes), StdoutEventsEnabled: p.Stdout.EventsEnabled,
		StdoutLogfile: logName(p.Stdout, st.StdoutLogfile, ok), StdoutLogfileBackups: p.Stdout.Backups,
		StdoutLogfileMaxBytes: int(p.Stdout.MaxBytes), StdoutSyslog: p.Stdout.Syslog,
		StopSignal: int(p.StopSignal), StopWaitSecs: seconds(p.StopWaitSecs),
		StderrCaptureMaxBytes: int(p.Stderr.CaptureMaxBytes), StderrEventsEnabled: p.Stderr.EventsEnabled,
		StderrLogfile: logName(p.Stderr, st.StderrLogfile, ok), StderrLogfileBackups: p.Stderr.Backups,
		StderrLogfileMaxBytes: int(p.Stderr.MaxBytes), StderrSyslog: p.Stderr.Syslog,
		ServerURL: orNone(p.ServerURL), // AUTO is None in the reference's config too
	}
	if p.User != "" {
		ci.UID = xmlrpc.OptionalInt{Int: p.UID, Valid: true}
	}
	if ci.ExitCodes == nil {
		ci.ExitCodes = []int{}
	}
	return ci
}

// logName is a log option as getAllConfigInfo shows it: the file, "none",
// or "auto" for an AUTO log that is not resolved (the process does not
// run with this configuration).
func logName(l config.Log, resolved string, running bool) string {
	switch {
	case l.Kind == config.LogFile:
		return l.Path
	case l.Kind == config.LogNone:
		return "none"
	case running && resolved != "":
		return resolved
	}
	return "auto"
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func seconds(d time.Duration) int { return int(d / time.Second) }
