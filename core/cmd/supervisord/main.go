// Supervisord runs the programs of a supervisord.conf and keeps them
// running, as Python supervisord 4.2.5 does; supervisord -t -c FILE checks
// a config file instead.
package main

import (
	"context"
	"os"

	"github.com/lancerhq/lancer/core/internal/process"
)

func main() {
	// The spawn shim is this binary re-executed between fork and exec of
	// a child, to set what Go's fork cannot (the reference's umask).
	if len(os.Args) > 1 && os.Args[1] == process.ShimArg {
		os.Exit(process.RunShim(os.Args[2:], os.Stderr))
	}
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
