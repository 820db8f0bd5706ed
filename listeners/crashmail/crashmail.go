package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// asctimeLayout is childutils.get_asctime's format, local time with
// milliseconds: 2024-05-01 12:00:00,123.
const asctimeLayout = "2006-01-02 15:04:05,000"

// tailTimeout bounds the XML-RPC call that fetches a stderr tail.
const tailTimeout = 10 * time.Second

// Options are crashmail's command-line options.
type Options struct {
	Programs       []string // -p: names, group:name or group:*; none means all
	Any            bool     // -a: all processes, overriding -p
	OptionalHeader string   // -o: subject prefix
	Sendmail       string   // -s: the mailer command
	Email          string   // -m: the recipient; none means no mail
	// Lancer's additions, off by default.
	RateLimit int           // --rate-limit: alerts per process per Per
	Per       time.Duration // --per
	Tail      int           // --tail: stderr lines to include
	Channels  *alert.ChannelFlags
	Mail      *alert.MailFlags // --smtp-*: SMTP instead of -s
}

// Tailer reads the end of a process's stderr log; *xmlrpc.Client
// implements it with supervisor.tailProcessStderrLog.
type Tailer interface {
	TailProcessStderrLog(ctx context.Context, name string, offset, length int) (xmlrpc.Tail, error)
}

// CrashMail alerts on every unexpected exit of the processes it watches,
// superlance's crashmail (superlance.md §1.3). It is a [protocol.Handler].
type CrashMail struct {
	opts     Options
	sender   alert.Sender // nil when there is nowhere to send
	tailer   Tailer       // nil without --tail
	stderr   io.Writer
	log      *slog.Logger
	now      func() time.Time
	ownGroup string // this listener's pool, never reported on
}

// HandleEvent alerts on an unexpected PROCESS_STATE_EXITED of a watched
// process and ignores everything else. It always acknowledges the event
// (returns nil): a delivery that failed is logged, and asking supervisord
// to resend the event would only repeat it.
func (c *CrashMail) HandleEvent(ctx context.Context, ev protocol.Event) error {
	if ev.Type() != protocol.ProcessStateExited {
		return nil
	}
	p, err := ev.Parse()
	if err != nil {
		c.log.Warn("ignoring event with a bad payload", "event", ev.Type(), "err", err)
		return nil
	}
	st, ok := p.(protocol.ProcessState)
	switch {
	case !ok || st.Expected || !c.watched(st):
		return nil
	case c.ownGroup != "" && st.GroupName == c.ownGroup:
		c.log.Info("not reporting an exit in this listener's own pool", "group", st.GroupName, "process", st.ProcessName)
		return nil
	}
	c.alert(ctx, c.message(ctx, st))
	return nil
}

// watched reports whether st is a process to alert on: every process
// with -a or without -p (superlance mails everything, and configurations
// rely on it), else those that -p names.
func (c *CrashMail) watched(st protocol.ProcessState) bool {
	if c.opts.Any || len(c.opts.Programs) == 0 {
		return true
	}
	return slices.ContainsFunc(c.opts.Programs, func(spec string) bool { return matches(spec, st) })
}

// matches reports whether the -p value spec names st: a bare process
// name, group:name, or group:* (or group:) for the whole group. The
// usage text of superlance's crashmail documents the order
// process_name:group_name, so that is accepted too, rather than
// silently never matching.
func matches(spec string, st protocol.ProcessState) bool {
	a, b, ok := strings.Cut(spec, ":")
	if !ok {
		return spec == st.ProcessName
	}
	if a == st.GroupName && (b == st.ProcessName || b == "*" || b == "") {
		return true
	}
	return a == st.ProcessName && b == st.GroupName
}

// message builds the alert for st, with superlance's subject and body.
func (c *CrashMail) message(ctx context.Context, st protocol.ProcessState) alert.Message {
	now := c.now()
	subject := fmt.Sprintf(" %s crashed at %s", st.ProcessName, now.Format(asctimeLayout))
	if c.opts.OptionalHeader != "" {
		subject = c.opts.OptionalHeader + ":" + subject
	}
	body := fmt.Sprintf("Process %s in group %s exited unexpectedly (pid %d) from state %s",
		st.ProcessName, st.GroupName, st.PID, st.FromState)
	if c.opts.Tail > 0 && c.tailer != nil {
		body += "\n\n" + c.tail(ctx, st)
	}
	var to []string
	if c.opts.Email != "" {
		to = []string{c.opts.Email}
	}
	return alert.Message{To: to, Subject: subject, Body: body, Date: now,
		Labels: map[string]string{"alertname": "ProcessCrashed", "process": st.ProcessName, "group": st.GroupName}}
}

// tail returns the last --tail lines of st's stderr log under a heading,
// or why they are missing.
func (c *CrashMail) tail(ctx context.Context, st protocol.ProcessState) string {
	name := st.GroupName + ":" + st.ProcessName
	ctx, cancel := context.WithTimeout(ctx, tailTimeout)
	defer cancel()
	// Enough bytes for the lines asked for, unless they are very long.
	length := min(max(c.opts.Tail*256, 16<<10), 1<<20)
	t, err := c.tailer.TailProcessStderrLog(ctx, name, 0, length)
	if err != nil {
		c.log.Warn("cannot read the stderr log", "process", name, "err", err)
		return fmt.Sprintf("(stderr log of %s not available: %v)", name, err)
	}
	lines := lastLines(t.Data, c.opts.Tail)
	if len(lines) == 0 {
		return fmt.Sprintf("(stderr log of %s is empty)", name)
	}
	return fmt.Sprintf("Last %d lines of stderr of %s:\n%s", len(lines), name, strings.Join(lines, "\n"))
}

// lastLines returns the last n lines of s, without their newlines.
func lastLines(s string, n int) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	return lines[max(len(lines)-n, 0):]
}

// alert sends m and writes superlance's stderr lines around it.
func (c *CrashMail) alert(ctx context.Context, m alert.Message) {
	switch {
	case c.sender == nil:
		// Superlance pipes "To: None" to sendmail here (B4).
		fmt.Fprintf(c.stderr, "unexpected exit, not mailing (no -m address given)\n%s\n", m.Body)
		return
	case c.opts.Email != "":
		fmt.Fprint(c.stderr, "unexpected exit, mailing\n")
	default:
		fmt.Fprint(c.stderr, "unexpected exit, alerting\n")
	}
	if err := c.sender.Send(ctx, m); err != nil {
		c.log.Error("alert not sent", "subject", m.Subject, "err", err)
	}
}

// mailed writes superlance's "Mailed:" block to W after each message S
// delivered, so that it appears exactly when the mail went out, whatever
// rate limiting or other channels surround it.
type mailed struct {
	S alert.Sender
	W io.Writer
}

func (m mailed) Send(ctx context.Context, msg alert.Message) error {
	if err := m.S.Send(ctx, msg); err != nil {
		return err
	}
	// Superlance writes no newline after the body, so that the next
	// line of the log runs on; Lancer ends the block.
	fmt.Fprintf(m.W, "Mailed:\n\n%s\n", alert.SendmailText(msg))
	return nil
}
