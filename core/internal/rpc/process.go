package rpc

import (
	"context"
	"strings"

	"github.com/lancerhq/lancer/core/internal/supervisor"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// The supervisor.* methods that start, stop and signal processes, and
// write to their standard input.

// wholeGroup reports whether name is a group form, "g:*" or "g:", which
// startProcess, stopProcess and signalProcess hand to their group
// variants (the reference's split_namespec).
func wholeGroup(name string) bool {
	_, p, ok := strings.Cut(name, ":")
	return ok && (p == "" || p == "*")
}

func (h *Handler) startProcess(ctx context.Context, a *args) (any, error) {
	name, wait := a.str(0), a.flag(1, true)
	if a.err != nil {
		return nil, a.err
	}
	if wholeGroup(name) {
		rs, err := h.sup.StartGroup(ctx, name, wait)
		return results(rs, err, name)
	}
	return boolResult(h.sup.StartProcess(ctx, name, wait), name)
}

func (h *Handler) stopProcess(ctx context.Context, a *args) (any, error) {
	name, wait := a.str(0), a.flag(1, true)
	if a.err != nil {
		return nil, a.err
	}
	if wholeGroup(name) {
		rs, err := h.sup.StopGroup(ctx, name, wait)
		return results(rs, err, name)
	}
	return boolResult(h.sup.StopProcess(ctx, name, wait), name)
}

// groupName reads the name parameter of a group method. The reference
// looks it up as a group name, so "g:*" is no group: BAD_NAME.
func groupName(a *args) (string, error) {
	name := a.str(0)
	if a.err != nil {
		return "", a.err
	}
	if strings.Contains(name, ":") {
		return "", xmlrpc.NewFault(xmlrpc.FaultBadName, name)
	}
	return name, nil
}

func (h *Handler) startProcessGroup(ctx context.Context, a *args) (any, error) {
	name, err := groupName(a)
	if err != nil {
		return nil, err
	}
	rs, err := h.sup.StartGroup(ctx, name, a.flag(1, true))
	return results(rs, err, name)
}

func (h *Handler) stopProcessGroup(ctx context.Context, a *args) (any, error) {
	name, err := groupName(a)
	if err != nil {
		return nil, err
	}
	rs, err := h.sup.StopGroup(ctx, name, a.flag(1, true))
	return results(rs, err, name)
}

func (h *Handler) startAllProcesses(ctx context.Context, a *args) (any, error) {
	rs, err := h.sup.StartAll(ctx, a.flag(0, true))
	return results(rs, err, "")
}

func (h *Handler) stopAllProcesses(ctx context.Context, a *args) (any, error) {
	rs, err := h.sup.StopAll(ctx, a.flag(0, true))
	return results(rs, err, "")
}

// signalProcess checks, in the reference's order, the name (BAD_NAME),
// the signal (BAD_SIGNAL), then the state (NOT_RUNNING, in the
// supervisor).
func (h *Handler) signalProcess(ctx context.Context, a *args) (any, error) {
	name := a.str(0)
	if a.err != nil {
		return nil, a.err
	}
	if wholeGroup(name) {
		return h.signalGroup(ctx, name, a.vs[1])
	}
	sig, ok := parseSignal(a.vs[1])
	if !ok {
		if _, found := find(h.sup.Snapshot(), name); !found {
			return nil, xmlrpc.NewFault(xmlrpc.FaultBadName, name)
		}
		return nil, badSignal(a.vs[1])
	}
	return boolResult(h.sup.SignalProcess(ctx, name, sig), name)
}

func (h *Handler) signalProcessGroup(ctx context.Context, a *args) (any, error) {
	name, err := groupName(a)
	if err != nil {
		return nil, err
	}
	return h.signalGroup(ctx, name, a.vs[1])
}

// signalGroup signals group name ("g" or "g:*"). A bad signal is reported
// per signallable process of the group, status BAD_SIGNAL, as the
// reference finds it only when signalling each.
func (h *Handler) signalGroup(ctx context.Context, name string, sigv xmlrpc.Value) (any, error) {
	sig, ok := parseSignal(sigv)
	if ok {
		rs, err := h.sup.SignalGroup(ctx, name, sig)
		return results(rs, err, name)
	}
	group, _, _ := strings.Cut(name, ":")
	var procs []supervisor.ProcessStatus
	found := false
	for _, st := range h.sup.Snapshot() {
		if st.Group == group {
			found = true
			procs = append(procs, st)
		}
	}
	if !found {
		return nil, xmlrpc.NewFault(xmlrpc.FaultBadName, name)
	}
	return badSignalResults(procs, sigv), nil
}

func (h *Handler) signalAllProcesses(ctx context.Context, a *args) (any, error) {
	sig, ok := parseSignal(a.vs[0])
	if !ok {
		return badSignalResults(h.sup.Snapshot(), a.vs[0]), nil
	}
	rs, err := h.sup.SignalAll(ctx, sig)
	return results(rs, err, "")
}

func badSignal(v xmlrpc.Value) *xmlrpc.Fault {
	return xmlrpc.NewFault(xmlrpc.FaultBadSignal, pyStr(v))
}

// badSignalResults is the result array of a bad signal sent to procs:
// BAD_SIGNAL for each that is in a signallable state.
func badSignalResults(procs []supervisor.ProcessStatus, sigv xmlrpc.Value) []xmlrpc.Result {
	f := badSignal(sigv)
	out := []xmlrpc.Result{}
	for _, st := range procs {
		if st.State.IsSignallable() {
			out = append(out, xmlrpc.Result{Name: st.Name, Group: st.Group, Status: f.Code, Description: f.String})
		}
	}
	return out
}

// sendProcessStdin checks chars before the name, as the reference does,
// and names a non-string in its fault ("INCORRECT_PARAMETERS: 5").
func (h *Handler) sendProcessStdin(ctx context.Context, a *args) (any, error) {
	chars, ok := asString(a.vs[1])
	if !ok {
		return nil, xmlrpc.NewFault(xmlrpc.FaultIncorrectParameters, pyStr(a.vs[1]))
	}
	name := a.str(0)
	if a.err != nil {
		return nil, a.err
	}
	return boolResult(h.sup.WriteStdin(ctx, name, []byte(chars)), name)
}

// results converts the outcome of a group or all-process command into its
// result array, or its fault (with name in the detail).
func results(rs []supervisor.Result, err error, name string) (any, error) {
	if err != nil {
		return nil, toFault(err, name)
	}
	out := make([]xmlrpc.Result, len(rs))
	for i, r := range rs {
		out[i] = result(r.Name, r.Group, r.Err)
	}
	return out, nil
}

// result is one entry of a result array: SUCCESS, or the fault of err
// with the process's namespec in its detail.
func result(name, group string, err error) xmlrpc.Result {
	r := xmlrpc.Result{Name: name, Group: group, Status: xmlrpc.FaultSuccess, Description: "OK"}
	if err != nil {
		f := toFault(err, namespec(group, name))
		r.Status, r.Description = f.Code, f.String
	}
	return r
}

// namespec is the reference's make_namespec: "name" when the group has
// the process's name, else "group:name".
func namespec(group, name string) string {
	if group == name {
		return name
	}
	return group + ":" + name
}
