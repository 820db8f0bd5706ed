package ctl

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// fakeClient is a supervisord in memory. Each call is recorded as
// "method arg..." and answers from the fields; errs maps a recorded call
// to the error it returns instead.
type fakeClient struct {
	mu      sync.Mutex
	calls   []string
	errs    map[string]error
	hooks   map[string]func(ctx context.Context) // run when the call is made, before answering
	infos   []xmlrpc.ProcessInfo
	configs []xmlrpc.ConfigInfo
	results map[string][]xmlrpc.Result // answers of the bulk calls
	logs    map[string]string          // "name stdout" -> log, "main" -> main log
	api     string                     // API version; "" means 3.0
	changes [3][]string                // reloadConfig's added, changed, removed
	updates []xmlrpc.Change            // lancer.update's answer
}

var _ Client = (*fakeClient)(nil)
var _ Client = (*xmlrpc.Client)(nil)

// callKey is how a call is recorded: "method arg1 arg2".
func callKey(method string, args ...any) string {
	parts := []string{method}
	for _, a := range args {
		parts = append(parts, fmt.Sprint(a))
	}
	return strings.Join(parts, " ")
}

func (f *fakeClient) call(ctx context.Context, method string, args ...any) error {
	key := callKey(method, args...)
	f.mu.Lock()
	f.calls = append(f.calls, key)
	hook, err := f.hooks[key], f.errs[key]
	f.mu.Unlock()
	if hook != nil {
		hook(ctx)
	}
	return err
}

func (f *fakeClient) recorded() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeClient) bulk(ctx context.Context, key string, args ...any) ([]xmlrpc.Result, error) {
	if err := f.call(ctx, key, args...); err != nil {
		return nil, err
	}
	return f.results[callKey(key, args...)], nil
}

func (f *fakeClient) GetAPIVersion(ctx context.Context) (string, error) {
	if err := f.call(ctx, "getAPIVersion"); err != nil || f.api != "" {
		return f.api, err
	}
	return apiVersion, nil
}
func (f *fakeClient) GetSupervisorVersion(ctx context.Context) (string, error) {
	return "4.2.5", f.call(ctx, "getSupervisorVersion")
}
func (f *fakeClient) GetPID(ctx context.Context) (int, error) { return 42, f.call(ctx, "getPID") }
func (f *fakeClient) ReadLog(ctx context.Context, off, n int) (string, error) {
	return f.logs["main"], f.call(ctx, "readLog", off, n)
}
func (f *fakeClient) Shutdown(ctx context.Context) error { return f.call(ctx, "shutdown") }
func (f *fakeClient) Restart(ctx context.Context) error  { return f.call(ctx, "restart") }
func (f *fakeClient) ReloadConfig(ctx context.Context) ([]string, []string, []string, error) {
	return f.changes[0], f.changes[1], f.changes[2], f.call(ctx, "reloadConfig")
}
func (f *fakeClient) AddProcessGroup(ctx context.Context, n string) error {
	return f.call(ctx, "addProcessGroup", n)
}
func (f *fakeClient) RemoveProcessGroup(ctx context.Context, n string) error {
	return f.call(ctx, "removeProcessGroup", n)
}
func (f *fakeClient) GetProcessInfo(ctx context.Context, n string) (xmlrpc.ProcessInfo, error) {
	if err := f.call(ctx, "getProcessInfo", n); err != nil {
		return xmlrpc.ProcessInfo{}, err
	}
	for _, p := range f.infos {
		if p.Namespec() == n {
			return p, nil
		}
	}
	return xmlrpc.ProcessInfo{}, xmlrpc.NewFault(xmlrpc.FaultBadName, n)
}
func (f *fakeClient) GetAllProcessInfo(ctx context.Context) ([]xmlrpc.ProcessInfo, error) {
	return f.infos, f.call(ctx, "getAllProcessInfo")
}
func (f *fakeClient) GetAllConfigInfo(ctx context.Context) ([]xmlrpc.ConfigInfo, error) {
	return f.configs, f.call(ctx, "getAllConfigInfo")
}
func (f *fakeClient) StartProcess(ctx context.Context, n string, _ bool) error {
	return f.call(ctx, "startProcess", n)
}
func (f *fakeClient) StartProcessGroup(ctx context.Context, n string, _ bool) ([]xmlrpc.Result, error) {
	return f.bulk(ctx, "startProcessGroup", n)
}
func (f *fakeClient) StartAllProcesses(ctx context.Context, _ bool) ([]xmlrpc.Result, error) {
	return f.bulk(ctx, "startAllProcesses")
}
func (f *fakeClient) StopProcess(ctx context.Context, n string, _ bool) error {
	return f.call(ctx, "stopProcess", n)
}
func (f *fakeClient) StopProcessGroup(ctx context.Context, n string, _ bool) ([]xmlrpc.Result, error) {
	return f.bulk(ctx, "stopProcessGroup", n)
}
func (f *fakeClient) StopAllProcesses(ctx context.Context, _ bool) ([]xmlrpc.Result, error) {
	return f.bulk(ctx, "stopAllProcesses")
}
func (f *fakeClient) SignalProcess(ctx context.Context, n, sig string) error {
	return f.call(ctx, "signalProcess", n, sig)
}
func (f *fakeClient) SignalProcessGroup(ctx context.Context, n, sig string) ([]xmlrpc.Result, error) {
	return f.bulk(ctx, "signalProcessGroup", n, sig)
}
func (f *fakeClient) SignalAllProcesses(ctx context.Context, sig string) ([]xmlrpc.Result, error) {
	return f.bulk(ctx, "signalAllProcesses", sig)
}
func (f *fakeClient) SendProcessStdin(ctx context.Context, n, chars string) error {
	return f.call(ctx, "sendProcessStdin", n, chars)
}
func (f *fakeClient) ReadProcessStdoutLog(ctx context.Context, n string, off, l int) (string, error) {
	return f.logs[n+" stdout"], f.call(ctx, "readProcessStdoutLog", n, off, l)
}
func (f *fakeClient) ReadProcessStderrLog(ctx context.Context, n string, off, l int) (string, error) {
	return f.logs[n+" stderr"], f.call(ctx, "readProcessStderrLog", n, off, l)
}
func (f *fakeClient) ClearProcessLogs(ctx context.Context, n string) error {
	return f.call(ctx, "clearProcessLogs", n)
}
func (f *fakeClient) ClearAllProcessLogs(ctx context.Context) ([]xmlrpc.Result, error) {
	return f.bulk(ctx, "clearAllProcessLogs")
}
func (f *fakeClient) Update(ctx context.Context, groups ...string) ([]xmlrpc.Change, error) {
	args := make([]any, len(groups))
	for i, g := range groups {
		args[i] = g
	}
	if err := f.call(ctx, "lancer.update", args...); err != nil {
		return nil, err
	}
	return f.updates, nil
}

// fault returns supervisord's fault code with detail.
func fault(code int, detail string) error { return xmlrpc.NewFault(code, detail) }

// proc is a process in state (by name) with a description.
func proc(group, name, state string) xmlrpc.ProcessInfo {
	codes := map[string]int{"STOPPED": 0, "STARTING": 10, "RUNNING": 20, "BACKOFF": 30, "STOPPING": 40, "EXITED": 100, "FATAL": 200, "UNKNOWN": 1000}
	desc := map[string]string{"RUNNING": "pid 7, uptime 0:00:20", "STOPPED": "Not started"}[state]
	p := xmlrpc.ProcessInfo{Group: group, Name: name, State: codes[state], StateName: state, Description: desc}
	if state == "RUNNING" {
		p.PID = 7
	}
	return p
}

// result is one entry of a bulk call's answer.
func result(group, name string, status int, desc string) xmlrpc.Result {
	return xmlrpc.Result{Group: group, Name: name, Status: status, Description: desc}
}
