// Crashmailbatch mails the unexpected exits of supervisord's processes,
// batched into one message every --interval minutes: a drop-in for
// superlance's crashmailbatch (superlance.md §1.5), subscribed with
// events=PROCESS_STATE,TICK_60. stdout is the event listener protocol;
// everything else goes to stderr.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/lancerhq/lancer/listeners/internal/batch"
)

func main() {
	// On SIGTERM the waiting batch is sent before exiting.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	code := batch.Main(ctx, kind, os.Args[1:], batch.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}
