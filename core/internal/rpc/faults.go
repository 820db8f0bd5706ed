package rpc

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/core/internal/supervisor"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// detail says what follows the fault name in a faultString.
type detail int

const (
	bare      detail = iota // "SHUTDOWN_STATE"
	subject                 // "BAD_NAME: <the name or path the call concerns>"
	cause                   // "CANT_REREAD: <the error's text after the sentinel>"
	spawnMsg                // "NO_FILE: <the spawner's message>", "can't find command 'x'"
	unknownSt               // "FAILED: <name> is in an unknown process state"
	message                 // "INCORRECT_PARAMETERS: <the error's whole text>"
)

// faults is the one table from the domain's sentinel errors to
// supervisord's faults: the first row whose error matches (errors.Is, or
// errors.As for the config's typed errors) gives the code and the detail.
// Nothing below this package knows fault codes.
var faults = []struct {
	err    error
	as     func(error) bool // for typed errors, instead of err
	code   int
	detail detail
}{
	{err: supervisor.ErrShutdownState, code: xmlrpc.FaultShutdownState},
	{err: process.ErrShuttingDown, code: xmlrpc.FaultShutdownState},
	{err: supervisor.ErrBadName, code: xmlrpc.FaultBadName, detail: subject},
	// A process whose actor is gone was removed with its group while
	// the call went on: the name no longer names a process.
	{err: process.ErrClosed, code: xmlrpc.FaultBadName, detail: subject},
	{err: process.ErrAlreadyStarted, code: xmlrpc.FaultAlreadyStarted, detail: subject},
	{err: process.ErrNotRunning, code: xmlrpc.FaultNotRunning, detail: subject},
	{err: process.ErrSpawn, code: xmlrpc.FaultSpawnError, detail: subject},
	{err: process.ErrAbnormalTermination, code: xmlrpc.FaultAbnormalTermination, detail: subject},
	{err: process.ErrUnknownState, code: xmlrpc.FaultFailed, detail: unknownSt},
	{err: process.ErrNotFound, code: xmlrpc.FaultNoFile, detail: spawnMsg},
	{err: process.ErrNotExecutable, code: xmlrpc.FaultNotExecutable, detail: spawnMsg},
	{err: process.ErrStdinClosed, code: xmlrpc.FaultNoFile, detail: subject},
	{err: supervisor.ErrAlreadyAdded, code: xmlrpc.FaultAlreadyAdded, detail: subject},
	{err: supervisor.ErrStillRunning, code: xmlrpc.FaultStillRunning, detail: subject},
	{err: supervisor.ErrCantReread, code: xmlrpc.FaultCantReread, detail: cause},
	{err: logcap.ErrBadArguments, code: xmlrpc.FaultBadArguments},
	{err: logcap.ErrNoFile, code: xmlrpc.FaultNoFile, detail: subject},
	{as: isConfigError, code: xmlrpc.FaultIncorrectParameters, detail: message},
}

func isConfigError(err error) bool {
	var e *config.Error
	return errors.As(err, &e)
}

// toFault maps err to supervisord's fault. subj is the name (or log path)
// the call concerns, as the reference names it in the detail; "" takes the
// name from the error's text after the sentinel ("bad name: web"), or
// leaves the detail out. An error no row matches is FAILED with its text,
// as the reference reports a process it failed to signal.
func toFault(err error, subj string) *xmlrpc.Fault {
	var f *xmlrpc.Fault
	if errors.As(err, &f) {
		return f
	}
	for _, row := range faults {
		if row.as != nil && row.as(err) || row.err != nil && errors.Is(err, row.err) {
			return xmlrpc.NewFault(row.code, faultDetail(row.detail, err, row.err, subj))
		}
	}
	return xmlrpc.NewFault(xmlrpc.FaultFailed, err.Error())
}

func faultDetail(d detail, err, sentinel error, subj string) string {
	switch d {
	case subject:
		if subj == "" {
			return after(err, sentinel)
		}
		return subj
	case cause:
		return after(err, sentinel)
	case spawnMsg:
		var se *process.SpawnError
		if errors.As(err, &se) {
			return se.Msg
		}
		return after(err, sentinel)
	case unknownSt:
		return fmt.Sprintf("%s is in an unknown process state", subj)
	case message:
		return err.Error()
	}
	return ""
}

// after returns the text that follows sentinel's in err's message, as in
// fmt.Errorf("%w: %w", ErrCantReread, parseErr), or "".
func after(err, sentinel error) string {
	_, rest, ok := strings.Cut(err.Error(), sentinel.Error()+": ")
	if !ok {
		return ""
	}
	return rest
}
