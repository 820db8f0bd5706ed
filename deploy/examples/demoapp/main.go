// Demoapp is the program the demo config (deploy/examples/demo.conf) runs
// under supervisord: "demoapp web" is a small web server on a loopback
// port, "demoapp worker" a background worker that logs a line now and
// then. The web server can be made to misbehave on request, so that the
// alerting listeners have something to report: /grow holds memory
// (memmon), /hang stops answering (httpok), /crash exits (crashmail).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
