package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// Exit statuses besides exitUsage and exitHelp.
const (
	exitOK    = 0 // supervisord closed stdin
	exitSetup = 1 // not under supervisord, or the listener protocol broke
)

// Bounds on one alert: a mailer that hangs or refuses costs a TICK at
// most alertAttempts*alertTimeout plus the delays, never the listener.
const (
	alertAttempts = 3
	alertTimeout  = 10 * time.Second
	alertDelay    = time.Second
)

// env is what run needs from the process environment.
type env struct {
	getenv   func(string) string
	procRoot string // /proc
	cgroup   string // /sys/fs/cgroup
}

// run is memmon's body: it parses args, connects to the supervisord
// named by SUPERVISOR_SERVER_URL and serves the listener protocol on
// stdin and stdout until supervisord closes stdin. Everything it prints
// goes to stderr.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, e env) int {
	o, err := parseArgs(args)
	if code, done := usage(stderr, err); done {
		return code
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	client, err := xmlrpc.FromEnv(e.getenv, xmlrpc.Options{})
	if err != nil {
		// memmon.py dies with a KeyError traceback (superlance #128).
		fmt.Fprintf(stderr, "memmon: %v\n", err)
		return exitSetup
	}
	defer client.Close()
	sender, err := senders(o, log)
	if err != nil {
		fmt.Fprintf(stderr, "memmon: %v\n", err)
		return exitUsage
	}
	var base int64
	if o.relative() {
		if base, err = memoryBase(ctx, e.procRoot, e.cgroup); err != nil {
			fmt.Fprintf(stderr, "memmon: percentage limit: %v\n", err)
			return exitSetup
		}
	}
	m := newMemmon(o, base, deps{
		rpc: client, rss: procfs{Root: e.procRoot}, alert: sender, out: stderr, log: log,
		self: selfName(e.getenv),
	})
	if err := protocol.Serve(ctx, stdin, stdout, m); err != nil {
		log.Error("listener protocol", "err", err)
		return exitSetup
	}
	return exitOK
}

// usage prints what parseArgs's err calls for and reports whether memmon
// should exit, with which status. Superlance prints its usage and
// "Unparseable" lines on stdout; memmon prints them on stderr, because
// stdout is the protocol channel and supervisord would read them as a
// broken READY.
func usage(stderr io.Writer, err error) (int, bool) {
	var ue *usageError
	switch {
	case err == nil:
		return 0, false
	case errors.Is(err, errHelp):
		io.WriteString(stderr, usageText)
		return exitHelp, true
	case errors.As(err, &ue) && ue.Msg != "":
		fmt.Fprintln(stderr, ue.Msg)
	}
	io.WriteString(stderr, usageText)
	return exitUsage, true
}

// senders returns the alert channels o asks for, each retried on its own
// within fixed bounds, or nil when there are none: sendmail when -m is
// given (superlance mails only then), and the webhooks and Alertmanagers.
func senders(o *Options, log *slog.Logger) (alert.Sender, error) {
	var ss []alert.Sender
	if o.Email != "" {
		sm, err := o.Mail.Mailer(o.Sendmail)
		if err != nil {
			return nil, err
		}
		ss = append(ss, sm)
	}
	ss = append(ss, o.Channels.Senders(nil)...)
	if len(ss) == 0 {
		return nil, nil
	}
	multi := make(alert.Multi, len(ss))
	for i, s := range ss {
		multi[i] = alert.Retry{Sender: s, Attempts: alertAttempts, Delay: alertDelay, Timeout: alertTimeout, Log: log}
	}
	return multi, nil
}

// selfName is this listener's group:name from the variables supervisord
// sets for every child, or "" outside supervisord. memmon never measures
// or restarts itself (B7): -a used to include it, and a listener that
// asks supervisord to stop it is killed in the middle of the call.
func selfName(getenv func(string) string) string {
	g, n := getenv("SUPERVISOR_GROUP_NAME"), getenv("SUPERVISOR_PROCESS_NAME")
	if g == "" || n == "" {
		return ""
	}
	return g + ":" + n
}

// usageText is memmon.py's docstring, for memmon, with Lancer's options.
const usageText = `memmon [-c] [-p processname=byte_size] [-g groupname=byte_size]
       [-a byte_size] [-s sendmail] [-m email_address]
       [-u uptime] [-n memmon_name]
       [--cycles N] [--grace DURATION] [--max-restarts N [--per DURATION]]
       [--webhook URL] [--alertmanager URL]

Options:

-c -- Check against cumulative RSS. When calculating a process' RSS, also
      consider its child processes. With this option memmon will sum up
      the RSS of the process to be monitored and all its descendants.

-p -- specify a process_name=byte_size pair.  Restart the supervisor
      process named 'process_name' when it uses more than byte_size
      RSS.  If this process is in a group, it can be specified using
      the 'group_name:process_name' syntax.

-g -- specify a group_name=byte_size pair.  Restart any process in this group
      when it uses more than byte_size RSS.

-a -- specify a global byte_size.  Restart any child of the supervisord
      under which this runs if it uses more than byte_size RSS.

-s -- the sendmail command to use to send email
      (e.g. "/usr/sbin/sendmail -t -i").  Must be a command which accepts
      header and message data on stdin and sends mail.  It is split into
      words like a shell command line but run without a shell.
      Default is "/usr/sbin/sendmail -t -i".

-m -- specify an email address.  The script will send mail to this
      address when any process is restarted.  If no email address is
      specified, email will not be sent.

-u -- optionally specify the minimum uptime in seconds for the process.
      if the process uptime is longer than this value, no email is sent
      (useful to only be notified if processes are restarted too often/early)

      seconds can be specified as plain integer values or a suffix-multiplied integer
      (e.g. 1m). Valid suffixes are m (minute), h (hour) and d (day).

-n -- optionally specify the name of the memmon process. This name will
      be used in the email subject to identify which memmon process
      restarted the process.

The -p and -g options may be specified more than once, allowing for
specification of multiple groups and processes.

Any byte_size can be specified as a plain integer (10000) or a
suffix-multiplied integer (e.g. 1GB).  Valid suffixes are 'KB', 'MB'
and 'GB'.  It can also be a percentage (25%) of the machine's memory, or
of the cgroup memory limit supervisord runs under if that is smaller.

Lancer's options, all off by default:

--cycles N        restart only after N consecutive TICKs over the limit.
--grace DURATION  never restart a process that started less than DURATION
                  ago (90, 15m, 2h, 1d or 1h30m).
--max-restarts N  restart a process at most N times per --per DURATION
--per DURATION    (default 1h); further restarts are held back and alerted.
--webhook URL     also post each alert as JSON to URL (repeatable).
--alertmanager URL  also send each alert to Prometheus Alertmanager
                  (repeatable); --alertmanager-resolve DURATION (5m).

memmon reads memory from /proc and never runs ps.  Its stdout is the
event listener protocol; everything it prints goes to stderr.

A sample invocation:

memmon -p program1=200MB -p thegroup:theprog=100MB -g thegroup=100MB -a 1GB -s "/usr/sbin/sendmail -t -i" -m chrism@plope.com -n "Project 1"
`
