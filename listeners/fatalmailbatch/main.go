// Fatalmailbatch mails the processes supervisord gave up starting (FATAL
// after startretries), batched into one message every --interval
// minutes: a drop-in for superlance's fatalmailbatch (superlance.md §1.6),
// subscribed with events=PROCESS_STATE,TICK_60. stdout is the event
// listener protocol; everything else goes to stderr.
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
