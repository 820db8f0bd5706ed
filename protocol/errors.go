package protocol

import (
	"errors"
	"fmt"
)

// Sentinel errors. They are wrapped by [*HeaderError], [*PayloadError] or
// fmt.Errorf, so test for them with errors.Is.
var (
	// ErrMissingKey means a required key:value token is absent.
	ErrMissingKey = errors.New("missing key")
	// ErrBadToken means a token has no ':' separating key and value.
	ErrBadToken = errors.New("token without colon")
	// ErrNotInteger means a value that must be a decimal integer is not one.
	ErrNotInteger = errors.New("not an integer")
	// ErrBadValue means a value is outside its allowed set, such as an
	// expected flag other than 0 or 1, or whitespace in a header value.
	ErrBadValue = errors.New("invalid value")
	// ErrBadLen means the len of an envelope is not a non-negative integer.
	ErrBadLen = errors.New("invalid len")
	// ErrPayloadTooLarge means a len (or a RESULT length) exceeds the
	// reader's limit; nothing of that size was allocated.
	ErrPayloadTooLarge = errors.New("payload too large")
	// ErrLineTooLong means a header line exceeds [MaxLineLen] bytes
	// without a newline.
	ErrLineTooLong = errors.New("line too long")
	// ErrBadResult means a listener's answer is not "RESULT <n>\n<body>".
	ErrBadResult = errors.New("malformed result")
	// ErrNotReady means a listener wrote something other than "READY\n"
	// when it was expected to announce readiness.
	ErrNotReady = errors.New("not ready")
	// ErrUnknownEventType means an event name is not in the type table.
	ErrUnknownEventType = errors.New("unknown event type")
	// ErrAbstractEventType means an abstract (base) type such as
	// PROCESS_STATE was used where a concrete event is required.
	ErrAbstractEventType = errors.New("abstract event type")
	// ErrOutOfTurn means a [Listener] method was called in the wrong phase
	// of the exchange: Next before the previous event was answered, or an
	// answer without an event in flight.
	ErrOutOfTurn = errors.New("out of turn")
)

// maxQuoted bounds how much of an offending line an error message quotes;
// the full line stays available in the error's fields.
const maxQuoted = 120

// HeaderError reports an envelope header line that cannot be parsed or
// written. Key names the offending token ("len", "serial"...) when there is
// one. Err is one of the package sentinels.
type HeaderError struct {
	Line string // the header line, without its newline
	Key  string // the offending key, or "" when the line as a whole is bad
	Err  error
}

func (e *HeaderError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("header %q: %v", quoteable(e.Line), e.Err)
	}
	return fmt.Sprintf("header %q: key %s: %v", quoteable(e.Line), e.Key, e.Err)
}

// Unwrap returns the underlying sentinel.
func (e *HeaderError) Unwrap() error { return e.Err }

// PayloadError reports an event payload that does not match the format of
// its event type.
type PayloadError struct {
	Type    EventType // the event type the payload was parsed as
	Payload string
	Key     string // the offending key, or ""
	Err     error
}

func (e *PayloadError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("%s payload %q: %v", e.Type, quoteable(e.Payload), e.Err)
	}
	return fmt.Sprintf("%s payload %q: key %s: %v", e.Type, quoteable(e.Payload), e.Key, e.Err)
}

// Unwrap returns the underlying error.
func (e *PayloadError) Unwrap() error { return e.Err }

// quoteable shortens s for inclusion in an error message.
func quoteable(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	return s[:maxQuoted] + "..."
}
