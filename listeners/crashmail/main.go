package main

import (
	"context"
	"os"
	"time"
)

// main catches no signal: crashmail keeps nothing that SIGTERM could
// lose, and the default action ends a read blocked on stdin, which a
// cancelled context could not.
func main() {
	os.Exit(run(context.Background(), os.Args[1:], env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv, retryDelay: 2 * time.Second,
	}))
}
