package process

import (
	"fmt"
	"io"
	"log/slog"
	"syscall"
	"time"
)

// Policy holds the options of [program:x] that the state machine obeys,
// with durations already converted from supervisord's integer seconds by
// the config layer. The zero Policy is valid but is not supervisord's
// defaults (startsecs=1, startretries=3, autostart=true,
// autorestart=unexpected, stopwaitsecs=10).
type Policy struct {
	// Name is the process name (process_name expanded), used in every
	// log line.
	Name string

	AutoStart    bool        // start when Run begins
	AutoRestart  AutoRestart // what an exit from RUNNING leads to
	StartSecs    time.Duration
	StartRetries int

	// ExitCodes are the expected exit codes; nil means {0}, the
	// reference's default. A death by signal (status -1) is never
	// expected.
	ExitCodes []int

	StopSignal   syscall.Signal // 0 means SIGTERM
	StopWaitSecs time.Duration
	StopAsGroup  bool // send StopSignal to the process group; implies KillAsGroup
	KillAsGroup  bool // send SIGKILL to the process group
}

func (p *Policy) expected(status int) bool {
	if p.ExitCodes == nil {
		return status == 0
	}
	for _, c := range p.ExitCodes {
		if c == status {
			return true
		}
	}
	return false
}

func (p *Policy) stopSignal() syscall.Signal {
	if p.StopSignal == 0 {
		return syscall.SIGTERM
	}
	return p.StopSignal
}

// AutoRestart is the autorestart policy. The zero value is
// RestartUnexpected, the reference's default.
type AutoRestart int

// The autorestart values (reference §4.2, "EXITED → STARTING").
const (
	RestartUnexpected AutoRestart = iota // autorestart=unexpected: restart unless the exit code is in ExitCodes
	RestartAlways                        // autorestart=true
	RestartNever                         // autorestart=false
)

// String returns the value as written in a config file.
func (a AutoRestart) String() string {
	switch a {
	case RestartUnexpected:
		return "unexpected"
	case RestartAlways:
		return "true"
	case RestartNever:
		return "false"
	}
	return fmt.Sprintf("AutoRestart(%d)", int(a))
}

// Config is everything [New] needs to run one process. The supervisor
// layer fills it from config.Process; nothing here reads files.
type Config struct {
	Policy // Name and the lifecycle rules

	// Group is the group name reported in snapshots and changes.
	Group string

	// Spec is what the Spawner starts; New sets Spec.Name to Name.
	Spec SpawnSpec

	// Spawner starts the child; nil means &ExecSpawner{} (no shim).
	Spawner Spawner

	// Clock runs the process's timers; share one between the processes
	// of a supervisor, so that deadlines due together are handled in the
	// order they were set. nil gives the process a Clock of its own.
	Clock *Clock

	// Logger receives supervisord's main-log lines for this process; nil
	// discards them.
	Logger *slog.Logger

	// Observer is called with every state change, in order, from the
	// actor's goroutine (the way the reference notifies events
	// synchronously). It must return quickly and must not call the
	// Process's blocking methods, which wait for the actor; Snapshot is
	// fine. nil ignores changes.
	Observer func(Change)
}

// SpawnSpec is what a [Spawner] needs to start one child.
type SpawnSpec struct {
	Name string   // process name, for spawnerr messages
	Argv []string // the command, already split; Argv[0] is searched in PATH when it has no slash

	// BaseEnv and Env make the child's environment, as
	// [SpawnSpec.Environ] merges them: Env's "KEY=value" entries set, in
	// order, over BaseEnv's. BaseEnv is shared by many specs (the
	// daemon's environment) and is neither copied nor modified; Env is
	// what this child adds (SUPERVISOR_* variables, environment=). Both
	// nil means the daemon's own environment. The merged PATH, if any, is
	// also the one Argv[0] is looked up in.
	BaseEnv []string
	Env     []string

	Dir   string // working directory; "" keeps the daemon's
	Umask int    // -1 keeps the daemon's umask; note that 0 is a valid umask

	// User is the user option as written, "" to run as the daemon's
	// user; UID is its uid as the config layer resolved it.
	User string
	UID  int

	RedirectStderr bool // the child's stderr goes to Stdout

	// Stdout and Stderr receive the child's output, one Write per read of
	// at most 128 KiB, from a goroutine of the spawner; nil discards.
	// Every byte the child wrote reaches them before its exit is
	// reported. [ExecSpawner] writes the output of all its children from
	// one goroutine: a Write must not wait for long, and never for
	// anything that waits for another child's output. A writer that is
	// also a [PIDWriter] is told which child wrote each chunk.
	Stdout, Stderr io.Writer
}

// PIDWriter is a writer of a child's output that is told the pid of the
// child that wrote each chunk, which PROCESS_LOG and
// PROCESS_COMMUNICATION events carry. Only the spawner knows it for
// certain: a child can write before its STARTING state is published, and
// its last output is drained after its exit is.
type PIDWriter interface {
	WritePID(pid int, p []byte) (int, error)
}
