// Supervisorctl controls the programs a supervisord runs, as Python
// supervisorctl 4.2.5 does: one command from the command line, or an
// interactive shell.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
