package xmlrpc

import (
	"fmt"
)

// Fault is an XML-RPC fault: the error a server returns instead of a
// value. Supervisord's faultString is the fault name, optionally followed by
// ": " and a detail, as in "BAD_NAME: foo" (see [NewFault]).
//
// Two faults match under errors.Is when their codes are equal, so a fault
// decoded from the wire matches the sentinels: errors.Is(err, ErrBadName).
type Fault struct {
	Code   int
	String string
}

// Supervisord's fault codes (supervisor/xmlrpc.py, class Faults). Success
// is not an error: it is the status of a successful entry in the result
// arrays of the bulk methods (see [Result]).
const (
	FaultUnknownMethod        = 1
	FaultIncorrectParameters  = 2
	FaultBadArguments         = 3
	FaultSignatureUnsupported = 4
	FaultShutdownState        = 6
	FaultBadName              = 10
	FaultBadSignal            = 11
	FaultNoFile               = 20
	FaultNotExecutable        = 21
	FaultFailed               = 30
	FaultAbnormalTermination  = 40
	FaultSpawnError           = 50
	FaultAlreadyStarted       = 60
	FaultNotRunning           = 70
	FaultSuccess              = 80
	FaultAlreadyAdded         = 90
	FaultStillRunning         = 91
	FaultCantReread           = 92
)

// faultNames is the one table of supervisord's fault names.
var faultNames = map[int]string{
	FaultUnknownMethod:        "UNKNOWN_METHOD",
	FaultIncorrectParameters:  "INCORRECT_PARAMETERS",
	FaultBadArguments:         "BAD_ARGUMENTS",
	FaultSignatureUnsupported: "SIGNATURE_UNSUPPORTED",
	FaultShutdownState:        "SHUTDOWN_STATE",
	FaultBadName:              "BAD_NAME",
	FaultBadSignal:            "BAD_SIGNAL",
	FaultNoFile:               "NO_FILE",
	FaultNotExecutable:        "NOT_EXECUTABLE",
	FaultFailed:               "FAILED",
	FaultAbnormalTermination:  "ABNORMAL_TERMINATION",
	FaultSpawnError:           "SPAWN_ERROR",
	FaultAlreadyStarted:       "ALREADY_STARTED",
	FaultNotRunning:           "NOT_RUNNING",
	FaultSuccess:              "SUCCESS",
	FaultAlreadyAdded:         "ALREADY_ADDED",
	FaultStillRunning:         "STILL_RUNNING",
	FaultCantReread:           "CANT_REREAD",
}

var faultCodes = func() map[string]int {
	m := make(map[string]int, len(faultNames))
	for code, name := range faultNames {
		m[name] = code
	}
	return m
}()

// Sentinel faults, one per supervisord fault code except FaultSuccess, for
// errors.Is. Each carries the bare fault name as its String. They are
// shared values: do not modify them.
var (
	ErrUnknownMethod        = sentinel(FaultUnknownMethod)
	ErrIncorrectParameters  = sentinel(FaultIncorrectParameters)
	ErrBadArguments         = sentinel(FaultBadArguments)
	ErrSignatureUnsupported = sentinel(FaultSignatureUnsupported)
	ErrShutdownState        = sentinel(FaultShutdownState)
	ErrBadName              = sentinel(FaultBadName)
	ErrBadSignal            = sentinel(FaultBadSignal)
	ErrNoFile               = sentinel(FaultNoFile)
	ErrNotExecutable        = sentinel(FaultNotExecutable)
	ErrFailed               = sentinel(FaultFailed)
	ErrAbnormalTermination  = sentinel(FaultAbnormalTermination)
	ErrSpawnError           = sentinel(FaultSpawnError)
	ErrAlreadyStarted       = sentinel(FaultAlreadyStarted)
	ErrNotRunning           = sentinel(FaultNotRunning)
	ErrAlreadyAdded         = sentinel(FaultAlreadyAdded)
	ErrStillRunning         = sentinel(FaultStillRunning)
	ErrCantReread           = sentinel(FaultCantReread)
)

func sentinel(code int) *Fault { return &Fault{Code: code, String: FaultName(code)} }

// FaultName returns supervisord's name for a fault code, such as
// "BAD_NAME" for 10, or "UNKNOWN" for a code it does not define (as
// supervisord's getFaultDescription does).
func FaultName(code int) string {
	if name, ok := faultNames[code]; ok {
		return name
	}
	return "UNKNOWN"
}

// FaultCode returns the code of the fault called name, such as 10 for
// "BAD_NAME", and whether name is one of supervisord's fault names.
func FaultCode(name string) (int, bool) {
	code, ok := faultCodes[name]
	return code, ok
}

// NewFault returns a fault with supervisord's faultString for code: the
// fault name, followed by ": " and detail when detail is not empty, as
// supervisord's RPCError builds it ("BAD_NAME: foo").
func NewFault(code int, detail string) *Fault {
	s := FaultName(code)
	if detail != "" {
		s += ": " + detail
	}
	return &Fault{Code: code, String: s}
}

// Error returns "fault CODE: STRING", such as "fault 10: BAD_NAME: foo".
func (f *Fault) Error() string {
	if f.String == "" {
		return fmt.Sprintf("fault %d", f.Code)
	}
	return fmt.Sprintf("fault %d: %s", f.Code, f.String)
}

// Is reports whether target is a *Fault with the same code.
func (f *Fault) Is(target error) bool {
	t, ok := target.(*Fault)
	return ok && t != nil && t.Code == f.Code
}

// MarshalXMLRPC encodes f as the struct {faultCode, faultString}, the form
// of a failed call inside a system.multicall result.
func (f *Fault) MarshalXMLRPC() (Value, error) { return f.value(), nil }

// UnmarshalXMLRPC decodes f from a {faultCode, faultString} struct.
func (f *Fault) UnmarshalXMLRPC(v Value) error {
	got, ok := faultFromValue(v)
	if !ok {
		return fmt.Errorf("want fault struct, got %v", v)
	}
	*f = *got
	return nil
}

func (f *Fault) value() Value {
	return Struct(
		Member{"faultCode", Int(int64(f.Code))},
		Member{"faultString", String(f.String)},
	)
}

// faultFromValue converts a {faultCode int, faultString string} struct
// into a Fault. faultString may be missing; other members are ignored.
func faultFromValue(v Value) (*Fault, bool) {
	cv, ok := v.Field("faultCode")
	if !ok {
		return nil, false
	}
	code, ok := cv.AsInt()
	if !ok || int64(int(code)) != code {
		return nil, false
	}
	f := &Fault{Code: int(code)}
	if sv, ok := v.Field("faultString"); ok {
		if f.String, ok = sv.AsString(); !ok {
			return nil, false
		}
	}
	return f, true
}
