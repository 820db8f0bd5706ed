package xmlrpc

import (
	"context"
	"errors"
)

// Typed wrappers for supervisord's XML-RPC API 3.0 (supervisor.md §2.5 and
// §2.7). Each is one Call with the arguments and result type supervisord
// documents; faults come back as in [Client.Call]. Aliases (getVersion,
// readMainLog, readProcessLog, tailProcessLog, clearProcessLog) are left
// out: call the canonical names. Methods that return True in supervisord
// return only an error here.

// get calls method and decodes its result as a T.
func get[T any](ctx context.Context, c *Client, method string, params ...any) (T, error) {
	var v T
	err := c.Call(ctx, method, &v, params...)
	return v, err
}

// do calls a method whose result is the boolean True.
func (c *Client) do(ctx context.Context, method string, params ...any) error {
	var ok bool
	return c.Call(ctx, method, &ok, params...)
}

// GetAPIVersion returns the API version, "3.0" (supervisor.getAPIVersion).
func (c *Client) GetAPIVersion(ctx context.Context) (string, error) {
	return get[string](ctx, c, "supervisor.getAPIVersion")
}

// GetSupervisorVersion returns supervisord's version, such as "4.2.5".
func (c *Client) GetSupervisorVersion(ctx context.Context) (string, error) {
	return get[string](ctx, c, "supervisor.getSupervisorVersion")
}

// GetIdentification returns the identifier setting of supervisord.
func (c *Client) GetIdentification(ctx context.Context) (string, error) {
	return get[string](ctx, c, "supervisor.getIdentification")
}

// GetState returns supervisord's state, in practice RUNNING (1).
func (c *Client) GetState(ctx context.Context) (State, error) {
	return get[State](ctx, c, "supervisor.getState")
}

// GetPID returns supervisord's process id.
func (c *Client) GetPID(ctx context.Context) (int, error) {
	return get[int](ctx, c, "supervisor.getPID")
}

// ReadLog reads length bytes of the main log from offset; a negative
// offset with length 0 reads the last -offset bytes (supervisor.md §2.6).
func (c *Client) ReadLog(ctx context.Context, offset, length int) (string, error) {
	return get[string](ctx, c, "supervisor.readLog", offset, length)
}

// ClearLog truncates the main log.
func (c *Client) ClearLog(ctx context.Context) error {
	return c.do(ctx, "supervisor.clearLog")
}

// Shutdown makes supervisord stop all processes and exit.
func (c *Client) Shutdown(ctx context.Context) error {
	return c.do(ctx, "supervisor.shutdown")
}

// Restart makes supervisord stop all processes and reload itself.
func (c *Client) Restart(ctx context.Context) error {
	return c.do(ctx, "supervisor.restart")
}

// ReloadConfig re-reads the configuration without applying it and returns
// the names of the groups added, changed and removed since the running
// one. A parse error is the fault CANT_REREAD.
func (c *Client) ReloadConfig(ctx context.Context) (added, changed, removed []string, err error) {
	res, err := get[[][][]string](ctx, c, "supervisor.reloadConfig")
	if err != nil {
		return nil, nil, nil, err
	}
	if len(res) != 1 || len(res[0]) != 3 {
		return nil, nil, nil, errors.New("call supervisor.reloadConfig: want [[added, changed, removed]]")
	}
	return res[0][0], res[0][1], res[0][2], nil
}

// AddProcessGroup activates the group name from the last read
// configuration.
func (c *Client) AddProcessGroup(ctx context.Context, name string) error {
	return c.do(ctx, "supervisor.addProcessGroup", name)
}

// RemoveProcessGroup removes the stopped group name.
func (c *Client) RemoveProcessGroup(ctx context.Context, name string) error {
	return c.do(ctx, "supervisor.removeProcessGroup", name)
}

// GetProcessInfo returns information about the process name ("group:proc"
// or "proc").
func (c *Client) GetProcessInfo(ctx context.Context, name string) (ProcessInfo, error) {
	return get[ProcessInfo](ctx, c, "supervisor.getProcessInfo", name)
}

// GetAllProcessInfo returns every process, sorted by group then name.
func (c *Client) GetAllProcessInfo(ctx context.Context) ([]ProcessInfo, error) {
	return get[[]ProcessInfo](ctx, c, "supervisor.getAllProcessInfo")
}

// GetAllConfigInfo returns the configuration of every process.
func (c *Client) GetAllConfigInfo(ctx context.Context) ([]ConfigInfo, error) {
	return get[[]ConfigInfo](ctx, c, "supervisor.getAllConfigInfo")
}

// StartProcess starts the process name; with wait it returns once the
// process is RUNNING (or failed to get there).
func (c *Client) StartProcess(ctx context.Context, name string, wait bool) error {
	return c.do(ctx, "supervisor.startProcess", name, wait)
}

// StartProcessGroup starts the processes of group name that are not running.
func (c *Client) StartProcessGroup(ctx context.Context, name string, wait bool) ([]Result, error) {
	return get[[]Result](ctx, c, "supervisor.startProcessGroup", name, wait)
}

// StartAllProcesses starts every process that is not running.
func (c *Client) StartAllProcesses(ctx context.Context, wait bool) ([]Result, error) {
	return get[[]Result](ctx, c, "supervisor.startAllProcesses", wait)
}

// StopProcess stops the process name; with wait it returns once the
// process has stopped.
func (c *Client) StopProcess(ctx context.Context, name string, wait bool) error {
	return c.do(ctx, "supervisor.stopProcess", name, wait)
}

// StopProcessGroup stops the running processes of group name.
func (c *Client) StopProcessGroup(ctx context.Context, name string, wait bool) ([]Result, error) {
	return get[[]Result](ctx, c, "supervisor.stopProcessGroup", name, wait)
}

// StopAllProcesses stops every running process.
func (c *Client) StopAllProcesses(ctx context.Context, wait bool) ([]Result, error) {
	return get[[]Result](ctx, c, "supervisor.stopAllProcesses", wait)
}

// SignalProcess sends sig, a name ("HUP", "SIGHUP") or number ("1"), to
// the process name.
func (c *Client) SignalProcess(ctx context.Context, name, sig string) error {
	return c.do(ctx, "supervisor.signalProcess", name, sig)
}

// SignalProcessGroup sends sig to the processes of group name.
func (c *Client) SignalProcessGroup(ctx context.Context, name, sig string) ([]Result, error) {
	return get[[]Result](ctx, c, "supervisor.signalProcessGroup", name, sig)
}

// SignalAllProcesses sends sig to every process that can be signalled.
func (c *Client) SignalAllProcesses(ctx context.Context, sig string) ([]Result, error) {
	return get[[]Result](ctx, c, "supervisor.signalAllProcesses", sig)
}

// SendProcessStdin writes chars to the stdin of the process name.
func (c *Client) SendProcessStdin(ctx context.Context, name, chars string) error {
	return c.do(ctx, "supervisor.sendProcessStdin", name, chars)
}

// SendRemoteCommEvent emits a REMOTE_COMMUNICATION event with typ and data.
func (c *Client) SendRemoteCommEvent(ctx context.Context, typ, data string) error {
	return c.do(ctx, "supervisor.sendRemoteCommEvent", typ, data)
}

// ReadProcessStdoutLog reads the stdout log of name, with [Client.ReadLog]'s
// offset and length rules.
func (c *Client) ReadProcessStdoutLog(ctx context.Context, name string, offset, length int) (string, error) {
	return get[string](ctx, c, "supervisor.readProcessStdoutLog", name, offset, length)
}

// ReadProcessStderrLog reads the stderr log of name.
func (c *Client) ReadProcessStderrLog(ctx context.Context, name string, offset, length int) (string, error) {
	return get[string](ctx, c, "supervisor.readProcessStderrLog", name, offset, length)
}

// TailProcessStdoutLog returns up to length bytes of the end of name's
// stdout log, starting at offset when little was written since; poll by
// passing back the returned Offset (supervisor.md §2.6).
func (c *Client) TailProcessStdoutLog(ctx context.Context, name string, offset, length int) (Tail, error) {
	return get[Tail](ctx, c, "supervisor.tailProcessStdoutLog", name, offset, length)
}

// TailProcessStderrLog is [Client.TailProcessStdoutLog] for stderr.
func (c *Client) TailProcessStderrLog(ctx context.Context, name string, offset, length int) (Tail, error) {
	return get[Tail](ctx, c, "supervisor.tailProcessStderrLog", name, offset, length)
}

// ClearProcessLogs truncates the stdout and stderr logs of name.
func (c *Client) ClearProcessLogs(ctx context.Context, name string) error {
	return c.do(ctx, "supervisor.clearProcessLogs", name)
}

// ClearAllProcessLogs truncates the logs of every process.
func (c *Client) ClearAllProcessLogs(ctx context.Context) ([]Result, error) {
	return get[[]Result](ctx, c, "supervisor.clearAllProcessLogs")
}

// ListMethods returns the sorted names of all methods, aliases included.
func (c *Client) ListMethods(ctx context.Context) ([]string, error) {
	return get[[]string](ctx, c, "system.listMethods")
}

// MethodHelp returns the documentation of method.
func (c *Client) MethodHelp(ctx context.Context, method string) (string, error) {
	return get[string](ctx, c, "system.methodHelp", method)
}

// MethodSignature returns the signature of method as supervisord does: one
// flat array [return type, parameter types...], such as
// ["boolean", "string", "boolean"] for supervisor.startProcess.
func (c *Client) MethodSignature(ctx context.Context, method string) ([]string, error) {
	return get[[]string](ctx, c, "system.methodSignature", method)
}
