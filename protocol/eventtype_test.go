package protocol_test

import (
	"testing"

	"github.com/lancerhq/lancer/protocol"
)

// abstractTypes are the base types of supervisor.md §1.6.
var abstractTypes = map[protocol.EventType]bool{
	"EVENT": true, "PROCESS_STATE": true, "PROCESS_LOG": true, "PROCESS_COMMUNICATION": true,
	"SUPERVISOR_STATE_CHANGE": true, "TICK": true, "PROCESS_GROUP": true,
}

func TestEventTypeTableRoundTrip(t *testing.T) {
	t.Parallel()
	types := protocol.EventTypes()
	if len(types) != 27 {
		t.Errorf("len(EventTypes()) = %d; want 27 (7 abstract + 20 concrete)", len(types))
	}
	seen := map[protocol.EventType]bool{}
	for _, typ := range types {
		if seen[typ] {
			t.Errorf("EventTypes() lists %s twice", typ)
		}
		seen[typ] = true
		got, ok := protocol.ParseEventType(typ.String())
		if !ok || got != typ {
			t.Errorf("ParseEventType(%q) = %q, %t; want %q, true", typ.String(), got, ok, typ)
		}
		if got := typ.Abstract(); got != abstractTypes[typ] {
			t.Errorf("%s.Abstract() = %t; want %t", typ, got, abstractTypes[typ])
		}
		if !typ.Known() || !typ.IsA(protocol.AnyEvent) || !typ.IsA(typ) {
			t.Errorf("%s: Known/IsA(EVENT)/IsA(self) not all true", typ)
		}
		if base := typ.Base(); typ != protocol.AnyEvent && !abstractTypes[base] {
			t.Errorf("%s.Base() = %q; want an abstract type", typ, base)
		}
	}
}

func TestParseEventTypeUnknown(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", "tick_5", "TICK_30", "PROCESS_STATE_", "EVENT "} {
		if got, ok := protocol.ParseEventType(name); ok {
			t.Errorf("ParseEventType(%q) = %q, true; want false", name, got)
		}
	}
	u := protocol.EventType("MY_PLUGIN_EVENT")
	if u.Known() || u.Abstract() || u.Base() != "" || u.IsA(protocol.AnyEvent) || !u.IsA(u) {
		t.Errorf("unknown type %s: Known=%t Abstract=%t Base=%q IsA(EVENT)=%t", u, u.Known(), u.Abstract(), u.Base(), u.IsA(protocol.AnyEvent))
	}
}

func TestEventTypeIsA(t *testing.T) {
	t.Parallel()
	tests := []struct {
		t, u protocol.EventType
		want bool
	}{
		{protocol.ProcessStateRunning, protocol.AnyProcessState, true},
		{protocol.ProcessStateRunning, protocol.AnyEvent, true},
		{protocol.ProcessStateRunning, protocol.ProcessStateRunning, true},
		{protocol.ProcessStateRunning, protocol.ProcessStateExited, false},
		{protocol.ProcessStateRunning, protocol.AnyProcessLog, false},
		{protocol.AnyProcessState, protocol.ProcessStateRunning, false},
		{protocol.Tick60, protocol.AnyTick, true},
		{protocol.ProcessLogStderr, protocol.AnyProcessLog, true},
		{protocol.ProcessLogStderr, protocol.AnyProcessCommunication, false},
		{protocol.ProcessCommunicationStdout, protocol.AnyProcessCommunication, true},
		{protocol.RemoteCommunication, protocol.AnyEvent, true},
		{protocol.SupervisorStateChangeStopping, protocol.AnySupervisorStateChange, true},
		{protocol.ProcessGroupRemoved, protocol.AnyProcessGroup, true},
		{protocol.AnyEvent, protocol.AnyTick, false},
	}
	for _, tc := range tests {
		if got := tc.t.IsA(tc.u); got != tc.want {
			t.Errorf("%s.IsA(%s) = %t; want %t", tc.t, tc.u, got, tc.want)
		}
	}
}

// TestEveryConcreteTypeHasPayload checks that the type table and the
// payload parsers agree: every concrete type parses its own Format output.
func TestEveryConcreteTypeHasPayload(t *testing.T) {
	t.Parallel()
	samples := map[protocol.EventType]string{}
	for _, tc := range referenceEvents {
		samples[tc.want.EventType()] = tc.payload
	}
	samples[protocol.ProcessStateUnknown] = "processname:a groupname:a from_state:RUNNING"
	samples[protocol.ProcessStateExited] = "processname:a groupname:a from_state:RUNNING expected:1 pid:1"
	samples[protocol.ProcessCommunicationStderr] = "processname:a groupname:a pid:1\nx"
	samples[protocol.Tick3600] = "when:0"
	for _, typ := range protocol.EventTypes() {
		if typ.Abstract() {
			continue
		}
		p, err := protocol.ParsePayload(typ, samples[typ])
		if err != nil || p.EventType() != typ || p.Format() != samples[typ] {
			t.Errorf("ParsePayload(%s, %q) = %#v, %v; want a payload that formats back", typ, samples[typ], p, err)
		}
	}
}
