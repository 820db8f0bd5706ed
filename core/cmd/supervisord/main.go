// Supervisord runs the programs of a supervisord.conf and keeps them
// running, as Python supervisord 4.2.5 does; for now it checks config
// files (supervisord -t -c FILE), and the daemon proper comes next.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
