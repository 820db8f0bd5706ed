package protocol

// EventType is a supervisord event type name as it appears in the
// eventname header token and in the events= line of an [eventlistener:x]
// section, for example "PROCESS_STATE_RUNNING".
//
// The constants below are the types supervisord 4.2 registers. A value
// outside the table (a plugin-registered type) is still carried through
// headers verbatim; [EventType.Known] reports whether it is in the table.
type EventType string

// Abstract base types. A subscription to one of them receives every type
// below it; AnyEvent receives everything. They are never sent on the wire.
const (
	AnyEvent                 EventType = "EVENT"
	AnyProcessState          EventType = "PROCESS_STATE"
	AnyProcessLog            EventType = "PROCESS_LOG"
	AnyProcessCommunication  EventType = "PROCESS_COMMUNICATION"
	AnySupervisorStateChange EventType = "SUPERVISOR_STATE_CHANGE"
	AnyTick                  EventType = "TICK"
	AnyProcessGroup          EventType = "PROCESS_GROUP"
)

// Concrete event types, the ones that appear in the eventname token.
const (
	ProcessStateStopped           EventType = "PROCESS_STATE_STOPPED"
	ProcessStateExited            EventType = "PROCESS_STATE_EXITED"
	ProcessStateStarting          EventType = "PROCESS_STATE_STARTING"
	ProcessStateStopping          EventType = "PROCESS_STATE_STOPPING"
	ProcessStateBackoff           EventType = "PROCESS_STATE_BACKOFF"
	ProcessStateFatal             EventType = "PROCESS_STATE_FATAL"
	ProcessStateRunning           EventType = "PROCESS_STATE_RUNNING"
	ProcessStateUnknown           EventType = "PROCESS_STATE_UNKNOWN"
	ProcessLogStdout              EventType = "PROCESS_LOG_STDOUT"
	ProcessLogStderr              EventType = "PROCESS_LOG_STDERR"
	ProcessCommunicationStdout    EventType = "PROCESS_COMMUNICATION_STDOUT"
	ProcessCommunicationStderr    EventType = "PROCESS_COMMUNICATION_STDERR"
	RemoteCommunication           EventType = "REMOTE_COMMUNICATION"
	SupervisorStateChangeRunning  EventType = "SUPERVISOR_STATE_CHANGE_RUNNING"
	SupervisorStateChangeStopping EventType = "SUPERVISOR_STATE_CHANGE_STOPPING"
	Tick5                         EventType = "TICK_5"
	Tick60                        EventType = "TICK_60"
	Tick3600                      EventType = "TICK_3600"
	ProcessGroupAdded             EventType = "PROCESS_GROUP_ADDED"
	ProcessGroupRemoved           EventType = "PROCESS_GROUP_REMOVED"
)

// typeInfo is one row of the event type table.
type typeInfo struct {
	t        EventType
	base     EventType // "" only for AnyEvent
	abstract bool
}

// eventTable is the one name<->type table (supervisor/events.py
// EventTypes), in the order of the reference (supervisor.md §1.6).
var eventTable = []typeInfo{
	{AnyEvent, "", true},
	{AnyProcessState, AnyEvent, true},
	{ProcessStateStopped, AnyProcessState, false},
	{ProcessStateExited, AnyProcessState, false},
	{ProcessStateStarting, AnyProcessState, false},
	{ProcessStateStopping, AnyProcessState, false},
	{ProcessStateBackoff, AnyProcessState, false},
	{ProcessStateFatal, AnyProcessState, false},
	{ProcessStateRunning, AnyProcessState, false},
	{ProcessStateUnknown, AnyProcessState, false},
	{AnyProcessLog, AnyEvent, true},
	{ProcessLogStdout, AnyProcessLog, false},
	{ProcessLogStderr, AnyProcessLog, false},
	{AnyProcessCommunication, AnyEvent, true},
	{ProcessCommunicationStdout, AnyProcessCommunication, false},
	{ProcessCommunicationStderr, AnyProcessCommunication, false},
	{RemoteCommunication, AnyEvent, false},
	{AnySupervisorStateChange, AnyEvent, true},
	{SupervisorStateChangeRunning, AnySupervisorStateChange, false},
	{SupervisorStateChangeStopping, AnySupervisorStateChange, false},
	{AnyTick, AnyEvent, true},
	{Tick5, AnyTick, false},
	{Tick60, AnyTick, false},
	{Tick3600, AnyTick, false},
	{AnyProcessGroup, AnyEvent, true},
	{ProcessGroupAdded, AnyProcessGroup, false},
	{ProcessGroupRemoved, AnyProcessGroup, false},
}

// eventIndex maps a type name to its row in eventTable.
var eventIndex = func() map[EventType]typeInfo {
	m := make(map[EventType]typeInfo, len(eventTable))
	for _, ti := range eventTable {
		m[ti.t] = ti
	}
	return m
}()

// EventTypes returns every known event type, abstract and concrete, in the
// order of supervisord's documentation. The caller owns the returned slice.
func EventTypes() []EventType {
	ts := make([]EventType, len(eventTable))
	for i, ti := range eventTable {
		ts[i] = ti.t
	}
	return ts
}

// ParseEventType looks name up in the type table. The match is exact and
// case-sensitive; supervisord upper-cases events= values before the lookup,
// and so should a config loader.
func ParseEventType(name string) (EventType, bool) {
	ti, ok := eventIndex[EventType(name)]
	return ti.t, ok
}

// String returns the type name.
func (t EventType) String() string { return string(t) }

// Known reports whether t is in the type table.
func (t EventType) Known() bool {
	_, ok := eventIndex[t]
	return ok
}

// Abstract reports whether t is a base type that is only subscribed to,
// never sent (EVENT, PROCESS_STATE, TICK...).
func (t EventType) Abstract() bool { return eventIndex[t].abstract }

// Base returns the type t directly derives from: AnyProcessState for
// ProcessStateRunning, AnyEvent for AnyTick and RemoteCommunication. It
// returns "" for AnyEvent and for unknown types.
func (t EventType) Base() EventType { return eventIndex[t].base }

// IsA reports whether t is u or derives from u, which is exactly when a
// pool subscribed to u receives an event of type t. Every known type IsA
// AnyEvent; an unknown type IsA only itself.
func (t EventType) IsA(u EventType) bool {
	for cur := t; cur != ""; cur = cur.Base() {
		if cur == u {
			return true
		}
	}
	return false
}
