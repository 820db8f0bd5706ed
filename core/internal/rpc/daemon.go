package rpc

import (
	"context"
	"errors"

	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/internal/version"
	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// The supervisor.* methods about the daemon itself: versions, state, the
// main log, shutdown and restart, the set of groups, events.

// APIVersion is the version of supervisord's XML-RPC API served.
const APIVersion = "3.0"

func (h *Handler) getAPIVersion(context.Context, *args) (any, error) { return APIVersion, nil }

func (h *Handler) getSupervisorVersion(context.Context, *args) (any, error) {
	return version.SupervisorVersion, nil
}

func (h *Handler) getIdentification(context.Context, *args) (any, error) {
	if h.config == nil {
		return "supervisor", nil
	}
	return h.config().Supervisord.Identifier, nil
}

// getState answers the mood; the gate lets only RUNNING through, as in
// the reference.
func (h *Handler) getState(context.Context, *args) (any, error) {
	m := h.sup.Mood()
	return xmlrpc.State{Code: int(m), Name: m.String()}, nil
}

func (h *Handler) getPID(context.Context, *args) (any, error) { return h.pid, nil }

// readLog reads the main log; NO_FILE names the file, or nothing when
// there is none.
func (h *Handler) readLog(_ context.Context, a *args) (any, error) {
	offset, length := a.integer(0), a.integer(1)
	if a.err != nil {
		return nil, a.err
	}
	if h.mainLog == nil {
		return nil, xmlrpc.ErrNoFile
	}
	data, err := h.mainLog.Read(offset, length)
	if err != nil {
		return nil, toFault(err, h.mainLog.Path())
	}
	return wholeRunes(data), nil
}

// clearLog removes the main log file and reopens it. As in the
// reference, its faults carry no detail.
func (h *Handler) clearLog(ctx context.Context, _ *args) (any, error) {
	if h.mainLog == nil {
		return nil, xmlrpc.ErrNoFile
	}
	switch err := h.mainLog.Clear(); {
	case errors.Is(err, logcap.ErrNoFile):
		return nil, xmlrpc.ErrNoFile
	case err != nil:
		return nil, xmlrpc.ErrFailed
	}
	h.log.InfoContext(ctx, "reopening log file")
	return true, nil
}

// shutdown and restart answer True once the supervisor has taken the
// request; the stopping happens after the answer, as in the reference.
func (h *Handler) shutdown(ctx context.Context, _ *args) (any, error) {
	return boolResult(h.sup.Shutdown(ctx), "")
}

func (h *Handler) restart(ctx context.Context, _ *args) (any, error) {
	return boolResult(h.sup.Restart(ctx), "")
}

// reloadConfig answers [[added, changed, removed]] group names: one
// element in the outer array, as the reference's comment says it must.
func (h *Handler) reloadConfig(context.Context, *args) (any, error) {
	c, err := h.sup.Reread()
	if err != nil {
		return nil, toFault(err, "")
	}
	added, changed, removed := []string{}, []string{}, []string{}
	for _, g := range c.Added {
		added = append(added, g.Name)
	}
	for _, gc := range c.Changed {
		changed = append(changed, gc.New.Name)
	}
	for _, g := range c.Removed {
		removed = append(removed, g.Name)
	}
	return [][][]string{{added, changed, removed}}, nil
}

func (h *Handler) addProcessGroup(ctx context.Context, a *args) (any, error) {
	name := a.str(0)
	if a.err != nil {
		return nil, a.err
	}
	return boolResult(h.sup.AddGroup(ctx, name), name)
}

func (h *Handler) removeProcessGroup(ctx context.Context, a *args) (any, error) {
	name := a.str(0)
	if a.err != nil {
		return nil, a.err
	}
	return boolResult(h.sup.RemoveGroup(ctx, name), name)
}

// sendRemoteCommEvent emits REMOTE_COMMUNICATION. It takes parameters of
// any type, formatted as the reference's %s formats them, and is never
// refused for a shutdown.
func (h *Handler) sendRemoteCommEvent(_ context.Context, a *args) (any, error) {
	if h.publish == nil {
		return nil, xmlrpc.NewFault(xmlrpc.FaultFailed, "no event bus")
	}
	h.publish(protocol.RemoteComm{Type: pyStr(a.vs[0]), Data: pyStr(a.vs[1])})
	return true, nil
}

// boolResult is the True of a method that succeeded, or its fault.
func boolResult(err error, subj string) (any, error) {
	if err != nil {
		return nil, toFault(err, subj)
	}
	return true, nil
}
