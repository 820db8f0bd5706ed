package rpc

import (
	"context"
	"syscall"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/core/internal/mainlog"
	"github.com/lancerhq/lancer/core/internal/supervisor"
)

// The supervisor's command API as the Handler uses it, split by concern.
// *supervisor.Supervisor implements all of it; tests use a fake.

// Processes commands one process, named by its namespec.
type Processes interface {
	StartProcess(ctx context.Context, name string, wait bool) error
	StopProcess(ctx context.Context, name string, wait bool) error
	SignalProcess(ctx context.Context, name string, sig syscall.Signal) error
}

// Groups commands the processes of one group.
type Groups interface {
	StartGroup(ctx context.Context, name string, wait bool) ([]supervisor.Result, error)
	StopGroup(ctx context.Context, name string, wait bool) ([]supervisor.Result, error)
	SignalGroup(ctx context.Context, name string, sig syscall.Signal) ([]supervisor.Result, error)
}

// AllProcesses commands every process.
type AllProcesses interface {
	StartAll(ctx context.Context, wait bool) ([]supervisor.Result, error)
	StopAll(ctx context.Context, wait bool) ([]supervisor.Result, error)
	SignalAll(ctx context.Context, sig syscall.Signal) ([]supervisor.Result, error)
}

// Daemon is the daemon's own state and lifecycle.
type Daemon interface {
	Mood() supervisor.Mood
	Shutdown(ctx context.Context) error
	Restart(ctx context.Context) error
}

// GroupSet rereads the config and adds and removes groups.
type GroupSet interface {
	Reread() (config.Changes, error)
	AddGroup(ctx context.Context, name string) error
	RemoveGroup(ctx context.Context, name string) error
}

// Viewer reads the processes' state and output and writes their input.
type Viewer interface {
	Snapshot() []supervisor.ProcessStatus
	Log(name, stream string) (*logcap.Channel, error)
	WriteStdin(ctx context.Context, name string, data []byte) error
}

// Supervisor is everything the supervisor.* methods call.
type Supervisor interface {
	Processes
	Groups
	AllProcesses
	Daemon
	GroupSet
	Viewer
}

// MainLog is the daemon's main log, for readLog and clearLog.
type MainLog interface {
	Read(offset, length int) ([]byte, error)
	Clear() error
	Path() string
}

// Scaler changes the processes of running groups, for the lancer.*
// methods; see the package documentation for their semantics. Errors
// wrap supervisor.ErrBadName, ErrAlreadyAdded, ErrStillRunning,
// ErrCantReread or ErrShutdownState with the name concerned after the
// sentinel ("bad name: web"), or are config errors (*config.Error,
// config.ErrorList) for options that do not load; any other error is
// FAILED with its text.
type Scaler interface {
	SetNumprocs(ctx context.Context, program string, n int) (added, removed []string, err error)
	AddProgramToGroup(ctx context.Context, group, program string, options map[string]string) error
	RemoveProcessFromGroup(ctx context.Context, group, process string) error
	Update(ctx context.Context, groups []string) ([]supervisor.Change, error)
}

var (
	_ Supervisor = (*supervisor.Supervisor)(nil)
	_ MainLog    = (*mainlog.Log)(nil)
	_ Scaler     = (*supervisor.Scaler)(nil)
)
