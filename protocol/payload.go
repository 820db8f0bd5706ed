package protocol

import (
	"fmt"
	"strconv"
	"strings"
)

// Payload is the typed body of one concrete event. Format returns the exact
// payload supervisord writes for it (supervisor.md §1.6), so that
// ParsePayload(p.EventType(), p.Format()) yields p again.
//
// The implementations are [ProcessState], [ProcessLog],
// [ProcessCommunication], [RemoteComm], [SupervisorStateChange], [Tick] and
// [ProcessGroup]; they are plain values, safe to copy and compare.
type Payload interface {
	EventType() EventType
	Format() string
}

// ParsePayload parses payload as the body of an event of type t. Parsing is
// lenient in the ways childutils is (token order, extra tokens, trailing
// data after a token line are ignored) and strict about what a listener
// relies on: required keys must be present and numbers must be integers.
//
// Errors are [*PayloadError] wrapping [ErrMissingKey], [ErrBadToken],
// [ErrNotInteger] or [ErrBadValue], or wrapping [ErrUnknownEventType] or
// [ErrAbstractEventType] when t has no payload format of its own.
func ParsePayload(t EventType, payload string) (Payload, error) {
	p, err := parsePayload(t, payload)
	if err != nil {
		return nil, &PayloadError{Type: t, Payload: payload, Key: keyOf(err), Err: unkey(err)}
	}
	return p, nil
}

// parsePayload dispatches on the payload family of t.
func parsePayload(t EventType, payload string) (Payload, error) {
	switch {
	case !t.Known():
		return nil, ErrUnknownEventType
	case t.Abstract():
		return nil, ErrAbstractEventType
	case t == RemoteCommunication:
		return parseRemoteComm(payload)
	}
	switch t.Base() {
	case AnyProcessState:
		return parseProcessState(t, payload)
	case AnyProcessLog:
		return parseProcessLog(t, payload)
	case AnyProcessCommunication:
		return parseProcessCommunication(t, payload)
	case AnySupervisorStateChange:
		return SupervisorStateChange{Type: t}, nil
	case AnyTick:
		return parseTick(t, payload)
	case AnyProcessGroup:
		return parseProcessGroup(t, payload)
	}
	panic("BUG: concrete event type " + string(t) + " has no payload parser")
}

// SplitPayload splits payload at its first newline into the key:value
// tokens of the first line and the data after the newline, the Go
// counterpart of childutils.eventdata. A payload without a newline is all
// tokens and no data, so PROCESS_STATE payloads need no "\n" appended.
func SplitPayload(payload string) (tokens map[string]string, data string, err error) {
	line, data, _ := strings.Cut(payload, "\n")
	tokens, err = ParseTokens(line)
	if err != nil {
		return nil, "", err
	}
	return tokens, data, nil
}

// keyError tags an error with the token key it concerns, so that
// ParsePayload can fill [PayloadError.Key].
type keyError struct {
	key string
	err error
}

func (e *keyError) Error() string { return "key " + e.key + ": " + e.err.Error() }
func (e *keyError) Unwrap() error { return e.err }

// keyOf returns the key tagged on err, or "".
func keyOf(err error) string {
	if ke, ok := err.(*keyError); ok {
		return ke.key
	}
	return ""
}

// unkey strips a keyError tag from err.
func unkey(err error) error {
	if ke, ok := err.(*keyError); ok {
		return ke.err
	}
	return err
}

// tokenReader pulls required values out of a token map, remembering the
// first error so a parser can read several fields and check once.
type tokenReader struct {
	tok map[string]string
	err error
}

// str returns the value of key, recording ErrMissingKey if it is absent.
func (r *tokenReader) str(key string) string {
	v, ok := r.tok[key]
	if !ok && r.err == nil {
		r.err = &keyError{key, ErrMissingKey}
	}
	return v
}

// int returns the integer value of key.
func (r *tokenReader) int(key string) int {
	v := r.str(key)
	if r.err != nil {
		return 0
	}
	n, err := parseInt(v)
	if err != nil {
		r.err = &keyError{key, err}
	}
	return n
}

// int64 returns the 64-bit integer value of key.
func (r *tokenReader) int64(key string) int64 {
	v := r.str(key)
	if r.err != nil {
		return 0
	}
	n, err := parseInt64(v)
	if err != nil {
		r.err = &keyError{key, err}
	}
	return n
}

// bool returns the value of a 0/1 flag such as expected.
func (r *tokenReader) bool(key string) bool {
	v := r.str(key)
	if r.err != nil {
		return false
	}
	if v != "0" && v != "1" {
		r.err = &keyError{key, fmt.Errorf("%w: %q is not 0 or 1", ErrBadValue, v)}
	}
	return v == "1"
}

// itoa formats an integer token value.
func itoa(n int) string { return strconv.Itoa(n) }
