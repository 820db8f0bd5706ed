package protocol_test

import (
	"errors"
	"maps"
	"testing"
	"unicode/utf8"

	"github.com/lancerhq/lancer/protocol"
)

// referenceEvents are the literal examples of supervisor.md §1.6, observed
// byte for byte on the wire from Python supervisord 4.2.5, in order. They
// also make up testdata/serve/reference.in (serial = index).
var referenceEvents = []struct {
	len     int
	payload string
	want    protocol.Payload
}{
	{16, "groupname:allev\n",
		protocol.ProcessGroup{Type: protocol.ProcessGroupAdded, GroupName: "allev"}},
	{0, "",
		protocol.SupervisorStateChange{Type: protocol.SupervisorStateChangeRunning}},
	{60, "processname:allev groupname:allev from_state:STOPPED tries:0",
		protocol.ProcessState{Type: protocol.ProcessStateStarting, ProcessName: "allev", GroupName: "allev", FromState: "STOPPED"}},
	{62, "processname:allev groupname:allev from_state:STARTING pid:8359",
		protocol.ProcessState{Type: protocol.ProcessStateRunning, ProcessName: "allev", GroupName: "allev", FromState: "STARTING", PID: 8359}},
	{61, "processname:quick groupname:quick from_state:STARTING tries:1",
		protocol.ProcessState{Type: protocol.ProcessStateBackoff, ProcessName: "quick", GroupName: "quick", FromState: "STARTING", Tries: 1}},
	{60, "processname:quick groupname:quick from_state:BACKOFF tries:1",
		protocol.ProcessState{Type: protocol.ProcessStateStarting, ProcessName: "quick", GroupName: "quick", FromState: "BACKOFF", Tries: 1}},
	{52, "processname:quick groupname:quick from_state:BACKOFF",
		protocol.ProcessState{Type: protocol.ProcessStateFatal, ProcessName: "quick", GroupName: "quick", FromState: "BACKOFF"}},
	{65, "processname:sleeper groupname:sleeper from_state:RUNNING pid:8366",
		protocol.ProcessState{Type: protocol.ProcessStateStopping, ProcessName: "sleeper", GroupName: "sleeper", FromState: "RUNNING", PID: 8366}},
	{66, "processname:sleeper groupname:sleeper from_state:STOPPING pid:8366",
		protocol.ProcessState{Type: protocol.ProcessStateStopped, ProcessName: "sleeper", GroupName: "sleeper", FromState: "STOPPING", PID: 8366}},
	{58, "processname:quick groupname:quick from_state:BACKOFF pid:0",
		protocol.ProcessState{Type: protocol.ProcessStateStopped, ProcessName: "quick", GroupName: "quick", FromState: "BACKOFF"}},
	{76, "processname:sleeper groupname:sleeper from_state:RUNNING expected:0 pid:9202",
		protocol.ProcessState{Type: protocol.ProcessStateExited, ProcessName: "sleeper", GroupName: "sleeper", FromState: "RUNNING", PID: 9202}},
	{63, "processname:sleeper groupname:sleeper from_state:EXITED tries:0",
		protocol.ProcessState{Type: protocol.ProcessStateStarting, ProcessName: "sleeper", GroupName: "sleeper", FromState: "EXITED"}},
	{61, "processname:gsleep groupname:grp from_state:STARTING pid:8362",
		protocol.ProcessState{Type: protocol.ProcessStateRunning, ProcessName: "gsleep", GroupName: "grp", FromState: "STARTING", PID: 8362}},
	{62, "processname:comm groupname:comm pid:8360 channel:stdout\nbefore",
		protocol.ProcessLog{Type: protocol.ProcessLogStdout, ProcessName: "comm", GroupName: "comm", PID: 8360, Channel: "stdout", Data: "before"}},
	{64, "processname:comm groupname:comm pid:8360 channel:stderr\nerrline\n",
		protocol.ProcessLog{Type: protocol.ProcessLogStderr, ProcessName: "comm", GroupName: "comm", PID: 8360, Channel: "stderr", Data: "errline\n"}},
	{51, "processname:comm groupname:comm pid:8360\nhello comm",
		protocol.ProcessCommunication{Type: protocol.ProcessCommunicationStdout, ProcessName: "comm", GroupName: "comm", PID: 8360, Data: "hello comm"}},
	{21, "type:mytype\nsome data",
		protocol.RemoteComm{Type: "mytype", Data: "some data"}},
	{15, "when:1795321115",
		protocol.Tick{Type: protocol.Tick5, When: 1795321115}},
	{15, "when:1795321140",
		protocol.Tick{Type: protocol.Tick60, When: 1795321140}},
	{16, "groupname:extra\n",
		protocol.ProcessGroup{Type: protocol.ProcessGroupRemoved, GroupName: "extra"}},
	{0, "",
		protocol.SupervisorStateChange{Type: protocol.SupervisorStateChangeStopping}},
}

func TestParsePayloadReference(t *testing.T) {
	t.Parallel()
	for _, tc := range referenceEvents {
		typ := tc.want.EventType()
		t.Run(string(typ), func(t *testing.T) {
			if n := utf8.RuneCountInString(tc.payload); n != tc.len {
				t.Errorf("len(%q) = %d; want %d", tc.payload, n, tc.len)
			}
			got, err := protocol.ParsePayload(typ, tc.payload)
			if err != nil {
				t.Fatalf("ParsePayload(%s, %q) error: %v", typ, tc.payload, err)
			}
			if got != tc.want {
				t.Errorf("ParsePayload(%s, %q) = %#v; want %#v", typ, tc.payload, got, tc.want)
			}
			if s := tc.want.Format(); s != tc.payload {
				t.Errorf("%#v.Format() = %q; want %q", tc.want, s, tc.payload)
			}
		})
	}
}

// TestPayloadRoundTrip covers the cases the reference examples miss.
func TestPayloadRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    protocol.Payload
		want string
	}{
		{"exited expected", protocol.ProcessState{Type: protocol.ProcessStateExited, ProcessName: "a", GroupName: "g", FromState: "RUNNING", Expected: true, PID: 7},
			"processname:a groupname:g from_state:RUNNING expected:1 pid:7"},
		{"unknown", protocol.ProcessState{Type: protocol.ProcessStateUnknown, ProcessName: "a", GroupName: "g", FromState: "RUNNING"},
			"processname:a groupname:g from_state:RUNNING"},
		{"comm stderr", protocol.ProcessCommunication{Type: protocol.ProcessCommunicationStderr, ProcessName: "a", GroupName: "g", PID: 1, Data: "x\ny"},
			"processname:a groupname:g pid:1\nx\ny"},
		{"remote empty data", protocol.RemoteComm{Type: "t2"}, "type:t2\n"},
		{"remote spaced type", protocol.RemoteComm{Type: "my type: x", Data: "d"}, "type:my type: x\nd"},
		{"tick 3600", protocol.Tick{Type: protocol.Tick3600, When: 1795320000}, "when:1795320000"},
		{"non-ascii log", protocol.ProcessLog{Type: protocol.ProcessLogStdout, ProcessName: "p", GroupName: "g", PID: 2, Channel: "stdout", Data: "héllo 😀 日本"},
			"processname:p groupname:g pid:2 channel:stdout\nhéllo 😀 日本"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := tc.p.Format()
			if s != tc.want {
				t.Errorf("Format() = %q; want %q", s, tc.want)
			}
			got, err := protocol.ParsePayload(tc.p.EventType(), s)
			if err != nil || got != tc.p {
				t.Errorf("ParsePayload(%s, %q) = %#v, %v; want %#v", tc.p.EventType(), s, got, err, tc.p)
			}
		})
	}
}

func TestParsePayloadLenient(t *testing.T) {
	t.Parallel()
	got, err := protocol.ParsePayload(protocol.ProcessStateRunning,
		"pid:3 from_state:STARTING  groupname:g extra:x:y processname:p\n")
	want := protocol.ProcessState{Type: protocol.ProcessStateRunning, ProcessName: "p", GroupName: "g", FromState: "STARTING", PID: 3}
	if err != nil || got != want {
		t.Errorf("ParsePayload(reordered) = %#v, %v; want %#v", got, err, want)
	}
}

func TestParsePayloadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		typ     protocol.EventType
		payload string
		key     string
		want    error
	}{
		{"unknown type", "NO_SUCH_EVENT", "", "", protocol.ErrUnknownEventType},
		{"abstract type", protocol.AnyProcessState, "", "", protocol.ErrAbstractEventType},
		{"missing pid", protocol.ProcessStateRunning, "processname:p groupname:g from_state:STARTING", "pid", protocol.ErrMissingKey},
		{"missing from_state", protocol.ProcessStateFatal, "processname:p groupname:g", "from_state", protocol.ErrMissingKey},
		{"bad pid", protocol.ProcessStateStopped, "processname:p groupname:g from_state:X pid:abc", "pid", protocol.ErrNotInteger},
		{"bad expected", protocol.ProcessStateExited, "processname:p groupname:g from_state:X expected:2 pid:1", "expected", protocol.ErrBadValue},
		{"bad tries", protocol.ProcessStateBackoff, "processname:p groupname:g from_state:X tries:", "tries", protocol.ErrNotInteger},
		{"token without colon", protocol.Tick5, "when", "", protocol.ErrBadToken},
		{"bad when", protocol.Tick60, "when:soon", "when", protocol.ErrNotInteger},
		{"log missing channel", protocol.ProcessLogStderr, "processname:p groupname:g pid:1\nx", "channel", protocol.ErrMissingKey},
		{"comm bad pid", protocol.ProcessCommunicationStdout, "processname:p groupname:g pid:-x\nx", "pid", protocol.ErrNotInteger},
		{"remote without type", protocol.RemoteCommunication, "kind:x\ndata", "type", protocol.ErrMissingKey},
		{"group missing name", protocol.ProcessGroupAdded, "\n", "groupname", protocol.ErrMissingKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := protocol.ParsePayload(tc.typ, tc.payload)
			if !errors.Is(err, tc.want) {
				t.Fatalf("ParsePayload(%s, %q) error = %v; want %v", tc.typ, tc.payload, err, tc.want)
			}
			var pe *protocol.PayloadError
			if !errors.As(err, &pe) || pe.Key != tc.key || pe.Type != tc.typ {
				t.Errorf("ParsePayload(%s, %q) error = %#v; want *PayloadError with key %q", tc.typ, tc.payload, err, tc.key)
			}
		})
	}
}

func TestSplitPayload(t *testing.T) {
	t.Parallel()
	tests := []struct {
		payload string
		tokens  map[string]string
		data    string
	}{
		{"processname:p groupname:g pid:1 channel:stdout\nline\nmore", map[string]string{"processname": "p", "groupname": "g", "pid": "1", "channel": "stdout"}, "line\nmore"},
		{"when:5", map[string]string{"when": "5"}, ""},
		{"groupname:g\n", map[string]string{"groupname": "g"}, ""},
		{"", map[string]string{}, ""},
		{"k:a:b\n", map[string]string{"k": "a:b"}, ""},
	}
	for _, tc := range tests {
		tokens, data, err := protocol.SplitPayload(tc.payload)
		if err != nil || !maps.Equal(tokens, tc.tokens) || data != tc.data {
			t.Errorf("SplitPayload(%q) = %v, %q, %v; want %v, %q, nil", tc.payload, tokens, data, err, tc.tokens, tc.data)
		}
	}
}
