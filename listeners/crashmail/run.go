package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/spf13/pflag"

	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/listeners/internal/cli"
	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// How hard crashmail tries to hand a mail to sendmail: a few attempts,
// each bounded, so that a broken mailer costs about a minute at most and
// never the listener itself (B11).
const (
	mailAttempts = 3
	mailTimeout  = 20 * time.Second
)

// env is crashmail's outside world, injectable for tests.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time // nil means time.Now
	// tailer serves --tail; nil means an XML-RPC client for the
	// supervisord in the environment.
	tailer     Tailer
	retryDelay time.Duration // between sendmail attempts
}

// errHelp is returned by parseArgs for -h or --help.
var errHelp = errors.New("help requested")

// run is crashmail: it parses args, checks that supervisord started it
// and serves events until stdin ends. It returns the exit code:
// superlance's 0 after -h or outside supervisord, 255 for bad options.
func run(ctx context.Context, args []string, e env) int {
	o, err := parseArgs(args)
	switch {
	case errors.Is(err, errHelp):
		fmt.Fprint(e.stdout, usage)
		return 0
	case err != nil:
		fmt.Fprintf(e.stderr, "crashmail: %v\n\n%s", err, usage)
		return 255
	}
	if e.getenv("SUPERVISOR_SERVER_URL") == "" {
		fmt.Fprint(e.stderr, "crashmail must be run as a supervisor event listener\n")
		return 0
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil)).With("listener", "crashmail")
	c, err := newCrashMail(o, e, log)
	if err != nil {
		fmt.Fprintf(e.stderr, "crashmail: %v\n\n%s", err, usage)
		return 255
	}
	if err := protocol.Serve(ctx, e.stdin, e.stdout, c); err != nil {
		log.Error("event stream failed", "err", err)
		return 1
	}
	return 0
}

// parseArgs reads args as superlance's getopt call does (short options
// hp:ao:s:m:, long options and their unambiguous prefixes, stopping at
// the first argument that is not an option; the rest is ignored), plus
// Lancer's long options.
func parseArgs(args []string) (Options, error) {
	var o Options
	fs := pflag.NewFlagSet("crashmail", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SetInterspersed(false)
	help := fs.BoolP("help", "h", false, "")
	fs.StringArrayVarP(&o.Programs, "program", "p", nil, "")
	fs.BoolVarP(&o.Any, "any", "a", false, "")
	fs.StringVarP(&o.OptionalHeader, "optionalheader", "o", "", "")
	fs.StringVarP(&o.Sendmail, "sendmail_program", "s", alert.DefaultSendmail, "")
	fs.StringVarP(&o.Email, "email", "m", "", "")
	fs.IntVar(&o.RateLimit, "rate-limit", 0, "")
	fs.DurationVar(&o.Per, "per", time.Hour, "")
	fs.IntVar(&o.Tail, "tail", 0, "")
	o.Channels = alert.RegisterChannelFlags(fs)
	o.Mail = alert.RegisterMailFlags(fs)
	expanded, err := cli.Expand(fs, args)
	if err != nil {
		return o, err
	}
	if err := fs.Parse(expanded); err != nil {
		return o, err
	}
	if *help {
		return o, errHelp
	}
	return o, o.check(fs.Changed("per"))
}

// check rejects values that parse but make no sense.
func (o Options) check(perGiven bool) error {
	switch {
	case o.RateLimit < 0:
		return fmt.Errorf("--rate-limit %d: want a number of alerts, at least 1", o.RateLimit)
	case perGiven && o.RateLimit == 0:
		return errors.New("--per needs --rate-limit")
	case o.Per <= 0:
		return fmt.Errorf("--per %v: want a positive duration", o.Per)
	case o.Tail < 0:
		return fmt.Errorf("--tail %d: want a number of lines", o.Tail)
	}
	if _, err := o.Mail.Mailer(o.Sendmail); err != nil {
		return err
	}
	return nil
}

// newCrashMail wires the handler: sendmail (with -m) and the other
// channels, rate limited with --rate-limit; the XML-RPC client with
// --tail.
func newCrashMail(o Options, e env, log *slog.Logger) (*CrashMail, error) {
	c := &CrashMail{opts: o, tailer: e.tailer, stderr: e.stderr, log: log, now: e.now,
		ownGroup: e.getenv("SUPERVISOR_GROUP_NAME")}
	if c.now == nil {
		c.now = time.Now
	}
	var ss []alert.Sender
	if o.Email != "" {
		sm, err := o.Mail.Mailer(o.Sendmail)
		if err != nil {
			return nil, err
		}
		retry := alert.Retry{Sender: sm, Attempts: mailAttempts, Delay: e.retryDelay, Timeout: mailTimeout, Log: log}
		ss = append(ss, mailed{S: retry, W: e.stderr})
	}
	ss = append(ss, o.Channels.Senders(nil)...)
	switch {
	case len(ss) == 0:
		log.Warn("no -m address and no other channel: unexpected exits are only logged")
	case o.RateLimit > 0:
		c.sender = &alert.Limiter{Sender: alert.Multi(ss), Burst: o.RateLimit, Per: o.Per, Now: c.now, Log: log}
	default:
		c.sender = alert.Multi(ss)
	}
	if len(o.Programs) == 0 && !o.Any {
		log.Info("no -p or -a: alerting on every process, as superlance does")
	}
	if o.Tail > 0 && c.tailer == nil {
		client, err := xmlrpc.FromEnv(e.getenv, xmlrpc.Options{Timeout: tailTimeout})
		if err != nil {
			log.Warn("--tail disabled", "err", err)
		} else {
			c.tailer = client
		}
	}
	return c, nil
}

// usage is superlance's docstring, corrected, with Lancer's options.
const usage = `crashmail [-p processname] [-a] [-o string] [-m mail_address]
          [-s sendmail] [--rate-limit N [--per DURATION]] [--tail N]
          [--webhook URL] [--alertmanager URL]

Options:

-p -- specify a supervisor process name.  Send mail when this process
      transitions to the EXITED state unexpectedly.  If this process is
      part of a group, it can be specified using the 'group_name:process_name'
      syntax ('process_name:group_name' is accepted too), and
      'group_name:*' means every process of the group.

-a -- Send mail when any child of the supervisord transitions
      unexpectedly to the EXITED state.  Overrides any -p parameters
      passed in the same crashmail process invocation.  Without -p or -a,
      every process is watched, as in superlance.

-o -- Specify a parameter used as a prefix in the mail subject header.

-s -- the sendmail command to use to send email
      (e.g. "/usr/sbin/sendmail -t -i").  Must be a command which accepts
      header and message data on stdin and sends mail.  Default is
      "/usr/sbin/sendmail -t -i".  It is split into words like a shell
      would, and run without one.

-m -- specify an email address.  The script will send mail to this
      address when crashmail detects a process crash.  If no email
      address is specified, email will not be sent.

--rate-limit N --per DURATION -- send at most N alerts per process in
      any DURATION (default 1h); the next one sent says how many were
      suppressed.

--tail N -- include the last N lines of the process's stderr log,
      read from supervisord over XML-RPC.

--webhook URL -- also post each alert as JSON (Slack-compatible) to URL.

--alertmanager URL -- also send each alert to the Prometheus
      Alertmanager at URL (--alertmanager-resolve DURATION, default 5m).

The -p option may be specified more than once, allowing for
specification of multiple processes.  Specifying -a overrides any
selection of -p.

A sample invocation:

crashmail -p program1 -p group1:program2 -m dev@example.com
`
