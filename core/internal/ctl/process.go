package ctl

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// startResult is the line start prints for a result.
func startResult(r xmlrpc.Result) (string, error) {
	name := r.Namespec()
	switch r.Status {
	case xmlrpc.FaultSuccess:
		return name + ": started", nil
	case xmlrpc.FaultBadName:
		return name + ": ERROR (no such process)", nil
	case xmlrpc.FaultNoFile:
		return name + ": ERROR (no such file)", nil
	case xmlrpc.FaultNotExecutable:
		return name + ": ERROR (file is not executable)", nil
	case xmlrpc.FaultAlreadyStarted:
		return name + ": ERROR (already started)", nil
	case xmlrpc.FaultSpawnError:
		return name + ": ERROR (spawn error)", nil
	case xmlrpc.FaultAbnormalTermination:
		return name + ": ERROR (abnormal termination)", nil
	}
	return "", unknownResult(r)
}

// signalResult is the line signal prints for a result, and stop with
// success "stopped". A FAILED result prints its raw fault string.
func signalResult(r xmlrpc.Result, success string) (string, error) {
	name := r.Namespec()
	switch r.Status {
	case xmlrpc.FaultSuccess:
		return name + ": " + success, nil
	case xmlrpc.FaultBadName:
		return name + ": ERROR (no such process)", nil
	case xmlrpc.FaultBadSignal:
		return name + ": ERROR (bad signal name)", nil
	case xmlrpc.FaultNotRunning:
		return name + ": ERROR (not running)", nil
	case xmlrpc.FaultFailed:
		return r.Description, nil
	}
	return "", unknownResult(r)
}

func stopResult(r xmlrpc.Result) (string, error) { return signalResult(r, "stopped") }

// clearResult is the line clear prints for a result.
func clearResult(r xmlrpc.Result) (string, error) {
	name := r.Namespec()
	switch r.Status {
	case xmlrpc.FaultSuccess:
		return name + ": cleared", nil
	case xmlrpc.FaultBadName:
		return name + ": ERROR (no such process)", nil
	case xmlrpc.FaultFailed:
		return name + ": ERROR (failed)", nil
	}
	return "", unknownResult(r)
}

func unknownResult(r xmlrpc.Result) error {
	return &pyError{Class: "ValueError", Msg: fmt.Sprintf("Unknown result code %d for %s", r.Status, r.Namespec())}
}

// resultFormat formats one result of a bulk call; ignored is the fault
// that does not change the exit status.
type resultFormat struct {
	line    func(xmlrpc.Result) (string, error)
	ignored int
}

var (
	startFormat  = resultFormat{startResult, xmlrpc.FaultAlreadyStarted}
	stopFormat   = resultFormat{stopResult, xmlrpc.FaultNotRunning}
	signalFormat = resultFormat{func(r xmlrpc.Result) (string, error) { return signalResult(r, "signalled") }, -1}
	clearFormat  = resultFormat{clearResult, -1}
)

// report prints results and sets the exit status from each.
func (c *Controller) report(results []xmlrpc.Result, f resultFormat) error {
	for _, r := range results {
		line, err := f.line(r)
		if err != nil {
			return err
		}
		c.println(line)
		c.setStatus(r.Status, f.ignored)
	}
	return nil
}

// reportCall prints the outcome of a call on one process, successful or
// failed with a fault; other errors are returned.
func (c *Controller) reportCall(name string, err error, f resultFormat) error {
	var fault *xmlrpc.Fault
	if err != nil && !errors.As(err, &fault) {
		return err
	}
	r := xmlrpc.Result{Status: xmlrpc.FaultSuccess}
	if fault != nil {
		r = asResult(name, fault)
	} else {
		r.Group, r.Name, _ = splitNamespec(name)
	}
	return c.report([]xmlrpc.Result{r}, f)
}

func (c *Controller) setStatus(code, ignored int) {
	if st, ok := faultStatus(code, ignored); ok {
		c.status = st
	}
}

// groupOp is one command's calls: on all processes, a group, a process.
type groupOp struct {
	format  resultFormat
	all     func(ctx context.Context) ([]xmlrpc.Result, error)
	group   func(ctx context.Context, group string) ([]xmlrpc.Result, error)
	process func(ctx context.Context, name string) error
	// badGroup is the exit status of "no such group".
	badGroup int
}

// run applies op to names: all processes if one is "all", else each
// group ("g:*") and process in turn.
func (c *Controller) run(ctx context.Context, op groupOp, names []string) error {
	if slices.Contains(names, "all") {
		results, err := op.all(ctx)
		if err != nil {
			return err
		}
		return c.report(results, op.format)
	}
	for _, name := range names {
		if err := c.runOne(ctx, op, name); err != nil {
			return err
		}
	}
	return nil
}

func (c *Controller) runOne(ctx context.Context, op groupOp, name string) error {
	group, _, isProc := splitNamespec(name)
	if isProc {
		return c.reportCall(name, op.process(ctx, name), op.format)
	}
	results, err := op.group(ctx, group)
	if code, ok := faultCode(err); ok && code == xmlrpc.FaultBadName {
		c.printf("%s: ERROR (no such group)", group)
		c.status = op.badGroup
		return nil
	}
	if err != nil {
		c.status = exitGeneric
		return err
	}
	return c.report(results, op.format)
}

// needNames prints the usage error of a command given no names.
func (c *Controller) needNames(name, arg string, status int) bool {
	if arg != "" {
		return false
	}
	c.printf("Error: %s requires a process name", name)
	c.status = status
	c.usage(name)
	return true
}

func (c *Controller) startOp() groupOp {
	cl := c.client
	return groupOp{
		format: startFormat, badGroup: exitInvalidArgs,
		all: func(ctx context.Context) ([]xmlrpc.Result, error) { return cl.StartAllProcesses(ctx, true) },
		group: func(ctx context.Context, g string) ([]xmlrpc.Result, error) {
			return cl.StartProcessGroup(ctx, g, true)
		},
		process: func(ctx context.Context, n string) error { return cl.StartProcess(ctx, n, true) },
	}
}

func (c *Controller) stopOp() groupOp {
	cl := c.client
	return groupOp{
		format: stopFormat, badGroup: exitGeneric,
		all:     func(ctx context.Context) ([]xmlrpc.Result, error) { return cl.StopAllProcesses(ctx, true) },
		group:   func(ctx context.Context, g string) ([]xmlrpc.Result, error) { return cl.StopProcessGroup(ctx, g, true) },
		process: func(ctx context.Context, n string) error { return cl.StopProcess(ctx, n, true) },
	}
}

// start starts processes: "start all", "start g:*", "start name...".
func (c *Controller) start(ctx context.Context, arg string) (bool, error) {
	if ok, err := c.upcheck(ctx); !ok || c.needNames("start", arg, exitInvalidArgs) {
		return false, err
	}
	return false, c.run(ctx, c.startOp(), strings.Fields(arg))
}

// stop stops processes; stopping one that is not running prints an error
// but leaves the exit status alone.
func (c *Controller) stop(ctx context.Context, arg string) (bool, error) {
	if ok, err := c.upcheck(ctx); !ok || c.needNames("stop", arg, exitGeneric) {
		return false, err
	}
	return false, c.run(ctx, c.stopOp(), strings.Fields(arg))
}

// signal sends a signal: "signal SIG name...".
func (c *Controller) signal(ctx context.Context, arg string) (bool, error) {
	if ok, err := c.upcheck(ctx); !ok {
		return false, err
	}
	args := strings.Fields(arg)
	if len(args) < 2 {
		c.println("Error: signal requires a signal name and a process name")
		c.usage("signal")
		c.status = exitGeneric
		return false, nil
	}
	cl, sig := c.client, args[0]
	op := groupOp{
		format: signalFormat, badGroup: exitGeneric,
		all: func(ctx context.Context) ([]xmlrpc.Result, error) { return cl.SignalAllProcesses(ctx, sig) },
		group: func(ctx context.Context, g string) ([]xmlrpc.Result, error) {
			return cl.SignalProcessGroup(ctx, g, sig)
		},
		process: func(ctx context.Context, n string) error { return cl.SignalProcess(ctx, n, sig) },
	}
	return false, c.run(ctx, op, args[1:])
}

// clear clears the logs of processes: "clear all" or "clear name...".
func (c *Controller) clear(ctx context.Context, arg string) (bool, error) {
	if ok, err := c.upcheck(ctx); !ok || c.needNames("clear", arg, exitGeneric) {
		return false, err
	}
	names := strings.Fields(arg)
	if slices.Contains(names, "all") {
		results, err := c.client.ClearAllProcessLogs(ctx)
		if err != nil {
			return false, err
		}
		return false, c.report(results, clearFormat)
	}
	for _, name := range names {
		if err := c.reportCall(name, c.client.ClearProcessLogs(ctx, name), clearFormat); err != nil {
			return false, err
		}
	}
	return false, nil
}
