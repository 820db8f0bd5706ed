package ctl

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// statusCmd prints one line per process named (all by default); its exit
// status is 3 if one of them is not running and 4 if a name is unknown or
// the server cannot be reached.
func (c *Controller) statusCmd(ctx context.Context, arg string) (bool, error) {
	if ok, err := c.upcheck(ctx); !ok {
		if err == nil {
			c.status = statusUnknown
		}
		return false, err
	}
	infos, err := c.client.GetAllProcessInfo(ctx)
	if err != nil {
		return false, err
	}
	names := strings.Fields(arg)
	matched := infos
	if len(names) > 0 && !slices.Contains(names, "all") {
		matched = c.matchStatus(infos, names)
	}
	for _, line := range formatStatus(matched) {
		c.println(line)
	}
	for _, p := range matched {
		if stopped(p.State) {
			c.status = statusNotRunning
		}
	}
	return false, nil
}

// matchStatus returns the processes names select, in the order named,
// and reports the names that select none.
func (c *Controller) matchStatus(infos []xmlrpc.ProcessInfo, names []string) []xmlrpc.ProcessInfo {
	var matched []xmlrpc.ProcessInfo
	for _, name := range names {
		group, proc, isProc := splitNamespec(name)
		found := false
		for _, p := range infos {
			if p.Group == group && (!isProc || p.Name == proc) {
				matched = append(matched, p)
				found = true
			}
		}
		switch {
		case found:
		case isProc:
			c.printf("%s: ERROR (no such process)", name)
			c.status = statusUnknown
		default:
			c.printf("%s: ERROR (no such group)", group)
			c.status = statusUnknown
		}
	}
	return matched
}

// formatStatus lays out status lines: the name padded to the longest name
// (at least 30) plus 3, the state padded to 10, then the description.
func formatStatus(infos []xmlrpc.ProcessInfo) []string {
	width := 30
	for _, p := range infos {
		width = max(width, utf8.RuneCountInString(p.Namespec()))
	}
	lines := make([]string, len(infos))
	for i, p := range infos {
		lines[i] = fmt.Sprintf("%-*s%-10s%s", width+3, p.Namespec(), p.StateName, p.Description)
	}
	return lines
}

// pid prints supervisord's pid, a process's, or every process's.
func (c *Controller) pid(ctx context.Context, arg string) (bool, error) {
	if ok, err := c.upcheck(ctx); !ok {
		return false, err
	}
	names := strings.Fields(arg)
	switch {
	case len(names) == 0:
		pid, err := c.client.GetPID(ctx)
		if err != nil {
			return false, err
		}
		c.println(strconv.Itoa(pid))
	case slices.Contains(names, "all"):
		infos, err := c.client.GetAllProcessInfo(ctx)
		if err != nil {
			return false, err
		}
		for _, p := range infos {
			c.println(strconv.Itoa(p.PID))
		}
	default:
		return false, c.pids(ctx, names)
	}
	return false, nil
}

func (c *Controller) pids(ctx context.Context, names []string) error {
	for _, name := range names {
		info, err := c.client.GetProcessInfo(ctx, name)
		if err != nil {
			c.status = exitGeneric
			if code, ok := faultCode(err); ok && code == xmlrpc.FaultBadName {
				c.printf("No such process %s", name)
				continue
			}
			return err
		}
		c.println(strconv.Itoa(info.PID))
		if info.PID == 0 {
			c.status = exitNotRunning
		}
	}
	return nil
}

// avail prints every configured process: in use or available, auto or
// manual start, and its group and process priorities.
func (c *Controller) avail(ctx context.Context, arg string) (bool, error) {
	if c.noArgs("avail", arg) {
		return false, nil
	}
	cl, err := c.api()
	if err != nil {
		return false, err
	}
	infos, err := cl.GetAllConfigInfo(ctx)
	if code, ok := faultCode(err); ok && code == xmlrpc.FaultShutdownState {
		c.status = exitGeneric
		c.println("ERROR: supervisor shutting down")
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, p := range infos {
		c.println(formatAvail(p))
	}
	return false, nil
}

func formatAvail(p xmlrpc.ConfigInfo) string {
	inUse, start := "avail", "manual"
	if p.InUse {
		inUse = "in use"
	}
	if p.Autostart {
		start = "auto"
	}
	return fmt.Sprintf("%-32s %-9s %-9s %d:%d", makeNamespec(p.Group, p.Name), inUse, start, p.GroupPrio, p.ProcessPrio)
}

// noArgs reports (and prints) the usage error of a command that takes no
// arguments but got some.
func (c *Controller) noArgs(name, arg string) bool {
	if arg == "" {
		return false
	}
	c.printf("Error: %s accepts no arguments", name)
	c.status = exitGeneric
	c.usage(name)
	return true
}

// version prints supervisord's version.
func (c *Controller) version(ctx context.Context, arg string) (bool, error) {
	if c.noArgs("version", arg) {
		return false, nil
	}
	if ok, err := c.upcheck(ctx); !ok {
		return false, err
	}
	v, err := c.client.GetSupervisorVersion(ctx)
	if err != nil {
		return false, err
	}
	c.println(v)
	return false, nil
}

// open switches to another server and shows its status; the exit status
// stays what it was.
func (c *Controller) open(ctx context.Context, arg string) (bool, error) {
	u := strings.TrimSpace(arg)
	if scheme := urlScheme(u); scheme != "unix" && scheme != "http" {
		c.println("ERROR: url must be http:// or unix://")
		c.status = exitGeneric
		return false, nil
	}
	c.opts.ServerURL = u
	c.client = nil
	old := c.status
	stop, err := c.statusCmd(ctx, "")
	if err == nil {
		c.status = old
	}
	return stop, err
}

// urlScheme returns the lower-cased scheme of u as Python's urlparse
// finds it, or "".
func urlScheme(u string) string {
	scheme, _, ok := strings.Cut(u, ":")
	if !ok || scheme == "" {
		return ""
	}
	if p, err := url.Parse(scheme + ":"); err != nil || p.Scheme == "" {
		return ""
	}
	return strings.ToLower(scheme)
}
