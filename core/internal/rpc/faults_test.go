package rpc

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/core/internal/supervisor"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// TestToFault checks every row of the fault table with errors as the
// layers below return them, and the fault strings the reference gives.
func TestToFault(t *testing.T) {
	t.Parallel()
	notFound := &process.SpawnError{Msg: "can't find command '/nonexistent/cmd'", Err: process.ErrNotFound}
	tests := []struct {
		err  error
		subj string
		want string
	}{
		{supervisor.ErrShutdownState, "web", "SHUTDOWN_STATE"},
		{fmt.Errorf("start web: %w", process.ErrShuttingDown), "web", "SHUTDOWN_STATE"},
		{fmt.Errorf("%w: grp:*", supervisor.ErrBadName), "grp:*", "BAD_NAME: grp:*"},
		{fmt.Errorf("%w: web", supervisor.ErrBadName), "", "BAD_NAME: web"},
		{process.ErrClosed, "web", "BAD_NAME: web"},
		{fmt.Errorf("start web: %w", process.ErrAlreadyStarted), "web", "ALREADY_STARTED: web"},
		{fmt.Errorf("stop g:web: %w", process.ErrNotRunning), "g:web", "NOT_RUNNING: g:web"},
		{fmt.Errorf("start web: %w: Exited too quickly", process.ErrSpawn), "web", "SPAWN_ERROR: web"},
		{fmt.Errorf("start web: %w", process.ErrAbnormalTermination), "web", "ABNORMAL_TERMINATION: web"},
		{fmt.Errorf("start web: %w", process.ErrUnknownState), "web", "FAILED: web is in an unknown process state"},
		{notFound, "missing", "NO_FILE: can't find command '/nonexistent/cmd'"},
		{fmt.Errorf("start x: %w", &process.SpawnError{Msg: "command at '/etc' is a directory", Err: process.ErrNotExecutable}), "x",
			"NOT_EXECUTABLE: command at '/etc' is a directory"},
		{fmt.Errorf("write stdin of web: %w", process.ErrStdinClosed), "web", "NO_FILE: web"},
		{fmt.Errorf("%w: grp", supervisor.ErrAlreadyAdded), "grp", "ALREADY_ADDED: grp"},
		{fmt.Errorf("%w: grp", supervisor.ErrStillRunning), "grp", "STILL_RUNNING: grp"},
		{fmt.Errorf("%w: %w", supervisor.ErrCantReread, errors.New("file.conf:3: bad")), "", "CANT_REREAD: file.conf:3: bad"},
		{logcap.ErrBadArguments, "/var/log/x.log", "BAD_ARGUMENTS"},
		{logcap.ErrNoFile, "/var/log/x.log", "NO_FILE: /var/log/x.log"},
		{logcap.ErrNoFile, "", "NO_FILE"},
		{config.ErrorList{{Section: "program:x", Option: "command", Err: errors.New("missing")}}, "", "INCORRECT_PARAMETERS: [program:x] command: missing"},
		{xmlrpc.NewFault(xmlrpc.FaultBadSignal, "X"), "web", "BAD_SIGNAL: X"},
		{fmt.Errorf("stop web: %w", syscall.EPERM), "web", "FAILED: stop web: operation not permitted"},
		{context.Canceled, "web", "FAILED: context canceled"},
	}
	for _, tt := range tests {
		f := toFault(tt.err, tt.subj)
		before, _, _ := strings.Cut(tt.want, ":")
		name, _ := xmlrpc.FaultCode(before)
		if f.String != tt.want || f.Code != name {
			t.Errorf("toFault(%v, %q) = %d %q; want %d %q", tt.err, tt.subj, f.Code, f.String, name, tt.want)
		}
	}
}
