package ctl

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/lancerhq/lancer/internal/pyrepr"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// fg attaches to a running process: its stdout and stderr logs stream to
// the output, and each line typed goes to its stdin, until Ctrl-C, the
// end of input or the process's death.
func (c *Controller) fg(ctx context.Context, arg string) (bool, error) {
	if ok, err := c.upcheck(ctx); !ok {
		return false, err
	}
	names := strings.Fields(arg)
	switch {
	case len(names) == 0:
		c.println("ERROR: no process name supplied")
		c.status = exitGeneric
		c.usage("fg")
		return false, nil
	case len(names) > 1:
		return false, c.fail("ERROR: too many process names supplied")
	}
	name := names[0]
	info, err := c.client.GetProcessInfo(ctx, name)
	switch {
	case isFault(err, xmlrpc.FaultBadName):
		return false, c.fail("ERROR: bad process name supplied")
	case err != nil:
		c.println("ERROR: " + faultText(err))
		return false, nil
	case info.State != stateRunning:
		return false, c.fail("ERROR: process not running")
	}
	c.println("==> Press Ctrl-C to exit <==")
	return false, c.foreground(ctx, name)
}

// foreground streams name's logs while it forwards input lines.
func (c *Controller) foreground(ctx context.Context, name string) error {
	lr := c.reader()
	sctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, ch := range []string{"stdout", "stderr"} {
		wg.Go(func() { c.stream(sctx, "/logtail/"+name+"/"+ch, lr.output()) })
	}
	defer func() { cancel(); wg.Wait() }()
	for {
		line, err := lr.readLine(ctx, "")
		if err != nil { // Ctrl-C or end of input
			c.println("Exiting foreground")
			if errors.Is(err, io.EOF) || errors.Is(err, errInterrupted) {
				return nil
			}
			return err
		}
		err = c.client.SendProcessStdin(ctx, name, line+"\n")
		if err == nil {
			var info xmlrpc.ProcessInfo
			if info, err = c.client.GetProcessInfo(ctx, name); err == nil && info.State != stateRunning {
				err = &xmlrpc.Fault{Code: xmlrpc.FaultNotRunning}
			}
		}
		if err != nil {
			if isFault(err, xmlrpc.FaultNotRunning) {
				c.println("Process got killed")
			} else {
				c.println("ERROR: " + faultText(err))
			}
			c.println("Exiting foreground")
			return nil
		}
	}
}

// faultText is how the reference prints a fault with str(): "<Fault 10:
// 'BAD_NAME: x'>".
func faultText(err error) string {
	var f *xmlrpc.Fault
	if errors.As(err, &f) {
		return "<Fault " + strconv.Itoa(f.Code) + ": " + pyrepr.Str(f.String) + ">"
	}
	return err.Error()
}
