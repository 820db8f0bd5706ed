package rpc

import (
	"errors"
	"fmt"
	"testing"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/supervisor"
	"github.com/lancerhq/lancer/protocol"
)

func TestDaemonMethods(t *testing.T) {
	withConfig := func(_ *testing.T, _ *fakeSupervisor, o *Options) {
		o.Config = func() *config.File { return &config.File{Supervisord: config.Supervisord{Identifier: "prod-1"}} }
	}
	runCases(t, []rpcCase{
		{name: "api version", method: "supervisor.getAPIVersion", want: "3.0"},
		{name: "version alias", method: "supervisor.getVersion", want: "3.0"},
		{name: "supervisor version", method: "supervisor.getSupervisorVersion", want: "4.2.5"},
		{name: "identification", method: "supervisor.getIdentification", want: "prod-1", setup: withConfig},
		{name: "identification default", method: "supervisor.getIdentification", want: "supervisor"},
		{name: "pid", method: "supervisor.getPID", want: int64(4242)},
		{name: "state", method: "supervisor.getState", want: map[string]any{"statecode": int64(1), "statename": "RUNNING"}},
		{name: "state restarting", method: "supervisor.getState", fault: "SHUTDOWN_STATE", setup: mood(supervisor.Restarting)},
		{name: "shutdown", method: "supervisor.shutdown", want: true, check: moodIs(supervisor.Shutdown)},
		{name: "restart", method: "supervisor.restart", want: true, check: moodIs(supervisor.Restarting)},
		{name: "shutdown twice", method: "supervisor.shutdown", fault: "SHUTDOWN_STATE", setup: mood(supervisor.Shutdown)},
		{name: "reload no changes", method: "supervisor.reloadConfig", want: []any{[]any{[]any{}, []any{}, []any{}}}},
		{name: "reload changes", method: "supervisor.reloadConfig",
			setup: func(_ *testing.T, f *fakeSupervisor, _ *Options) {
				f.changes = config.Changes{
					Added:   []*config.Group{{Name: "new1"}, {Name: "new2"}},
					Changed: []config.GroupChange{{Old: &config.Group{Name: "web"}, New: &config.Group{Name: "web"}}},
					Removed: []*config.Group{{Name: "old"}},
				}
			},
			want: []any{[]any{[]any{"new1", "new2"}, []any{"web"}, []any{"old"}}}},
		{name: "reload fails", method: "supervisor.reloadConfig",
			fault: "CANT_REREAD: supervisord.conf:3: [program:x] command: missing",
			setup: func(_ *testing.T, f *fakeSupervisor, _ *Options) {
				parse := &config.Error{File: "supervisord.conf", Line: 3, Section: "program:x", Option: "command", Err: errors.New("missing")}
				f.rereadErr = fmt.Errorf("%w: %w", supervisor.ErrCantReread, parse)
			}},
		{name: "add group", method: "supervisor.addProcessGroup", params: []any{"extra"}, want: true,
			check: func(t *testing.T, f *fakeSupervisor) { hasCall(t, f, "add extra") }},
		{name: "add active group", method: "supervisor.addProcessGroup", params: []any{"web"}, fault: "ALREADY_ADDED: web"},
		{name: "add unknown group", method: "supervisor.addProcessGroup", params: []any{"nosuch"}, fault: "BAD_NAME: nosuch"},
		{name: "add bad type", method: "supervisor.addProcessGroup", params: []any{1}, fault: "INCORRECT_PARAMETERS"},
		{name: "remove group", method: "supervisor.removeProcessGroup", params: []any{"workers"}, want: true,
			check: func(t *testing.T, f *fakeSupervisor) { hasCall(t, f, "remove workers") }},
		{name: "remove running group", method: "supervisor.removeProcessGroup", params: []any{"web"}, fault: "STILL_RUNNING: web"},
		{name: "remove unknown group", method: "supervisor.removeProcessGroup", params: []any{"nosuch"}, fault: "BAD_NAME: nosuch"},
	})
}

// mood sets the fake's mood before a call.
func mood(m supervisor.Mood) func(*testing.T, *fakeSupervisor, *Options) {
	return func(_ *testing.T, f *fakeSupervisor, _ *Options) { f.mood = m }
}

// moodIs checks the fake's mood after a call.
func moodIs(want supervisor.Mood) func(*testing.T, *fakeSupervisor) {
	return func(t *testing.T, f *fakeSupervisor) {
		if got := f.Mood(); got != want {
			t.Errorf("mood = %v; want %v", got, want)
		}
	}
}

// TestRemoteCommEvent checks the event sent, with parameters of any type
// formatted as the reference's %s formats them, also during a shutdown.
func TestRemoteCommEvent(t *testing.T) {
	f := stdFake(t)
	f.mood = supervisor.Shutdown
	h, events := newHandler(t, f, Options{})
	mustCall(t, h, "supervisor.sendRemoteCommEvent", "mytype", "some data")
	mustCall(t, h, "supervisor.sendRemoteCommEvent", 1, []any{true, "x"})
	want := []protocol.Payload{
		protocol.RemoteComm{Type: "mytype", Data: "some data"},
		protocol.RemoteComm{Type: "1", Data: "[True, 'x']"},
	}
	if fmt.Sprint(*events) != fmt.Sprint(want) {
		t.Errorf("events = %v; want %v", *events, want)
	}
	wantFault(t, New(Options{Supervisor: f}), "FAILED: no event bus", "supervisor.sendRemoteCommEvent", "t", "d")
}

// TestShutdownGate checks that every supervisor.* and lancer.* method but
// sendRemoteCommEvent is refused while the daemon stops, after the count
// of its arguments is checked, and that system.* methods are not.
func TestShutdownGate(t *testing.T) {
	f := stdFake(t)
	f.mood = supervisor.Restarting
	h, _ := newHandler(t, f, Options{Scaler: &fakeScaler{}})
	for name, m := range h.methods {
		params := make([]any, len(m.sig)-1-m.opt)
		for i := range params {
			params[i] = "x"
		}
		_, fault := call(t, h, name, params...)
		switch {
		case name == "supervisor.sendRemoteCommEvent" || !m.gate:
			if fault != nil && fault.Code == 6 {
				t.Errorf("%s = %v; want no SHUTDOWN_STATE", name, fault)
			}
		case fault == nil || fault.String != "SHUTDOWN_STATE":
			t.Errorf("%s = %v; want SHUTDOWN_STATE", name, fault)
		}
		wantFault(t, h, "INCORRECT_PARAMETERS", name, append(params, "extra", "extra", "extra", "extra")...)
	}
}
