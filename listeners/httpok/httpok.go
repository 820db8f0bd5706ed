package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// supervisor is the part of supervisord's XML-RPC API httpok uses;
// *xmlrpc.Client implements it.
type supervisor interface {
	GetAllProcessInfo(ctx context.Context) ([]xmlrpc.ProcessInfo, error)
	StopProcess(ctx context.Context, name string, wait bool) error
	StartProcess(ctx context.Context, name string, wait bool) error
}

// doer sends one HTTP request; *http.Client implements it.
type doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// dumper writes a core file of process pid to path and returns what it
// printed (gcore).
type dumper interface {
	Dump(ctx context.Context, path string, pid int) (string, error)
}

// Process states httpok cares about (supervisor.states.ProcessStates).
const (
	stateRunning = 20
	stateFatal   = 200
)

// retryTime is superlance's hidden retry_time: how long httpok waits
// after a refused connection before it tries again.
const retryTime = 10 * time.Second

// checker is httpok's event handler: superlance's HTTPOk class. It
// handles one event at a time, as [protocol.Serve] calls it.
type checker struct {
	opts   *options
	rpc    supervisor
	http   doer
	mail   alert.Sender // superlance's mail (-m); nil without -m
	notify alert.Sender // Lancer's channels (--webhook ...); nil without
	dump   dumper       // gcore (-d); nil without -d
	stderr io.Writer
	// pool is this listener's own group (SUPERVISOR_GROUP_NAME), whose
	// processes httpok never restarts; empty when not known.
	pool string
	// retry and sleep are the wait after a refused connection; tests
	// make it instant.
	retry time.Duration
	sleep func(ctx context.Context, d time.Duration) error
}

// HandleEvent checks the URL on a TICK event and acts on a failure;
// other events are ignored. It always acknowledges: a failed check, an
// unreachable supervisord or a mail that could not be sent is logged,
// never a reason for supervisord to re-send the tick.
func (c *checker) HandleEvent(ctx context.Context, ev protocol.Event) error {
	// superlance tests the name's prefix, not the type.
	if strings.HasPrefix(ev.Header.EventName, "TICK") {
		c.tick(ctx)
	}
	return nil
}

func (c *checker) tick(ctx context.Context) {
	if !c.opts.Eager && !c.anyMonitoredUp(ctx) {
		return
	}
	res := c.probe(ctx)
	if ctx.Err() != nil {
		return // shutting down: the failure is ours, not the URL's
	}
	if subject := c.verdict(res); subject != "" {
		c.act(ctx, c.subject(subject), res.text)
	}
}

// anyMonitoredUp reports whether a process httpok would restart is
// RUNNING (or FATAL, with --restart-fatal), which -E requires before a
// check. Superlance matches bare names only here (so -E with -p
// group:name never checks) and ignores -a (so -a -E never checks), and
// dies if supervisord does not answer; this matches exactly the
// processes act restarts, and logs and skips the tick.
func (c *checker) anyMonitoredUp(ctx context.Context) bool {
	infos, err := c.rpc.GetAllProcessInfo(ctx)
	if err != nil {
		c.logf("Exception retrieving process info %s, not checking", err)
		return false
	}
	for _, p := range infos {
		if c.monitored(p) && (p.State == stateRunning || c.opts.RestartFatal && p.State == stateFatal) {
			return true
		}
	}
	return false
}

// monitored reports whether -a or -p selects p.
func (c *checker) monitored(p xmlrpc.ProcessInfo) bool {
	return !c.own(p) && (c.opts.Any || c.selected(p))
}

// selected reports whether -p names p: by bare name, by namespec (the
// bare name when group and name are equal) as superlance does, and also
// by group:name whatever the namespec.
func (c *checker) selected(p xmlrpc.ProcessInfo) bool {
	for _, name := range c.opts.Programs {
		if name == p.Name || name == p.Namespec() || name == p.Group+":"+p.Name {
			return true
		}
	}
	return false
}

// own reports whether p is in this listener's pool.
func (c *checker) own(p xmlrpc.ProcessInfo) bool { return c.pool != "" && p.Group == c.pool }

// verdict returns superlance's subject for a failed check, or "".
func (c *checker) verdict(res outcome) string {
	switch {
	case !c.opts.Statuses.accepts(res.status):
		return c.opts.URL + ": bad status returned"
	case c.opts.Body != "" && !bytes.Contains(res.body, []byte(c.opts.Body)):
		return c.opts.URL + ": bad body returned"
	}
	return ""
}

// subject prefixes s with "httpok: " or "httpok [name]: ".
func (c *checker) subject(s string) string {
	if c.opts.Name != "" {
		return "httpok [" + c.opts.Name + "]: " + s
	}
	return "httpok: " + s
}

// logf writes one line to stderr, outside any report.
func (c *checker) logf(format string, args ...any) {
	fmt.Fprintf(c.stderr, format+"\n", args...)
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
