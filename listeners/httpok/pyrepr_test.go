package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

func TestRPCErrText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("supervisor.stopProcess: %w", xmlrpc.NewFault(xmlrpc.FaultNotRunning, "foo")), `<Fault 70: 'NOT_RUNNING: foo'>`},
		{&xmlrpc.Fault{Code: 30, String: "FAILED"}, `<Fault 30: 'FAILED'>`},
		{errors.New("dial unix /run/supervisor.sock: connect: connection refused"), "dial unix /run/supervisor.sock: connect: connection refused"},
	} {
		if got := rpcErrText(tc.err); got != tc.want {
			t.Errorf("rpcErrText(%v) = %s; want %s", tc.err, got, tc.want)
		}
	}
}
