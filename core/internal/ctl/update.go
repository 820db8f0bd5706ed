package ctl

import (
	"context"
	"errors"
	"strings"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// onlyChanged is the option of update that applies the configuration
// process by process, through Lancer's lancer.update: only the processes
// whose configuration changed restart (the reference restarts every
// process of a changed group, its issue #591). Without it update is the
// reference's, line for line.
const onlyChanged = "--only-changed"

// updateChanged is "update --only-changed [all|group...]". It prints the
// reference's lines for whole groups and one line per process changed
// in a group that stays:
//
//	old: stopped
//	old: removed process group
//	web:web_01: updated process
//	web:web_02: added process
//	web:web_03: removed process
//	new: added process group
func (c *Controller) updateChanged(ctx context.Context, names []string) error {
	cl, err := c.api()
	if err != nil {
		return err
	}
	changes, err := cl.Update(ctx, names...)
	if err != nil {
		return c.updateFault(err)
	}
	for _, ch := range changes {
		c.printChange(ch)
	}
	return nil
}

// updateFault prints the failure of lancer.update, or returns it when it
// is unexpected.
func (c *Controller) updateFault(err error) error {
	c.status = exitGeneric
	var f *xmlrpc.Fault
	if !errors.As(err, &f) {
		return err
	}
	switch f.Code {
	case xmlrpc.FaultShutdownState:
		c.println("ERROR: already shutting down")
	case xmlrpc.FaultBadName:
		_, name, _ := strings.Cut(f.String, ": ")
		c.println("ERROR: no such group: " + name)
	case xmlrpc.FaultCantReread:
		c.println("ERROR: " + f.String)
	case xmlrpc.FaultUnknownMethod:
		c.println("ERROR: update " + onlyChanged + " needs Lancer's supervisord (this server has no lancer.update)")
	default:
		return err
	}
	return nil
}

// printChange prints one change of lancer.update.
func (c *Controller) printChange(ch xmlrpc.Change) {
	name := ch.Namespec()
	if err := ch.Err(); err != nil {
		c.status = exitGeneric
		if ch.Name == "" && ch.Action == "removed" {
			c.println(name + ": stopped")
			c.println(name + ": has problems; not removing")
			return
		}
		c.println(name + ": ERROR (" + ch.Description + ")")
		return
	}
	switch {
	case ch.Name == "" && ch.Action == "removed":
		c.println(name + ": stopped")
		c.println(name + ": removed process group")
	case ch.Name == "" && ch.Action == "updated":
		c.println(name + ": stopped")
		c.println(name + ": updated process group")
	case ch.Name == "":
		c.println(name + ": " + ch.Action + " process group")
	default:
		c.println(name + ": " + ch.Action + " process")
	}
}
