package xmlrpc

import (
	"context"
	"fmt"
)

// Call is one call in a system.multicall, encoded as the struct
// {methodName, params}.
type Call struct {
	Method string `xmlrpc:"methodName"`
	Params []any  `xmlrpc:"params"`
}

// MulticallResult is the outcome of one call in a system.multicall: either
// a value or a fault.
type MulticallResult struct {
	Value Value
	Fault *Fault // non-nil if the call failed
}

// Err returns the fault of a failed call, or nil.
func (r MulticallResult) Err() error {
	if r.Fault != nil {
		return r.Fault
	}
	return nil
}

// Decode stores the call's value in dst with [Unmarshal], or returns its
// fault.
func (r MulticallResult) Decode(dst any) error {
	if r.Fault != nil {
		return r.Fault
	}
	return Unmarshal(r.Value, dst)
}

// Multicall runs calls in one request with system.multicall and returns
// one result per call, in order. Supervisord runs them one after another
// (a waiting call delays the next) and answers each success with the bare
// return value, not wrapped in a one-element array as the multicall
// specification says, and each failure with a {faultCode, faultString}
// struct. A struct result that has an int faultCode member is therefore
// taken as a fault.
func (c *Client) Multicall(ctx context.Context, calls []Call) ([]MulticallResult, error) {
	var vs []Value
	if err := c.Call(ctx, "system.multicall", &vs, calls); err != nil {
		return nil, err
	}
	if len(vs) != len(calls) {
		return nil, fmt.Errorf("call system.multicall: got %d results for %d calls", len(vs), len(calls))
	}
	return MulticallResults(vs), nil
}

// MulticallResults splits the elements of a system.multicall result array
// into values and faults.
func MulticallResults(vs []Value) []MulticallResult {
	rs := make([]MulticallResult, len(vs))
	for i, v := range vs {
		if f, ok := faultFromValue(v); ok && v.Kind() == KindStruct {
			rs[i].Fault = f
			continue
		}
		rs[i].Value = v
	}
	return rs
}
