package process

import (
	"fmt"
	"io"
	"syscall"
)

// Spawner starts children. [ExecSpawner] starts real ones; tests use
// fakes, which is what makes the actor testable under testing/synctest.
type Spawner interface {
	// Spawn starts a child in its own process group. An error means
	// nothing runs; its Error() text becomes the process's spawnerr
	// (the reference's "can't find command 'x'" and so on).
	Spawn(spec SpawnSpec) (Proc, error)
}

// Checker is implemented by a Spawner that can tell, without starting
// anything, that a command cannot run. [Process.Start] calls it first, as
// supervisord's startProcess resolves the command before looking at the
// state (reference §2.5), so that a missing command is reported without a
// state change.
type Checker interface {
	Check(spec SpawnSpec) error
}

// Proc is a started child. Its methods are safe for concurrent use.
type Proc interface {
	Pid() int

	// Signal sends sig to the child, or to its whole process group when
	// group is set. A child that has already exited is not an error.
	Signal(sig syscall.Signal, group bool) error

	// Wait blocks until the child has exited and its output has been
	// drained to the SpawnSpec's writers, and returns how it ended. It is
	// called exactly once, by one goroutine.
	Wait() ExitStatus

	// OnExit arranges for f to be called once, when Wait can return
	// without blocking: from another goroutine, or at once if that is
	// already so. f must not block. It lets the actor, which runs only
	// while it has work, learn of the exit without a goroutine per child.
	OnExit(f func())

	// Stdin returns the write end of the child's standard input, or nil
	// if it has none. Writes fail once the child has exited.
	Stdin() io.Writer
}

// ExitStatus is how a child ended, decoded from its wait status.
type ExitStatus struct {
	Code     int            // exit code; meaningful when Signal is 0
	Signal   syscall.Signal // the signal that killed the child, or 0
	CoreDump bool
}

// Status returns the reference's exitstatus: the exit code, or -1 when
// the child was killed by a signal.
func (e ExitStatus) Status() int {
	if e.Signal != 0 {
		return -1
	}
	return e.Code
}

// String describes the end the way the reference's decode_wait_status
// does: "exit status 3", "terminated by SIGTERM", "terminated by SIGSEGV
// (core dumped)".
func (e ExitStatus) String() string {
	if e.Signal == 0 {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	s := "terminated by " + SignalName(e.Signal)
	if e.CoreDump {
		s += " (core dumped)"
	}
	return s
}

// SpawnError is a spawn failure detected by the spawner. Its Error() is
// the reference's spawnerr text exactly ("can't find command 'x'", "command
// at '/bin' is a directory", "too many open files to spawn 'x'", ...), so
// that the XML-RPC layer can use it as a fault string. Err is
// [ErrNotFound], [ErrNotExecutable] or the underlying error.
type SpawnError struct {
	Msg string
	Err error
}

func (e *SpawnError) Error() string { return e.Msg }
func (e *SpawnError) Unwrap() error { return e.Err }
