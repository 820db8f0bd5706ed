package supervisor

import "errors"

// Sentinels of the command API. The XML-RPC layer maps them, and the
// process package's own (process.ErrAlreadyStarted, ErrNotRunning...), to
// supervisord's faults in one table; the fault names are given here for
// reference.
var (
	// ErrBadName: no such process or group (BAD_NAME).
	ErrBadName = errors.New("bad name")
	// ErrShutdownState: the daemon is shutting down or restarting
	// (SHUTDOWN_STATE).
	ErrShutdownState = errors.New("shutting down")
	// ErrAlreadyAdded: the group is already active (ALREADY_ADDED).
	ErrAlreadyAdded = errors.New("already added")
	// ErrStillRunning: the group has processes that are not stopped
	// (STILL_RUNNING).
	ErrStillRunning = errors.New("still running")
	// ErrCantReread: the config file could not be read again
	// (CANT_REREAD).
	ErrCantReread = errors.New("cannot reread")
)
