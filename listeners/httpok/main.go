// Httpok restarts supervised programs when a URL stops answering as it
// should: a drop-in for superlance's httpok, with its command line, its
// stderr lines and its mail.
//
// Subscribed to TICK_60 (or TICK_5, TICK_3600), it GETs the URL on every
// tick; when the request fails or times out, the status is not an
// acceptable one (-c, --status) or the body lacks a string (-b), it
// restarts the RUNNING processes named with -p (or all, with -a),
// optionally dumping their cores first (-d), and mails a report (-m).
//
// Stdout is the event-listener protocol channel and carries nothing
// else; every diagnostic goes to stderr, which supervisord writes to the
// listener's stderr_logfile; so does the usage text, even for -h.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
