package ctl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	"github.com/lancerhq/lancer/internal/pyrepr"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// Exit statuses, the LSB init-script codes the reference uses
// (supervisor.md §6.1). status has two of its own.
const (
	exitOK          = 0
	exitGeneric     = 1
	exitInvalidArgs = 2
	exitUnsupported = 3 // the server lacks the supervisor namespace
	exitNoAccess    = 4 // "refused connection"
	exitNotVersion  = 5 // API version mismatch
	exitNotRunning  = 7
	exitInterrupted = 130 // Ctrl-C ended a command that does not follow a log

	statusNotRunning = 3 // status: some listed process is not running
	statusUnknown    = 4 // status: a name is unknown or the server is unreachable
)

// apiVersion is the XML-RPC API version this supervisorctl speaks.
const apiVersion = "3.0"

// errInterrupted is the cause of a command context cancelled by Ctrl-C.
var errInterrupted = errors.New("interrupted")

// pyError is an error the reference raises as a Python exception of a
// given class; it is printed as "error: <class 'Class'>, Msg".
type pyError struct {
	Class string
	Msg   string
}

func (e *pyError) Error() string { return e.Msg }

// errEOF is what the reference's raw_input raises at the end of input.
var errEOF = &pyError{Class: "EOFError", Msg: "EOF when reading a line"}

// describe formats err as the reference prints an unexpected exception
// ("error: <class 'X'>, value"), for the errors a Python client would
// raise in the same situation: socket errors, HTTP protocol errors and
// faults. Go errors with no Python counterpart keep their own text.
func describe(err error) string {
	var pe *pyError
	var herr *xmlrpc.HTTPError
	var fault *xmlrpc.Fault
	var dns *net.DNSError
	var errno syscall.Errno
	switch {
	case errors.As(err, &pe):
		return fmt.Sprintf("<class '%s'>, %s", pe.Class, pe.Msg)
	case errors.Is(err, xmlrpc.ErrUnauthorized):
		return protocolError("401 Unauthorized")
	case errors.As(err, &herr):
		return protocolError(herr.Status)
	case errors.As(err, &fault):
		return "<class 'xmlrpc.client.Fault'>, " + pyrepr.Fault(fault.Code, fault.String)
	case errors.As(err, &dns):
		return "<class 'socket.gaierror'>, [Errno -2] Name or service not known"
	case errors.As(err, &errno):
		return fmt.Sprintf("<class '%s'>, [Errno %d] %s", errnoClass(errno), int(errno), strerror(errno))
	case errors.Is(err, context.DeadlineExceeded):
		return "<class 'TimeoutError'>, timed out"
	}
	return fmt.Sprintf("<class 'Exception'>, %s", err)
}

func protocolError(status string) string {
	return fmt.Sprintf("<class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1/RPC2: %s>", status)
}

// errnoClass names the Python OSError subclass raised for errno.
func errnoClass(errno syscall.Errno) string {
	switch errno {
	case syscall.ECONNREFUSED:
		return "ConnectionRefusedError"
	case syscall.ECONNRESET:
		return "ConnectionResetError"
	case syscall.ECONNABORTED:
		return "ConnectionAbortedError"
	case syscall.EPIPE:
		return "BrokenPipeError"
	case syscall.ENOENT:
		return "FileNotFoundError"
	case syscall.EACCES, syscall.EPERM:
		return "PermissionError"
	case syscall.ETIMEDOUT:
		return "TimeoutError"
	}
	return "OSError"
}

// strerror is C's strerror text, which Go keeps in lower case.
func strerror(errno syscall.Errno) string {
	s := errno.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// faultCode returns the code of the fault err carries, if it is one.
func faultCode(err error) (int, bool) {
	var f *xmlrpc.Fault
	if errors.As(err, &f) {
		return f.Code, true
	}
	return 0, false
}

// asResult turns the fault of a call on name into the result struct the
// bulk methods return, as the reference does to print both the same way.
func asResult(name string, f *xmlrpc.Fault) xmlrpc.Result {
	group, proc, ok := splitNamespec(name)
	if !ok {
		proc = "None" // the reference formats its None
	}
	return xmlrpc.Result{Name: proc, Group: group, Status: f.Code, Description: f.String}
}

// faultStatus returns the exit status a result with fault code sets, as
// the reference's set_exitstatus_from_xmlrpc_fault does: none for success
// and for the ignored code, 7 for the faults that mean the program is not
// running, 1 for any other.
func faultStatus(code, ignored int) (int, bool) {
	switch code {
	case ignored, xmlrpc.FaultSuccess:
		return 0, false
	case xmlrpc.FaultSpawnError, xmlrpc.FaultAbnormalTermination, xmlrpc.FaultNotRunning:
		return exitNotRunning, true
	}
	return exitGeneric, true
}
