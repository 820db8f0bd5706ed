package rpc

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

func TestSystemMethods(t *testing.T) {
	runCases(t, []rpcCase{
		{name: "help", method: "system.methodHelp", params: []any{"supervisor.getPID"}, want: "Return the process id of supervisord."},
		{name: "help unknown", method: "system.methodHelp", params: []any{"supervisor.nosuch"}, fault: "SIGNATURE_UNSUPPORTED"},
		{name: "signature", method: "system.methodSignature", params: []any{"supervisor.startProcess"},
			want: []any{"boolean", "string", "boolean"}},
		{name: "signature not a string", method: "system.methodSignature", params: []any{3}, fault: "SIGNATURE_UNSUPPORTED"},
		{name: "multicall empty", method: "system.multicall", params: []any{[]any{}}, want: []any{}},
		{name: "multicall not an array", method: "system.multicall", params: []any{"x"}, fault: "INCORRECT_PARAMETERS"},
		{name: "multicall bad calls", method: "system.multicall", params: []any{[]any{
			1,
			map[string]any{"methodName": 1},
			map[string]any{"methodName": "supervisor.getPID", "params": "ab"},
			map[string]any{"methodName": "supervisor.getPID", "params": []any{}},
			map[string]any{"methodName": "supervisor.stopProcess", "params": []any{"web"}},
			map[string]any{"methodName": "supervisor.getProcessInfo", "params": []any{"web"}},
		}}, want: []any{
			fault(2, "INCORRECT_PARAMETERS"),
			fault(2, "INCORRECT_PARAMETERS"),
			fault(2, "INCORRECT_PARAMETERS"),
			int64(4242),
			true,
			map[string]any{
				"name": "web", "group": "web", "start": int64(946684740), "stop": int64(946684800), "now": int64(946684800),
				"state": int64(0), "statename": "STOPPED", "spawnerr": "", "exitstatus": int64(0),
				"logfile": "", "stdout_logfile": "", "stderr_logfile": "", "pid": int64(0),
				"description": "Jan 01 12:00 AM",
			},
		}, setup: func(_ *testing.T, f *fakeSupervisor, _ *Options) {
			f.procs[0].st.StdoutLogfile, f.procs[0].st.StderrLogfile = "", ""
		}},
		{name: "multicall unexpected error", method: "system.multicall",
			params: []any{[]any{map[string]any{"methodName": "supervisor.getAllProcessInfo"}}},
			want:   []any{fault(30, "FAILED: panic: BUG: snapshot")},
			setup:  func(_ *testing.T, f *fakeSupervisor, _ *Options) { f.panicky = true }},
	})
}

func fault(code int64, s string) map[string]any {
	return map[string]any{"faultCode": code, "faultString": s}
}

// TestEveryMethodDocumented checks that each row has help text and a
// signature that fits its argument count.
func TestEveryMethodDocumented(t *testing.T) {
	t.Parallel()
	for _, table := range []map[string]method{systemMethods, supervisorMethods, lancerMethods} {
		for name, m := range table {
			if m.help == "" || len(m.sig) == 0 || m.opt > len(m.sig)-1 || m.call == nil {
				t.Errorf("%s: help %q, signature %q, %d optional: incomplete row", name, m.help, m.sig, m.opt)
			}
		}
	}
}

// TestMulticallWaits checks that a call that waits delays the calls after
// it, as in the reference.
func TestMulticallWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := stdFake(t)
		f.procs[1].startsecs = 2 * time.Second
		h, _ := newHandler(t, f, Options{})
		start := time.Now()
		v := mustCall(t, h, "system.multicall", []any{
			map[string]any{"methodName": "supervisor.startProcess", "params": []any{"workers:w0"}},
			map[string]any{"methodName": "supervisor.getProcessInfo", "params": []any{"workers:w0"}},
		})
		var got []xmlrpc.Value
		if err := xmlrpc.Unmarshal(v, &got); err != nil || len(got) != 2 {
			t.Fatalf("multicall = %v, %v", v, err)
		}
		if name, _ := got[1].Field("statename"); !name.Equal(xmlrpc.String("RUNNING")) {
			t.Errorf("second call saw %v; want RUNNING, after the first call's wait", name)
		}
		if d := time.Since(start); d != 2*time.Second {
			t.Errorf("multicall took %v; want 2s", d)
		}
	})
}

// TestNoSupervisorNamespace checks a daemon without
// [rpcinterface:supervisor]: only system.* methods.
func TestNoSupervisorNamespace(t *testing.T) {
	h := New(Options{})
	wantFault(t, h, "UNKNOWN_METHOD", "supervisor.getState")
	var names []string
	if err := xmlrpc.Unmarshal(mustCall(t, h, "system.listMethods"), &names); err != nil {
		t.Fatal(err)
	}
	want := []string{"system.listMethods", "system.methodHelp", "system.methodSignature", "system.multicall"}
	if !slices.Equal(names, want) {
		t.Errorf("listMethods = %q; want %q", names, want)
	}
}
