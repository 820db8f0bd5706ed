package xmlrpc_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

type recorded struct {
	method string
	params []xmlrpc.Value
}

func TestSupervisorMethods(t *testing.T) {
	t.Parallel()
	results := []xmlrpc.Result{{Name: "web", Group: "web", Status: xmlrpc.FaultSuccess, Description: "OK"}}
	infos := []xmlrpc.ProcessInfo{{Name: "web", Group: "web", PID: 7}}
	configs := []xmlrpc.ConfigInfo{{Name: "web", UID: xmlrpc.OptionalInt{Int: 1000, Valid: true}, ExitCodes: []int{0, 2}}}
	S, I, B := xmlrpc.String, func(n int) xmlrpc.Value { return xmlrpc.Int(int64(n)) }, xmlrpc.Bool
	ctx := t.Context()
	tests := []struct {
		name   string
		call   func(*xmlrpc.Client) (any, error)
		method string
		params []xmlrpc.Value
		reply  any // what the server answers
		want   any // what the method returns (nil for error-only methods)
	}{
		{"GetAPIVersion", func(c *xmlrpc.Client) (any, error) { return c.GetAPIVersion(ctx) },
			"supervisor.getAPIVersion", nil, "3.0", "3.0"},
		{"GetSupervisorVersion", func(c *xmlrpc.Client) (any, error) { return c.GetSupervisorVersion(ctx) },
			"supervisor.getSupervisorVersion", nil, "4.2.5", "4.2.5"},
		{"GetIdentification", func(c *xmlrpc.Client) (any, error) { return c.GetIdentification(ctx) },
			"supervisor.getIdentification", nil, "supervisor", "supervisor"},
		{"GetState", func(c *xmlrpc.Client) (any, error) { return c.GetState(ctx) },
			"supervisor.getState", nil, xmlrpc.State{Code: 1, Name: "RUNNING"}, xmlrpc.State{Code: 1, Name: "RUNNING"}},
		{"GetPID", func(c *xmlrpc.Client) (any, error) { return c.GetPID(ctx) },
			"supervisor.getPID", nil, 8341, 8341},
		{"ReadLog", func(c *xmlrpc.Client) (any, error) { return c.ReadLog(ctx, -100, 0) },
			"supervisor.readLog", []xmlrpc.Value{I(-100), I(0)}, "log", "log"},
		{"ClearLog", func(c *xmlrpc.Client) (any, error) { return nil, c.ClearLog(ctx) },
			"supervisor.clearLog", nil, true, nil},
		{"Shutdown", func(c *xmlrpc.Client) (any, error) { return nil, c.Shutdown(ctx) },
			"supervisor.shutdown", nil, true, nil},
		{"Restart", func(c *xmlrpc.Client) (any, error) { return nil, c.Restart(ctx) },
			"supervisor.restart", nil, true, nil},
		{"ReloadConfig", func(c *xmlrpc.Client) (any, error) {
			a, ch, r, err := c.ReloadConfig(ctx)
			return [][]string{a, ch, r}, err
		}, "supervisor.reloadConfig", nil, [][][]string{{{"new"}, {}, {"old", "gone"}}}, [][]string{{"new"}, {}, {"old", "gone"}}},
		{"AddProcessGroup", func(c *xmlrpc.Client) (any, error) { return nil, c.AddProcessGroup(ctx, "g") },
			"supervisor.addProcessGroup", []xmlrpc.Value{S("g")}, true, nil},
		{"RemoveProcessGroup", func(c *xmlrpc.Client) (any, error) { return nil, c.RemoveProcessGroup(ctx, "g") },
			"supervisor.removeProcessGroup", []xmlrpc.Value{S("g")}, true, nil},
		{"GetProcessInfo", func(c *xmlrpc.Client) (any, error) { return c.GetProcessInfo(ctx, "web") },
			"supervisor.getProcessInfo", []xmlrpc.Value{S("web")}, infos[0], infos[0]},
		{"GetAllProcessInfo", func(c *xmlrpc.Client) (any, error) { return c.GetAllProcessInfo(ctx) },
			"supervisor.getAllProcessInfo", nil, infos, infos},
		{"GetAllConfigInfo", func(c *xmlrpc.Client) (any, error) { return c.GetAllConfigInfo(ctx) },
			"supervisor.getAllConfigInfo", nil, configs, configs},
		{"StartProcess", func(c *xmlrpc.Client) (any, error) { return nil, c.StartProcess(ctx, "g:web", true) },
			"supervisor.startProcess", []xmlrpc.Value{S("g:web"), B(true)}, true, nil},
		{"StartProcessGroup", func(c *xmlrpc.Client) (any, error) { return c.StartProcessGroup(ctx, "g", false) },
			"supervisor.startProcessGroup", []xmlrpc.Value{S("g"), B(false)}, results, results},
		{"StartAllProcesses", func(c *xmlrpc.Client) (any, error) { return c.StartAllProcesses(ctx, true) },
			"supervisor.startAllProcesses", []xmlrpc.Value{B(true)}, results, results},
		{"StopProcess", func(c *xmlrpc.Client) (any, error) { return nil, c.StopProcess(ctx, "web", false) },
			"supervisor.stopProcess", []xmlrpc.Value{S("web"), B(false)}, true, nil},
		{"StopProcessGroup", func(c *xmlrpc.Client) (any, error) { return c.StopProcessGroup(ctx, "g", true) },
			"supervisor.stopProcessGroup", []xmlrpc.Value{S("g"), B(true)}, results, results},
		{"StopAllProcesses", func(c *xmlrpc.Client) (any, error) { return c.StopAllProcesses(ctx, false) },
			"supervisor.stopAllProcesses", []xmlrpc.Value{B(false)}, results, results},
		{"SignalProcess", func(c *xmlrpc.Client) (any, error) { return nil, c.SignalProcess(ctx, "web", "HUP") },
			"supervisor.signalProcess", []xmlrpc.Value{S("web"), S("HUP")}, true, nil},
		{"SignalProcessGroup", func(c *xmlrpc.Client) (any, error) { return c.SignalProcessGroup(ctx, "g", "USR1") },
			"supervisor.signalProcessGroup", []xmlrpc.Value{S("g"), S("USR1")}, results, results},
		{"SignalAllProcesses", func(c *xmlrpc.Client) (any, error) { return c.SignalAllProcesses(ctx, "15") },
			"supervisor.signalAllProcesses", []xmlrpc.Value{S("15")}, results, results},
		{"SendProcessStdin", func(c *xmlrpc.Client) (any, error) { return nil, c.SendProcessStdin(ctx, "web", "hi\n") },
			"supervisor.sendProcessStdin", []xmlrpc.Value{S("web"), S("hi\n")}, true, nil},
		{"SendRemoteCommEvent", func(c *xmlrpc.Client) (any, error) { return nil, c.SendRemoteCommEvent(ctx, "t", "d") },
			"supervisor.sendRemoteCommEvent", []xmlrpc.Value{S("t"), S("d")}, true, nil},
		{"ReadProcessStdoutLog", func(c *xmlrpc.Client) (any, error) { return c.ReadProcessStdoutLog(ctx, "web", 0, 10) },
			"supervisor.readProcessStdoutLog", []xmlrpc.Value{S("web"), I(0), I(10)}, "out", "out"},
		{"ReadProcessStderrLog", func(c *xmlrpc.Client) (any, error) { return c.ReadProcessStderrLog(ctx, "web", 5, 0) },
			"supervisor.readProcessStderrLog", []xmlrpc.Value{S("web"), I(5), I(0)}, "err", "err"},
		{"TailProcessStdoutLog", func(c *xmlrpc.Client) (any, error) { return c.TailProcessStdoutLog(ctx, "web", 0, 5) },
			"supervisor.tailProcessStdoutLog", []xmlrpc.Value{S("web"), I(0), I(5)},
			[]any{"efore", 12, true}, xmlrpc.Tail{Data: "efore", Offset: 12, Overflow: true}},
		{"TailProcessStderrLog", func(c *xmlrpc.Client) (any, error) { return c.TailProcessStderrLog(ctx, "web", 12, 100) },
			"supervisor.tailProcessStderrLog", []xmlrpc.Value{S("web"), I(12), I(100)},
			[]any{"", 12, false}, xmlrpc.Tail{Offset: 12}},
		{"ClearProcessLogs", func(c *xmlrpc.Client) (any, error) { return nil, c.ClearProcessLogs(ctx, "web") },
			"supervisor.clearProcessLogs", []xmlrpc.Value{S("web")}, true, nil},
		{"ClearAllProcessLogs", func(c *xmlrpc.Client) (any, error) { return c.ClearAllProcessLogs(ctx) },
			"supervisor.clearAllProcessLogs", nil, results, results},
		{"ListMethods", func(c *xmlrpc.Client) (any, error) { return c.ListMethods(ctx) },
			"system.listMethods", nil, []string{"a.b", "system.listMethods"}, []string{"a.b", "system.listMethods"}},
		{"MethodHelp", func(c *xmlrpc.Client) (any, error) { return c.MethodHelp(ctx, "a.b") },
			"system.methodHelp", []xmlrpc.Value{S("a.b")}, "help", "help"},
		{"MethodSignature", func(c *xmlrpc.Client) (any, error) {
			return c.MethodSignature(ctx, "supervisor.startProcess")
		}, "system.methodSignature", []xmlrpc.Value{S("supervisor.startProcess")},
			[]string{"boolean", "string", "boolean"}, []string{"boolean", "string", "boolean"}},
	}
	seen := make(chan recorded, 1)
	replies := make(chan any, 1)
	fake := &fakeSupervisord{methods: map[string]handlerFunc{}}
	for _, tt := range tests {
		fake.methods[tt.method] = func(_ *http.Request, params []xmlrpc.Value) (any, error) {
			seen <- recorded{tt.method, params}
			return <-replies, nil
		}
	}
	c, err := xmlrpc.NewClient(startUnix(t, fake), xmlrpc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests { // sequential: one server, one reply at a time
		replies <- tt.reply
		got, err := tt.call(c)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			drain(seen)
			drain(replies)
			continue
		}
		rec := <-seen
		if rec.method != tt.method || !xmlrpc.Array(rec.params...).Equal(xmlrpc.Array(tt.params...)) {
			t.Errorf("%s sent %s%v; want %s%v", tt.name, rec.method, rec.params, tt.method, tt.params)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s = %#v; want %#v", tt.name, got, tt.want)
		}
	}
}

// drain empties a buffered channel without blocking.
func drain[T any](ch chan T) {
	select {
	case <-ch:
	default:
	}
}
