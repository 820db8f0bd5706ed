package xmlrpc

import "context"

// Typed wrappers for Lancer's own lancer.* methods, its replacement for
// the supervisor_twiddler plugin and its per-process update. Python
// supervisord has none of them: against it they fail with
// [ErrUnknownMethod].

// Numprocs is the result of lancer.setNumprocs: the namespecs of the
// processes it created and of those it removed.
type Numprocs struct {
	Added   []string `xmlrpc:"added"`
	Removed []string `xmlrpc:"removed"`
}

// Change is one entry of lancer.update's result: something done to the
// whole group Group when Name is "", else to its process Name. Action is
// "added", "updated" (stopped, reconfigured and started again if
// autostart) or "removed" (stopped and removed). Status and Description
// are those of a [Result]: [FaultSuccess] and "OK", or the failure's
// fault.
type Change struct {
	Group       string `xmlrpc:"group"`
	Name        string `xmlrpc:"name"`
	Action      string `xmlrpc:"action"`
	Status      int    `xmlrpc:"status"`
	Description string `xmlrpc:"description"`
}

// Namespec returns the group's name for a whole group, else the
// process's namespec.
func (c Change) Namespec() string {
	if c.Name == "" {
		return c.Group
	}
	return ProcessInfo{Name: c.Name, Group: c.Group}.Namespec()
}

// Err returns nil for a change that succeeded, else its failure as a
// *[Fault].
func (c Change) Err() error {
	return Result{Status: c.Status, Description: c.Description}.Err()
}

// LancerAPIVersion returns the version of the lancer namespace, "1.0"
// (lancer.getAPIVersion).
func (c *Client) LancerAPIVersion(ctx context.Context) (string, error) {
	return get[string](ctx, c, "lancer.getAPIVersion")
}

// SetNumprocs sets the number of processes of the running program to n,
// without touching the processes that stay (lancer.setNumprocs).
func (c *Client) SetNumprocs(ctx context.Context, program string, n int) (Numprocs, error) {
	return get[Numprocs](ctx, c, "lancer.setNumprocs", program, n)
}

// AddProgramToGroup adds the processes of a program configured by
// options ([program:x] option names and values) to the running group
// (lancer.addProgramToGroup).
func (c *Client) AddProgramToGroup(ctx context.Context, group, program string, options map[string]string) error {
	if options == nil {
		options = map[string]string{}
	}
	return c.do(ctx, "lancer.addProgramToGroup", group, program, options)
}

// RemoveProcessFromGroup removes the stopped process from the running
// group (lancer.removeProcessFromGroup).
func (c *Client) RemoveProcessFromGroup(ctx context.Context, group, process string) error {
	return c.do(ctx, "lancer.removeProcessFromGroup", group, process)
}

// Update rereads the configuration and applies it to the groups named,
// or to every group, restarting only the processes whose configuration
// changed (lancer.update).
func (c *Client) Update(ctx context.Context, groups ...string) ([]Change, error) {
	if groups == nil {
		groups = []string{}
	}
	return get[[]Change](ctx, c, "lancer.update", groups)
}
