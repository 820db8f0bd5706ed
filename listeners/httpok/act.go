package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lancerhq/lancer/internal/pyrepr"
	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// report is superlance's act() log: each line goes to stderr at once
// and is kept for the mail, whose body is all lines joined by "\n".
type report struct {
	w     io.Writer
	lines []string
}

func (r *report) printf(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	fmt.Fprintln(r.w, s)
	r.lines = append(r.lines, s)
}

// act restarts the monitored processes after a failed check and sends
// the report. outcome opens the mail but is not written to stderr, as
// in superlance.
func (c *checker) act(ctx context.Context, subject, outcome string) {
	rep := &report{w: c.stderr, lines: []string{outcome}}
	infos, err := c.rpc.GetAllProcessInfo(ctx)
	if err != nil {
		rep.printf("Exception retrieving process info %s, not acting", err)
		return
	}
	if c.opts.Any {
		rep.printf("Restarting all running processes")
	} else {
		rep.printf("Restarting selected processes %s", pyrepr.List(c.opts.Programs))
	}
	waiting := slices.Clone(c.opts.Programs)
	for _, p := range infos {
		if c.opts.Any || c.selected(p) {
			c.restart(ctx, p, rep)
		}
		waiting = removeOne(waiting, p.Name)
		waiting = removeOne(waiting, p.Namespec())
		if full := p.Group + ":" + p.Name; full != p.Namespec() {
			waiting = removeOne(waiting, full)
		}
	}
	if len(waiting) > 0 {
		rep.printf("Programs not restarted because they did not exist: %s", pyrepr.List(waiting))
	}
	c.send(ctx, subject, rep.lines)
}

// removeOne removes the first s from list, as Python's list.remove.
func removeOne(list []string, s string) []string {
	if i := slices.Index(list, s); i >= 0 {
		return slices.Delete(list, i, i+1)
	}
	return list
}

// restart restarts p if it is RUNNING, or starts it if it is FATAL and
// --restart-fatal is given. Unlike memmon, httpok carries on after a
// fault, and tries the start even when the stop failed.
func (c *checker) restart(ctx context.Context, p xmlrpc.ProcessInfo, rep *report) {
	ns := p.Namespec()
	switch {
	case c.own(p):
		// Stopping ourselves would kill this listener in the middle of
		// the event it has not acknowledged (superlance's -a does).
		rep.printf("%s belongs to this event listener's pool, NOT restarting", ns)
	case p.State == stateRunning:
		c.restartRunning(ctx, p, rep)
	case p.State == stateFatal && c.opts.RestartFatal:
		rep.printf("%s is in FATAL state, starting", ns)
		c.start(ctx, ns, "started", rep)
	default:
		rep.printf("%s not in RUNNING state, NOT restarting", ns)
	}
}

func (c *checker) restartRunning(ctx context.Context, p xmlrpc.ProcessInfo, rep *report) {
	ns := p.Namespec()
	if up := time.Duration(p.Now-p.Start) * time.Second; c.opts.Grace > 0 && p.Start > 0 && up < c.opts.Grace {
		rep.printf("%s is in RUNNING state for %s (< --grace %s), NOT restarting", ns, up, c.opts.Grace)
		return
	}
	if c.dump != nil {
		out, err := c.dump.Dump(ctx, filepath.Join(c.opts.Coredir, ns), p.PID)
		rep.printf("gcore output for %s:\n\n %s", ns, out)
		if err != nil {
			rep.printf("gcore for %s failed: %s", ns, err)
		}
	}
	rep.printf("%s is in RUNNING state, restarting", ns)
	if err := c.rpc.StopProcess(ctx, ns, true); err != nil {
		rep.printf("Failed to stop process %s: %s", ns, rpcErrText(err))
	}
	c.start(ctx, ns, "restarted", rep)
}

func (c *checker) start(ctx context.Context, ns, done string, rep *report) {
	if err := c.rpc.StartProcess(ctx, ns, true); err != nil {
		rep.printf("Failed to start process %s: %s", ns, rpcErrText(err))
		return
	}
	rep.printf("%s %s", ns, done)
}

// send mails the report to -m, logging "Mailed:" and the mail text as
// superlance does (with a final newline, so that the next line of the
// log starts on a line of its own), and sends it to Lancer's channels.
// Failures are logged; they never end the listener.
func (c *checker) send(ctx context.Context, subject string, lines []string) {
	m := alert.Message{
		Subject: subject,
		Body:    strings.Join(lines, "\n"),
		Labels:  map[string]string{"alertname": "HTTPCheckFailed", "url": redactURL(c.opts.URL)},
	}
	if c.mail != nil && c.opts.Email != "" {
		m.To = []string{c.opts.Email}
		if err := c.mail.Send(ctx, m); err != nil {
			c.logf("Failed to mail %s: %s", c.opts.Email, err)
		} else {
			fmt.Fprintf(c.stderr, "Mailed:\n\n%s\n", alert.SendmailText(m))
		}
	}
	if c.notify != nil {
		if err := c.notify.Send(ctx, m); err != nil {
			c.logf("Failed to send alert: %s", err)
		}
	}
}

// redactURL hides a password in the URL for labels that leave the host.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	return u.Redacted()
}
