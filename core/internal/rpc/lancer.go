package rpc

import (
	"context"
	"strconv"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// The lancer.* methods, Lancer's replacement for supervisor_twiddler; the
// package documentation specifies them.

// LancerAPIVersion is the version of the lancer namespace.
const LancerAPIVersion = "1.0"

// Numprocs is the result of lancer.setNumprocs: the namespecs of the
// processes it created and of those it removed.
type Numprocs struct {
	Added   []string `xmlrpc:"added"`
	Removed []string `xmlrpc:"removed"`
}

func (h *Handler) lancerAPIVersion(context.Context, *args) (any, error) {
	return LancerAPIVersion, nil
}

func (h *Handler) setNumprocs(ctx context.Context, a *args) (any, error) {
	program, n := a.str(0), a.integer(1)
	if a.err != nil {
		return nil, a.err
	}
	if n < 1 {
		return nil, xmlrpc.NewFault(xmlrpc.FaultBadArguments, "numprocs must be at least 1")
	}
	added, removed, err := h.scaler.SetNumprocs(ctx, program, n)
	if err != nil {
		return nil, toFault(err, "")
	}
	return Numprocs{Added: added, Removed: removed}, nil
}

func (h *Handler) addProgramToGroup(ctx context.Context, a *args) (any, error) {
	group, program := a.str(0), a.str(1)
	opts, ok := options(a.vs[2])
	if a.err != nil || !ok {
		return nil, xmlrpc.ErrIncorrectParameters
	}
	return boolResult(h.scaler.AddProgramToGroup(ctx, group, program, opts), "")
}

func (h *Handler) removeProcessFromGroup(ctx context.Context, a *args) (any, error) {
	group, proc := a.str(0), a.str(1)
	if a.err != nil {
		return nil, a.err
	}
	return boolResult(h.scaler.RemoveProcessFromGroup(ctx, group, proc), "")
}

// options reads the options struct of addProgramToGroup: config values as
// text, from strings, numbers or booleans ("true", "false").
func options(v xmlrpc.Value) (map[string]string, bool) {
	ms, ok := v.AsStruct()
	if !ok {
		return nil, false
	}
	out := make(map[string]string, len(ms))
	for _, m := range ms {
		switch m.Value.Kind() {
		case xmlrpc.KindString, xmlrpc.KindInt, xmlrpc.KindDouble:
			out[m.Name] = pyStr(m.Value)
		case xmlrpc.KindBool:
			b, _ := m.Value.AsBool()
			out[m.Name] = strconv.FormatBool(b)
		default:
			return nil, false
		}
	}
	return out, true
}
