package main

import (
	"errors"

	"github.com/lancerhq/lancer/internal/pyrepr"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// superlance writes Python reprs into its stderr lines and mail, and
// operators grep for them: "Restarting selected processes ['foo',
// 'bar']", "Failed to stop process foo: <Fault 30: 'FAILED'>". These
// helpers reproduce the ones httpok prints.

// rpcErrText formats an error of a supervisord call as superlance's
// message does: a fault as xmlrpclib's repr, <Fault 30: 'FAILED'>, and
// anything else (which superlance does not catch and dies of) by its
// text.
func rpcErrText(err error) string {
	var f *xmlrpc.Fault
	if errors.As(err, &f) {
		return pyrepr.Fault(f.Code, f.String)
	}
	return err.Error()
}
