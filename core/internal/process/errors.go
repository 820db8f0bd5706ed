package process

import "errors"

// Sentinels returned by the command methods of [Process]. The XML-RPC layer
// maps them to supervisord's faults in one table; the fault names are given
// for reference.
var (
	// ErrAlreadyStarted: Start in STARTING, RUNNING or BACKOFF
	// (ALREADY_STARTED).
	ErrAlreadyStarted = errors.New("already started")

	// ErrNotRunning: Stop outside STARTING, RUNNING and BACKOFF; Signal
	// outside STARTING, RUNNING and STOPPING; WriteStdin without a live,
	// unstopped child (NOT_RUNNING).
	ErrNotRunning = errors.New("not running")

	// ErrSpawn: Start ended with a spawnerr, either at once or, with
	// wait, before RUNNING (SPAWN_ERROR). The error text carries the
	// spawnerr.
	ErrSpawn = errors.New("spawn error")

	// ErrAbnormalTermination: Start with wait saw the process leave
	// STARTING/RUNNING without a spawnerr, for example because it was
	// stopped meanwhile (ABNORMAL_TERMINATION).
	ErrAbnormalTermination = errors.New("abnormal termination")

	// ErrUnknownState: Start in UNKNOWN (FAILED, "x is in an unknown
	// process state").
	ErrUnknownState = errors.New("in an unknown process state")

	// ErrShuttingDown: Start after Shutdown; a shut-down process never
	// starts again (the supervisor builds new ones on reload).
	ErrShuttingDown = errors.New("shutting down")

	// ErrStdinClosed: the child's standard input is closed (NO_FILE).
	ErrStdinClosed = errors.New("stdin closed")

	// ErrClosed: the Process's Run has returned.
	ErrClosed = errors.New("process actor stopped")

	// ErrNotFound: the command does not exist (NO_FILE). Returned wrapped
	// in a [*SpawnError] by [ExecSpawner.Check] and Start.
	ErrNotFound = errors.New("command not found")

	// ErrNotExecutable: the command is a directory, not executable, not
	// permitted or empty (NOT_EXECUTABLE). Returned wrapped in a
	// [*SpawnError].
	ErrNotExecutable = errors.New("command not executable")
)
