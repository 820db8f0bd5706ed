package protocol

import (
	"strconv"
	"strings"
)

// RemoteComm is the payload of REMOTE_COMMUNICATION, the event that the
// XML-RPC method supervisor.sendRemoteCommEvent(type, data) emits:
//
//	type:<type>\n<data>
//
// The newline is present even when Data is empty. Type is the caller's
// free-form string; it is taken verbatim up to the first newline (it may
// contain spaces and colons) and must not itself contain a newline.
type RemoteComm struct {
	Type string
	Data string
}

// EventType returns [RemoteCommunication].
func (p RemoteComm) EventType() EventType { return RemoteCommunication }

// Format returns the payload supervisord writes for p.
func (p RemoteComm) Format() string { return "type:" + p.Type + "\n" + p.Data }

// parseRemoteComm parses a REMOTE_COMMUNICATION payload. It does not use
// key:value tokens for the first line, because supervisord writes the
// type unescaped and a type with a space in it is legal.
func parseRemoteComm(payload string) (Payload, error) {
	line, data, _ := strings.Cut(payload, "\n")
	typ, ok := strings.CutPrefix(line, "type:")
	if !ok {
		return nil, &keyError{"type", ErrMissingKey}
	}
	return RemoteComm{Type: typ, Data: data}, nil
}

// SupervisorStateChange is the payload of SUPERVISOR_STATE_CHANGE_RUNNING
// and SUPERVISOR_STATE_CHANGE_STOPPING: the empty string (len:0).
// ParsePayload ignores any bytes a non-conforming sender puts there.
type SupervisorStateChange struct {
	Type EventType // SupervisorStateChangeRunning or SupervisorStateChangeStopping
}

// EventType returns p.Type.
func (p SupervisorStateChange) EventType() EventType { return p.Type }

// Format returns the empty payload.
func (p SupervisorStateChange) Format() string { return "" }

// Tick is the payload of TICK_5, TICK_60 and TICK_3600:
//
//	when:<epoch seconds>
//
// When is the start of the period (a multiple of 5, 60 or 3600), not the
// moment the tick was noticed (supervisor.md §1.5).
type Tick struct {
	Type EventType // Tick5, Tick60 or Tick3600
	When int64
}

// EventType returns p.Type.
func (p Tick) EventType() EventType { return p.Type }

// Format returns the payload supervisord writes for p.
func (p Tick) Format() string { return "when:" + strconv.FormatInt(p.When, 10) }

// parseTick parses a TICK_* payload of type t.
func parseTick(t EventType, payload string) (Payload, error) {
	tok, _, err := SplitPayload(payload)
	if err != nil {
		return nil, err
	}
	r := tokenReader{tok: tok}
	p := Tick{Type: t, When: r.int64("when")}
	if r.err != nil {
		return nil, r.err
	}
	return p, nil
}

// ProcessGroup is the payload of PROCESS_GROUP_ADDED and
// PROCESS_GROUP_REMOVED:
//
//	groupname:G\n
//
// Unlike every other token payload it ends with a newline.
type ProcessGroup struct {
	Type      EventType // ProcessGroupAdded or ProcessGroupRemoved
	GroupName string
}

// EventType returns p.Type.
func (p ProcessGroup) EventType() EventType { return p.Type }

// Format returns the payload supervisord writes for p, newline included.
func (p ProcessGroup) Format() string { return "groupname:" + p.GroupName + "\n" }

// parseProcessGroup parses a PROCESS_GROUP_* payload of type t.
func parseProcessGroup(t EventType, payload string) (Payload, error) {
	tok, _, err := SplitPayload(payload)
	if err != nil {
		return nil, err
	}
	r := tokenReader{tok: tok}
	p := ProcessGroup{Type: t, GroupName: r.str("groupname")}
	if r.err != nil {
		return nil, r.err
	}
	return p, nil
}
