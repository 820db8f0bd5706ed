package ctl

import (
	"context"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// Client is the part of supervisord's XML-RPC API that supervisorctl
// uses; *xmlrpc.Client satisfies it. It is wide because supervisorctl
// is a thin front end to the whole API: each method is one command's call.
// Faults come back as errors that match xmlrpc's sentinels under errors.Is.
type Client interface {
	GetAPIVersion(ctx context.Context) (string, error)
	GetSupervisorVersion(ctx context.Context) (string, error)
	GetPID(ctx context.Context) (int, error)
	ReadLog(ctx context.Context, offset, length int) (string, error)
	Shutdown(ctx context.Context) error
	Restart(ctx context.Context) error
	ReloadConfig(ctx context.Context) (added, changed, removed []string, err error)
	AddProcessGroup(ctx context.Context, name string) error
	RemoveProcessGroup(ctx context.Context, name string) error
	GetProcessInfo(ctx context.Context, name string) (xmlrpc.ProcessInfo, error)
	GetAllProcessInfo(ctx context.Context) ([]xmlrpc.ProcessInfo, error)
	GetAllConfigInfo(ctx context.Context) ([]xmlrpc.ConfigInfo, error)
	StartProcess(ctx context.Context, name string, wait bool) error
	StartProcessGroup(ctx context.Context, name string, wait bool) ([]xmlrpc.Result, error)
	StartAllProcesses(ctx context.Context, wait bool) ([]xmlrpc.Result, error)
	StopProcess(ctx context.Context, name string, wait bool) error
	StopProcessGroup(ctx context.Context, name string, wait bool) ([]xmlrpc.Result, error)
	StopAllProcesses(ctx context.Context, wait bool) ([]xmlrpc.Result, error)
	SignalProcess(ctx context.Context, name, sig string) error
	SignalProcessGroup(ctx context.Context, name, sig string) ([]xmlrpc.Result, error)
	SignalAllProcesses(ctx context.Context, sig string) ([]xmlrpc.Result, error)
	SendProcessStdin(ctx context.Context, name, chars string) error
	ReadProcessStdoutLog(ctx context.Context, name string, offset, length int) (string, error)
	ReadProcessStderrLog(ctx context.Context, name string, offset, length int) (string, error)
	ClearProcessLogs(ctx context.Context, name string) error
	ClearAllProcessLogs(ctx context.Context) ([]xmlrpc.Result, error)
	Update(ctx context.Context, groups ...string) ([]xmlrpc.Change, error) // lancer.update
}

// Dialer returns a client for a server URL and credentials (Username and
// Password are sent when set). NewClient is the real one.
type Dialer func(serverURL, username, password string) (Client, error)

// NewClient dials with *xmlrpc.Client. Like the reference, it always posts
// to /RPC2, whatever path an http:// server URL has.
func NewClient(serverURL, username, password string) (Client, error) {
	c, err := xmlrpc.NewClient(rpcURL(serverURL), xmlrpc.Options{Username: username, Password: password})
	if err != nil {
		return nil, err
	}
	return c, nil
}
