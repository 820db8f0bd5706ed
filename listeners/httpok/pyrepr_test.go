package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

func TestPyRepr(t *testing.T) {
	t.Parallel()
	// Expected values are Python 3's repr().
	for _, tc := range []struct{ in, want string }{
		{"foo", `'foo'`},
		{"", `''`},
		{"it's", `"it's"`},
		{`it's "x"`, `'it\'s "x"'`},
		{`say "hi"`, `'say "hi"'`},
		{`a\b`, `'a\\b'`},
		{"tab\tnl\ncr\r", `'tab\tnl\ncr\r'`},
		{"\x00\x1b\x7f", `'\x00\x1b\x7f'`},
		{"\u00a0", `'\xa0'`},
		{"\u200b", `'\u200b'`},
		{"\U000e0001", `'\U000e0001'`},
		{"café ünïcode", `'café ünïcode'`},
	} {
		if got := pyStr(tc.in); got != tc.want {
			t.Errorf("pyStr(%q) = %s; want %s", tc.in, got, tc.want)
		}
	}
	if got := pyList([]string{"foo", "bar:baz"}); got != `['foo', 'bar:baz']` {
		t.Errorf("pyList = %s", got)
	}
	if got := pyList(nil); got != `[]` {
		t.Errorf("pyList(nil) = %s; want []", got)
	}
}

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
