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

// Bounds on sending one alert: a mail server or webhook that is down
// costs the listener at most about a minute per alert.
const (
	sendAttempts = 3
	sendDelay    = 2 * time.Second
	sendTimeout  = 20 * time.Second
)

// run is httpok's main: it parses args, connects to the supervisord in
// getenv's SUPERVISOR_SERVER_URL and serves events from stdin until it
// ends or ctx is done. It returns the exit status: superlance's 255
// for a usage error, 0 after -h or when not run by supervisord.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	o, err := parseArgs(args)
	// Superlance prints its usage on stdout; here it goes to stderr even
	// for -h, as memmon's, since stdout is the protocol channel.
	if errors.Is(err, errHelp) {
		fmt.Fprint(stderr, usage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "httpok: %s\n\n%s", err, usage)
		return 255
	}
	if getenv("SUPERVISOR_SERVER_URL") == "" {
		fmt.Fprintln(stderr, "httpok must be run as a supervisor event listener")
		return 0
	}
	c, err := newChecker(o, stderr, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "httpok: %s\n", err)
		return 1
	}
	if o.Insecure {
		fmt.Fprintf(stderr, "httpok: --insecure: the certificate of %s is not verified\n", o.URL)
	}
	return serve(ctx, stdin, stdout, stderr, c)
}

// newChecker wires the real supervisord client, HTTP client, mailer,
// channels and gcore.
func newChecker(o *options, stderr io.Writer, getenv func(string) string) (*checker, error) {
	rpc, err := xmlrpc.FromEnv(getenv, xmlrpc.Options{})
	if err != nil {
		return nil, err
	}
	hc, err := newHTTPClient(o)
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	c := &checker{
		opts: o, rpc: rpc, http: hc, stderr: stderr,
		pool:  getenv("SUPERVISOR_GROUP_NAME"),
		retry: retryTime, sleep: sleepCtx,
	}
	if o.Email != "" {
		sm, err := o.Mail.Mailer(o.Sendmail)
		if err != nil {
			return nil, err
		}
		c.mail = bounded(sm, log)
	}
	if ss := o.Channels.Senders(nil); len(ss) > 0 {
		multi := make(alert.Multi, len(ss))
		for i, s := range ss {
			multi[i] = bounded(s, log)
		}
		c.notify = multi
	}
	if o.Coredir != "" && len(o.Gcore) > 0 {
		c.dump = execDumper{argv: o.Gcore, timeout: gcoreTimeout, stderr: stderr}
	}
	return c, nil
}

func bounded(s alert.Sender, log *slog.Logger) alert.Sender {
	return alert.Retry{Sender: s, Attempts: sendAttempts, Delay: sendDelay, Timeout: sendTimeout, Log: log}
}

// serve runs the protocol until stdin ends or ctx is done. A read of
// stdin cannot be interrupted, so on ctx's end serve returns without
// waiting for it: main exits then.
func serve(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer, c *checker) int {
	errc := make(chan error, 1)
	go func() { errc <- protocol.Serve(ctx, stdin, stdout, c) }()
	select {
	case err := <-errc:
		if err != nil && ctx.Err() == nil {
			fmt.Fprintf(stderr, "httpok: %s\n", err)
			return 1
		}
		return 0
	case <-ctx.Done():
		return 0
	}
}
