package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/lancerhq/lancer/internal/pyrepr"
	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// Supervisor is the part of supervisord's XML-RPC interface memmon
// uses; *xmlrpc.Client implements it.
type Supervisor interface {
	GetAllProcessInfo(ctx context.Context) ([]xmlrpc.ProcessInfo, error)
	GetProcessInfo(ctx context.Context, name string) (xmlrpc.ProcessInfo, error)
	StopProcess(ctx context.Context, name string, wait bool) error
	StartProcess(ctx context.Context, name string, wait bool) error
}

// rpcTimeout bounds the calls that only read. stopProcess and
// startProcess wait for the process (stopwaitsecs, startsecs) and are
// bounded by supervisord itself.
const rpcTimeout = 30 * time.Second

// asctimeTZ is Python's time.asctime() followed by strftime('%Z'), the
// time in memmon.py's restart mail.
const asctimeTZ = "Mon Jan _2 15:04:05 2006 MST"

// alertname is the alertname label of every memmon alert.
const alertname = "ProcessMemoryHigh"

// Memmon is the listener: on each TICK event it measures supervisord's
// processes and restarts those over their limit. It is a
// protocol.Handler, used by one goroutine.
type Memmon struct {
	rpc   Supervisor
	rss   RSSReader
	alert alert.Sender // nil: no channel configured
	out   io.Writer    // superlance's stderr lines, verbatim
	log   *slog.Logger // Lancer's own diagnostics, also on stderr

	cumulative bool
	programs   map[string]int64
	groups     map[string]int64
	any        *int64
	email      string
	uptime     int64 // seconds
	name       string
	self       string // this listener's group:name, never measured
	policy     Policy

	tracks map[string]track // by group:name
}

// deps are a Memmon's connections to the world.
type deps struct {
	rpc   Supervisor
	rss   RSSReader
	alert alert.Sender
	out   io.Writer
	log   *slog.Logger
	self  string // "group:name", or ""
}

// newMemmon returns a Memmon for o, its percentage limits resolved
// against base bytes.
func newMemmon(o *Options, base int64, d deps) *Memmon {
	m := &Memmon{
		rpc: d.rpc, rss: d.rss, alert: d.alert, out: d.out, log: d.log, self: d.self,
		cumulative: o.Cumulative,
		programs:   resolve(o.Programs, base),
		groups:     resolve(o.Groups, base),
		email:      o.Email,
		uptime:     o.Uptime,
		name:       o.Name,
		policy:     o.Policy,
		tracks:     map[string]track{},
	}
	if o.Any != nil {
		n := o.Any.bytes(base)
		m.any = &n
	}
	return m
}

func resolve(ls map[string]Limit, base int64) map[string]int64 {
	out := make(map[string]int64, len(ls))
	for k, l := range ls {
		out[k] = l.bytes(base)
	}
	return out
}

// HandleEvent checks the processes on any TICK event (memmon.py tests
// that the name starts with TICK) and acknowledges every event, whatever
// happened: an event answered FAIL is redelivered, and a TICK must not
// pile up behind a supervisord that is down.
func (m *Memmon) HandleEvent(ctx context.Context, ev protocol.Event) error {
	if strings.HasPrefix(ev.Header.EventName, "TICK") {
		m.tick(ctx)
	}
	return nil
}

// tick is one round of memmon.py's runforever loop.
func (m *Memmon) tick(ctx context.Context) {
	m.status()
	infos, err := m.listProcesses(ctx)
	if err != nil {
		// memmon.py dies here and supervisord restarts it, again and again.
		m.log.Error("cannot list processes; nothing checked this tick", "err", err)
		return
	}
	now := time.Now()
	var tree lazyTree
	present := make(map[string]bool, len(infos))
	for _, p := range infos {
		ns := p.Group + ":" + p.Name // memmon.py's name, even when group == name
		present[ns] = true
		limits := m.limits(p, ns)
		if p.PID == 0 || ns == m.self || len(limits) == 0 {
			continue
		}
		rss, ok := m.measure(ctx, p.PID, &tree)
		if !ok {
			continue // exited since getAllProcessInfo
		}
		over := false
		for _, l := range limits {
			fmt.Fprintf(m.out, "RSS of %s is %d\n", ns, rss)
			if rss > l {
				over = true // B2: memmon.py went on and restarted it again
				break
			}
		}
		m.decide(ctx, p, ns, rss, over, now)
	}
	maps.DeleteFunc(m.tracks, func(ns string, _ track) bool { return !present[ns] })
}

// status writes memmon.py's "Checking ..." lines, an empty line when no
// limit is set.
func (m *Memmon) status() {
	var lines []string
	if len(m.programs) > 0 {
		lines = append(lines, "Checking programs "+sortedPairs(m.programs))
	}
	if len(m.groups) > 0 {
		lines = append(lines, "Checking groups "+sortedPairs(m.groups))
	}
	if m.any != nil {
		lines = append(lines, fmt.Sprintf("Checking any=%d", *m.any))
	}
	io.WriteString(m.out, strings.Join(lines, "\n")+"\n")
}

func sortedPairs(ls map[string]int64) string {
	pairs := make([]string, 0, len(ls))
	for _, k := range slices.Sorted(maps.Keys(ls)) {
		pairs = append(pairs, fmt.Sprintf("%s=%d", k, ls[k]))
	}
	return strings.Join(pairs, ", ")
}

// limits returns the limits that apply to p, in the order memmon.py
// checks them: -p by bare name, -p by group:name (B1: memmon.py then
// looked up the bare name and crashed), -g, -a.
func (m *Memmon) limits(p xmlrpc.ProcessInfo, ns string) []int64 {
	var ls []int64
	for _, key := range []string{p.Name, ns} {
		if l, ok := m.programs[key]; ok {
			ls = append(ls, l)
		}
	}
	if l, ok := m.groups[p.Group]; ok {
		ls = append(ls, l)
	}
	if m.any != nil {
		ls = append(ls, *m.any)
	}
	return ls
}

func (m *Memmon) listProcesses(ctx context.Context) ([]xmlrpc.ProcessInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, rpcTimeout)
	defer cancel()
	return m.rpc.GetAllProcessInfo(ctx)
}

// lazyTree is the process table of one TICK, scanned on first use.
type lazyTree struct {
	kids map[int][]int
	err  error
	done bool
}

// measure returns the RSS of pid, or with -c of its process tree, and
// whether it could be read.
func (m *Memmon) measure(ctx context.Context, pid int, t *lazyTree) (int64, bool) {
	if !m.cumulative {
		rss, err := m.rss.RSS(ctx, pid)
		return rss, err == nil
	}
	if !t.done {
		t.done = true
		if t.kids, t.err = m.rss.Children(ctx); t.err != nil {
			m.log.Error("cannot read the process table", "err", t.err)
		}
	}
	if t.err != nil {
		return 0, false
	}
	rss, _, err := treeRSS(ctx, m.rss, pid, t.kids)
	return rss, err == nil
}

// decide applies the restart policy to one measured process.
func (m *Memmon) decide(ctx context.Context, p xmlrpc.ProcessInfo, ns string, rss int64, over bool, now time.Time) {
	uptime := time.Duration(p.Now-p.Start) * time.Second
	t, v := m.policy.next(m.tracks[ns], sample{pid: p.PID, over: over, uptime: uptime, now: now})
	m.tracks[ns] = t
	held := func(reason string, args ...any) {
		m.log.Info("over its limit, restart held back", append([]any{"process", ns, "rss", rss, "reason", reason}, args...)...)
	}
	switch v {
	case verdictRestart:
		m.restart(ctx, p, ns, rss)
	case verdictCycles:
		held("cycles", "over_ticks", t.over, "cycles", m.policy.Cycles)
	case verdictGrace:
		held("grace", "uptime", uptime, "grace", m.policy.Grace)
	case verdictThrottled, verdictThrottledNew:
		held("max-restarts", "restarts", len(t.restarts), "per", m.policy.Per)
		if v == verdictThrottledNew {
			m.send(ctx, p, fmt.Sprintf("process %s not restarted", ns), fmt.Sprintf(
				"memmon did not restart the process named %s at %s although it was consuming too much memory (%d bytes RSS): "+
					"it had %d restart(s) in the last %s already (--max-restarts %d --per %s)",
				ns, time.Now().Format(asctimeTZ), rss, len(t.restarts), m.policy.Per, m.policy.MaxRestarts, m.policy.Per))
		}
	}
}

// restart is memmon.py's restart: stop, start, then mail if the process
// had been up for at most -u. Unlike memmon.py it never exits (B6): a
// failure is written to stderr and alerted, and the TICK goes on with
// the next process.
func (m *Memmon) restart(ctx context.Context, p xmlrpc.ProcessInfo, ns string, rss int64) {
	info, err := m.processInfo(ctx, ns)
	if err != nil {
		m.log.Error("cannot restart process", "process", ns, "err", err)
		return
	}
	if info.PID != p.PID {
		// Someone (supervisord's autorestart, an operator, httpok) was
		// quicker: the process measured is gone already.
		m.log.Info("not restarting process: its pid changed since it was measured", "process", ns, "pid", p.PID, "now", info.PID)
		return
	}
	uptime := info.Now - info.Start
	fmt.Fprintf(m.out, "Restarting %s\n", ns)
	// A process already stopped, or already started again, is where
	// the restart wanted it: not a failure.
	if err := m.rpc.StopProcess(ctx, ns, true); err != nil && !errors.Is(err, xmlrpc.ErrNotRunning) {
		msg := fmt.Sprintf("Failed to stop process %s (RSS %d): %s", ns, rss, faultText(err))
		fmt.Fprintln(m.out, msg)
		m.send(ctx, p, "failed to stop process "+ns, msg)
		return
	}
	if err := m.rpc.StartProcess(ctx, ns, true); err != nil && !errors.Is(err, xmlrpc.ErrAlreadyStarted) {
		msg := fmt.Sprintf("Failed to start process %s after stopping it: %s", ns, faultText(err))
		fmt.Fprintln(m.out, msg)
		m.send(ctx, p, "failed to start process "+ns, msg)
		return
	}
	if int64(uptime) <= m.uptime {
		m.send(ctx, p, "process "+ns+" restarted", fmt.Sprintf(
			"memmon.py restarted the process named %s at %s because it was consuming too much memory (%d bytes RSS)",
			ns, time.Now().Format(asctimeTZ), rss))
	}
}

func (m *Memmon) processInfo(ctx context.Context, ns string) (xmlrpc.ProcessInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, rpcTimeout)
	defer cancel()
	return m.rpc.GetProcessInfo(ctx, ns)
}

// send alerts through every configured channel; a failure is logged,
// never fatal (superlance's broken sendmail pipe crashed the listener).
func (m *Memmon) send(ctx context.Context, p xmlrpc.ProcessInfo, subject, body string) {
	if m.alert == nil {
		return
	}
	msg := alert.Message{
		Subject: m.subject(subject),
		Body:    body,
		Labels:  map[string]string{"alertname": alertname, "process": p.Name, "group": p.Group},
	}
	if m.email != "" {
		msg.To = []string{m.email}
	}
	if err := m.alert.Send(ctx, msg); err != nil {
		m.log.Error("alert not sent", "subject", msg.Subject, "err", err)
	}
}

// subject is memmon.py's "memmon: ..." or, with -n, "memmon [name]: ...".
func (m *Memmon) subject(s string) string {
	if m.name != "" {
		return "memmon [" + m.name + "]: " + s
	}
	return "memmon: " + s
}

// faultText formats err as memmon.py prints an xmlrpclib.Fault,
// <Fault 10: 'BAD_NAME'>, and any other error as itself.
func faultText(err error) string {
	var f *xmlrpc.Fault
	if errors.As(err, &f) {
		return pyrepr.Fault(f.Code, f.String)
	}
	return err.Error()
}
