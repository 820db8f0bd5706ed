package ctl

import (
	"strings"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// splitNamespec splits a process name as supervisord does: "g:p" is
// process p of group g, "g:" and "g:*" are the whole group g (ok false),
// and a bare "p" is process p of its own group p.
func splitNamespec(ns string) (group, proc string, ok bool) {
	g, p, found := strings.Cut(ns, ":")
	if !found {
		return ns, ns, true
	}
	if p == "" || p == "*" {
		return g, "", false
	}
	return g, p, true
}

// makeNamespec is the name supervisorctl prints for process proc of group.
func makeNamespec(group, proc string) string {
	if group == proc {
		return proc
	}
	return group + ":" + proc
}

// Process state codes (supervisor.md §4.1).
const (
	stateStarting = 10
	stateRunning  = 20
	stateBackoff  = 30
)

// stopped reports whether a process in state is not running in the sense
// of status's exit code: STOPPED, EXITED, FATAL or UNKNOWN.
func stopped(state int) bool {
	switch state {
	case 0, 100, 200, 1000:
		return true
	}
	return false
}

// running reports whether state is one stop acts on: STARTING, RUNNING
// or BACKOFF.
func running(state int) bool {
	return state == stateStarting || state == stateRunning || state == stateBackoff
}

// members returns the processes of infos in group.
func members(infos []xmlrpc.ProcessInfo, group string) []xmlrpc.ProcessInfo {
	var out []xmlrpc.ProcessInfo
	for _, p := range infos {
		if p.Group == group {
			out = append(out, p)
		}
	}
	return out
}
