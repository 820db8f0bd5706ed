package ctl

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"syscall"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// The commands that change what supervisord runs as a whole: reread,
// update, add, remove, reload and shutdown. Like the reference, they do
// not check the server first (no upcheck), so a connection error prints
// as an unexpected error.

func isFault(err error, code int) bool {
	c, ok := faultCode(err)
	return ok && c == code
}

// reread reloads the configuration without applying it and lists what
// changed.
func (c *Controller) reread(ctx context.Context, arg string) (bool, error) {
	if c.noArgs("reread", arg) {
		return false, nil
	}
	cl, err := c.api()
	if err != nil {
		return false, err
	}
	added, changed, removed, err := cl.ReloadConfig(ctx)
	switch {
	case isFault(err, xmlrpc.FaultShutdownState):
		c.status = exitGeneric
		c.println("ERROR: supervisor shutting down")
	case isFault(err, xmlrpc.FaultCantReread):
		c.status = exitGeneric
		var f *xmlrpc.Fault
		errors.As(err, &f)
		c.println("ERROR: " + f.String)
	case err != nil:
		c.status = exitGeneric
		return false, err
	default:
		for _, line := range formatChanges(added, changed, removed) {
			c.println(line)
		}
	}
	return false, nil
}

// formatChanges lists groups as "name: available|changed|disappeared",
// sorted by name, or says there is nothing.
func formatChanges(added, changed, removed []string) []string {
	kinds := map[string]string{}
	for _, set := range []struct {
		names []string
		kind  string
	}{{added, "available"}, {changed, "changed"}, {removed, "disappeared"}} {
		for _, n := range set.names {
			kinds[n] = set.kind
		}
	}
	if len(kinds) == 0 {
		return []string{"No config updates to processes"}
	}
	names := make([]string, 0, len(kinds))
	for n := range kinds {
		names = append(names, n)
	}
	slices.Sort(names)
	lines := make([]string, len(names))
	for i, n := range names {
		lines[i] = n + ": " + kinds[n]
	}
	return lines
}

// update rereads the configuration and applies it to the groups named
// (all by default): removed groups are stopped and removed, changed ones
// stopped, removed and added again, new ones added. With --only-changed
// first, Lancer applies it process by process instead (update.go).
func (c *Controller) update(ctx context.Context, arg string) (bool, error) {
	if fields := strings.Fields(arg); len(fields) > 0 && fields[0] == onlyChanged {
		return false, c.updateChanged(ctx, fields[1:])
	}
	cl, err := c.api()
	if err != nil {
		return false, err
	}
	added, changed, removed, err := cl.ReloadConfig(ctx)
	if err != nil {
		c.status = exitGeneric
		if isFault(err, xmlrpc.FaultShutdownState) {
			c.println("ERROR: already shutting down")
			return false, nil
		}
		return false, err
	}
	only := map[string]bool{}
	for _, n := range strings.Fields(arg) {
		only[n] = true
	}
	if only["all"] {
		clear(only)
	}
	if err := c.checkGroups(ctx, only, added); err != nil {
		return false, err
	}
	return false, c.applyUpdate(ctx, only, added, changed, removed)
}

// checkGroups reports the groups named that neither run nor were added.
func (c *Controller) checkGroups(ctx context.Context, only map[string]bool, added []string) error {
	if len(only) == 0 {
		return nil
	}
	infos, err := c.client.GetAllProcessInfo(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, p := range infos {
		known[p.Group] = true
	}
	for _, n := range added {
		known[n] = true
	}
	names := make([]string, 0, len(only))
	for n := range only {
		names = append(names, n)
	}
	slices.Sort(names) // the reference walks a set: its order is arbitrary
	for _, n := range names {
		if !known[n] {
			c.println("ERROR: no such group: " + n)
			c.status = exitGeneric
		}
	}
	return nil
}

func (c *Controller) applyUpdate(ctx context.Context, only map[string]bool, added, changed, removed []string) error {
	wanted := func(g string) bool { return len(only) == 0 || only[g] }
	cl := c.client
	for _, g := range slices.DeleteFunc(slices.Clone(removed), func(g string) bool { return !wanted(g) }) {
		results, err := cl.StopProcessGroup(ctx, g, true)
		if err != nil {
			return err
		}
		c.println(g + ": stopped")
		if slices.ContainsFunc(results, func(r xmlrpc.Result) bool { return r.Status == xmlrpc.FaultFailed }) {
			c.println(g + ": has problems; not removing")
			c.status = exitGeneric
			continue
		}
		if err := cl.RemoveProcessGroup(ctx, g); err != nil {
			return err
		}
		c.println(g + ": removed process group")
	}
	for _, g := range slices.DeleteFunc(slices.Clone(changed), func(g string) bool { return !wanted(g) }) {
		if _, err := cl.StopProcessGroup(ctx, g, true); err != nil {
			return err
		}
		c.println(g + ": stopped")
		if err := cl.RemoveProcessGroup(ctx, g); err != nil {
			return err
		}
		if err := cl.AddProcessGroup(ctx, g); err != nil {
			return err
		}
		c.println(g + ": updated process group")
	}
	for _, g := range slices.DeleteFunc(slices.Clone(added), func(g string) bool { return !wanted(g) }) {
		if err := cl.AddProcessGroup(ctx, g); err != nil {
			return err
		}
		c.println(g + ": added process group")
	}
	return nil
}

// add activates groups from the last read configuration.
func (c *Controller) add(ctx context.Context, arg string) (bool, error) {
	cl, err := c.api()
	if err != nil {
		return false, err
	}
	for _, name := range strings.Fields(arg) {
		err := cl.AddProcessGroup(ctx, name)
		switch {
		case err == nil:
			c.println(name + ": added process group")
		case isFault(err, xmlrpc.FaultShutdownState):
			c.println("ERROR: shutting down")
			c.status = exitGeneric
		case isFault(err, xmlrpc.FaultAlreadyAdded):
			c.println("ERROR: process group already active")
		case isFault(err, xmlrpc.FaultBadName):
			c.println("ERROR: no such process/group: " + name)
			c.status = exitGeneric
		default:
			c.status = exitGeneric
			return false, err
		}
	}
	return false, nil
}

// remove removes stopped groups.
func (c *Controller) remove(ctx context.Context, arg string) (bool, error) {
	cl, err := c.api()
	if err != nil {
		return false, err
	}
	for _, name := range strings.Fields(arg) {
		err := cl.RemoveProcessGroup(ctx, name)
		if err == nil {
			c.println(name + ": removed process group")
			continue
		}
		c.status = exitGeneric
		switch {
		case isFault(err, xmlrpc.FaultStillRunning):
			c.println("ERROR: process/group still running: " + name)
		case isFault(err, xmlrpc.FaultBadName):
			c.println("ERROR: no such process/group: " + name)
		default:
			return false, err
		}
	}
	return false, nil
}

// reload restarts supervisord, after confirmation in interactive use.
func (c *Controller) reload(ctx context.Context, arg string) (bool, error) {
	if c.noArgs("reload", arg) {
		return false, nil
	}
	if really, err := c.confirmed(ctx, "Really restart the remote supervisord process y/N? "); !really {
		return false, err
	}
	cl, err := c.api()
	if err != nil {
		return false, err
	}
	err = cl.Restart(ctx)
	switch {
	case err == nil:
		c.println("Restarted supervisord")
	case isFault(err, xmlrpc.FaultShutdownState):
		c.status = exitGeneric
		c.println("ERROR: already shutting down")
	default:
		c.status = exitGeneric
		return false, err
	}
	return false, nil
}

// shutdown stops supervisord, after confirmation in interactive use.
func (c *Controller) shutdown(ctx context.Context, arg string) (bool, error) {
	if c.noArgs("shutdown", arg) {
		return false, nil
	}
	if really, err := c.confirmed(ctx, "Really shut the remote supervisord process down y/N? "); !really {
		return false, err
	}
	cl, err := c.api()
	if err != nil {
		return false, err
	}
	err = cl.Shutdown(ctx)
	switch {
	case err == nil:
		c.println("Shut down")
	case isFault(err, xmlrpc.FaultShutdownState):
		c.println("ERROR: already shutting down")
	case errors.Is(err, syscall.ECONNREFUSED):
		c.status = exitGeneric
		c.printf("ERROR: %s refused connection (already shut down?)", c.opts.ServerURL)
	case errors.Is(err, syscall.ENOENT):
		c.status = exitGeneric
		c.printf("ERROR: %s no such file (already shut down?)", c.opts.ServerURL)
	default:
		c.status = exitGeneric
		return false, err
	}
	return false, nil
}

// confirmed asks question in interactive use and reports a "y" answer;
// otherwise the answer is yes.
func (c *Controller) confirmed(ctx context.Context, question string) (bool, error) {
	if !c.opts.Interactive {
		return true, nil
	}
	answer, err := c.reader().readLine(ctx, question)
	if errors.Is(err, io.EOF) {
		return false, errEOF
	}
	if err != nil {
		return false, err
	}
	return strings.HasPrefix(strings.ToLower(answer), "y"), nil
}
