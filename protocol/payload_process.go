package protocol

import "strings"

// ProcessState is the payload of the PROCESS_STATE_* events:
//
//	processname:P groupname:G from_state:S [extra tokens]
//
// with no trailing newline. Which extra tokens exist depends on Type, and
// Format emits exactly those: EXITED has expected and pid; STARTING and
// BACKOFF have tries; RUNNING, STOPPING and STOPPED have pid; FATAL and
// UNKNOWN have none. Fields that Type does not carry are ignored by Format
// and left zero by ParsePayload.
type ProcessState struct {
	Type        EventType // a ProcessState* constant: the state entered
	ProcessName string
	GroupName   string
	FromState   string // the state left, e.g. "STARTING"
	Expected    bool   // EXITED: the exit status was in exitcodes
	PID         int    // EXITED, RUNNING, STOPPING, STOPPED; 0 if none
	Tries       int    // STARTING, BACKOFF: the backoff counter
}

// EventType returns p.Type.
func (p ProcessState) EventType() EventType { return p.Type }

// Format returns the payload supervisord writes for p.
func (p ProcessState) Format() string {
	var b strings.Builder
	b.WriteString("processname:" + p.ProcessName + " groupname:" + p.GroupName + " from_state:" + p.FromState)
	switch p.Type {
	case ProcessStateExited:
		expected := "0"
		if p.Expected {
			expected = "1"
		}
		b.WriteString(" expected:" + expected + " pid:" + itoa(p.PID))
	case ProcessStateStarting, ProcessStateBackoff:
		b.WriteString(" tries:" + itoa(p.Tries))
	case ProcessStateRunning, ProcessStateStopping, ProcessStateStopped:
		b.WriteString(" pid:" + itoa(p.PID))
	}
	return b.String()
}

// parseProcessState parses a PROCESS_STATE_* payload of type t.
func parseProcessState(t EventType, payload string) (Payload, error) {
	tok, _, err := SplitPayload(payload)
	if err != nil {
		return nil, err
	}
	r := tokenReader{tok: tok}
	p := ProcessState{
		Type:        t,
		ProcessName: r.str("processname"),
		GroupName:   r.str("groupname"),
		FromState:   r.str("from_state"),
	}
	switch t {
	case ProcessStateExited:
		p.Expected = r.bool("expected")
		p.PID = r.int("pid")
	case ProcessStateStarting, ProcessStateBackoff:
		p.Tries = r.int("tries")
	case ProcessStateRunning, ProcessStateStopping, ProcessStateStopped:
		p.PID = r.int("pid")
	}
	if r.err != nil {
		return nil, r.err
	}
	return p, nil
}

// ProcessLog is the payload of PROCESS_LOG_STDOUT and PROCESS_LOG_STDERR:
//
//	processname:P groupname:G pid:N channel:C\n<data>
//
// Data is the raw chunk read from the child's pipe: not split into lines,
// possibly several or partial lines. Channel is "stdout" or "stderr";
// with redirect_stderr=true stderr output arrives as channel "stdout".
type ProcessLog struct {
	Type        EventType // ProcessLogStdout or ProcessLogStderr
	ProcessName string
	GroupName   string
	PID         int
	Channel     string
	Data        string
}

// EventType returns p.Type.
func (p ProcessLog) EventType() EventType { return p.Type }

// Format returns the payload supervisord writes for p.
func (p ProcessLog) Format() string {
	return "processname:" + p.ProcessName + " groupname:" + p.GroupName +
		" pid:" + itoa(p.PID) + " channel:" + p.Channel + "\n" + p.Data
}

// parseProcessLog parses a PROCESS_LOG_* payload of type t.
func parseProcessLog(t EventType, payload string) (Payload, error) {
	tok, data, err := SplitPayload(payload)
	if err != nil {
		return nil, err
	}
	r := tokenReader{tok: tok}
	p := ProcessLog{
		Type:        t,
		ProcessName: r.str("processname"),
		GroupName:   r.str("groupname"),
		PID:         r.int("pid"),
		Channel:     r.str("channel"),
		Data:        data,
	}
	if r.err != nil {
		return nil, r.err
	}
	return p, nil
}

// ProcessCommunication is the payload of PROCESS_COMMUNICATION_STDOUT and
// PROCESS_COMMUNICATION_STDERR, emitted in capture mode (supervisor.md
// §1.7):
//
//	processname:P groupname:G pid:N\n<data>
//
// Data is exactly the bytes between the <!--XSUPERVISOR:BEGIN--> and
// <!--XSUPERVISOR:END--> tags.
type ProcessCommunication struct {
	Type        EventType // ProcessCommunicationStdout or ProcessCommunicationStderr
	ProcessName string
	GroupName   string
	PID         int
	Data        string
}

// EventType returns p.Type.
func (p ProcessCommunication) EventType() EventType { return p.Type }

// Format returns the payload supervisord writes for p.
func (p ProcessCommunication) Format() string {
	return "processname:" + p.ProcessName + " groupname:" + p.GroupName +
		" pid:" + itoa(p.PID) + "\n" + p.Data
}

// parseProcessCommunication parses a PROCESS_COMMUNICATION_* payload.
func parseProcessCommunication(t EventType, payload string) (Payload, error) {
	tok, data, err := SplitPayload(payload)
	if err != nil {
		return nil, err
	}
	r := tokenReader{tok: tok}
	p := ProcessCommunication{
		Type:        t,
		ProcessName: r.str("processname"),
		GroupName:   r.str("groupname"),
		PID:         r.int("pid"),
		Data:        data,
	}
	if r.err != nil {
		return nil, r.err
	}
	return p, nil
}
