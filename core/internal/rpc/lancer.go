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
	return xmlrpc.Numprocs{Added: added, Removed: removed}, nil
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

// update answers lancer.update: one [xmlrpc.Change] per change made, in
// the order made. The optional parameter is an array of group names.
func (h *Handler) update(ctx context.Context, a *args) (any, error) {
	var groups []string
	if len(a.vs) > 0 {
		var ok bool
		if groups, ok = stringArray(a.vs[0]); !ok {
			return nil, xmlrpc.ErrIncorrectParameters
		}
	}
	changes, err := h.scaler.Update(ctx, groups)
	if err != nil {
		return nil, toFault(err, "")
	}
	out := make([]xmlrpc.Change, len(changes))
	for i, c := range changes {
		out[i] = xmlrpc.Change{Group: c.Group, Name: c.Name, Action: string(c.Action), Status: xmlrpc.FaultSuccess, Description: "OK"}
		if c.Err != nil {
			// The error names what failed, which may be another process
			// of the group than c's.
			f := toFault(c.Err, "")
			out[i].Status, out[i].Description = f.Code, f.String
		}
	}
	return out, nil
}

// stringArray reads an array of strings.
func stringArray(v xmlrpc.Value) ([]string, bool) {
	vs, ok := v.AsArray()
	if !ok {
		return nil, false
	}
	out := make([]string, len(vs))
	for i, e := range vs {
		if out[i], ok = asString(e); !ok {
			return nil, false
		}
	}
	return out, true
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
