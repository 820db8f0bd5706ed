package rpc

import (
	"context"
	"errors"
	"fmt"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// The system.* methods: introspection and multicall.

func (h *Handler) listMethods(context.Context, *args) (any, error) {
	return h.names, nil
}

// introspected returns the method named by the parameter. As in the
// reference, a name that is not a served method's, or not a string, is
// SIGNATURE_UNSUPPORTED.
func (h *Handler) introspected(a *args) (method, error) {
	name, _ := asString(a.vs[0])
	m, ok := h.methods[name]
	if !ok {
		return method{}, xmlrpc.ErrSignatureUnsupported
	}
	return m, nil
}

func (h *Handler) methodHelp(_ context.Context, a *args) (any, error) {
	m, err := h.introspected(a)
	return m.help, err
}

func (h *Handler) methodSignature(_ context.Context, a *args) (any, error) {
	m, err := h.introspected(a)
	return m.sig, err
}

// multicall runs the calls one after the other, each to its end (a call
// that waits delays the next), and answers one entry per call: the bare
// result, not wrapped in an array as the multicall convention has it, or
// a fault struct. Those are the reference's quirks, which clients rely
// on. A call that fails unexpectedly is FAILED with its error, where the
// reference puts the Python exception.
func (h *Handler) multicall(ctx context.Context, a *args) (any, error) {
	calls, ok := a.vs[0].AsArray()
	if !ok {
		return nil, xmlrpc.ErrIncorrectParameters
	}
	out := make([]xmlrpc.Value, len(calls))
	for i, c := range calls {
		out[i] = entry(h.callOne(ctx, c))
	}
	return out, nil
}

// entry is one element of a multicall's answer.
func entry(v any, err error) xmlrpc.Value {
	var val xmlrpc.Value
	if err == nil {
		val, err = xmlrpc.Marshal(v)
	}
	var f *xmlrpc.Fault
	if err != nil && !errors.As(err, &f) {
		f = xmlrpc.NewFault(xmlrpc.FaultFailed, err.Error())
	}
	if f != nil {
		val, _ = f.MarshalXMLRPC()
	}
	return val
}

// callOne runs one {methodName, params} struct of a multicall.
func (h *Handler) callOne(ctx context.Context, c xmlrpc.Value) (v any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	if c.Kind() != xmlrpc.KindStruct {
		return nil, xmlrpc.ErrIncorrectParameters
	}
	nv, ok := c.Field("methodName")
	if !ok {
		return nil, xmlrpc.NewFault(xmlrpc.FaultIncorrectParameters, "No methodName")
	}
	name, ok := nv.AsString()
	if !ok {
		return nil, xmlrpc.ErrIncorrectParameters
	}
	if name == "system.multicall" {
		return nil, xmlrpc.NewFault(xmlrpc.FaultIncorrectParameters, "Recursive system.multicall forbidden")
	}
	params := []xmlrpc.Value{}
	if pv, ok := c.Field("params"); ok {
		if params, ok = pv.AsArray(); !ok {
			return nil, xmlrpc.ErrIncorrectParameters
		}
	}
	return h.call(ctx, name, params)
}
