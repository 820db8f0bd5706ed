package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/internal/version"
	"github.com/spf13/pflag"
)

// Exit statuses. The reference exits 2 on any usage or config error.
const (
	exitOK    = 0
	exitUsage = 2
)

// flags are the command-line options. The reference's others (-n, -u, -m,
// -d, -l, -y, -z, -e, -j, -i, -q, -k, -a, -s, --minprocs,
// --profile_options) slot in here and in newFlagSet with the daemon; they
// override the [supervisord] values of the loaded config.
type flags struct {
	config  string // -c, --configuration
	test    bool   // -t, --test
	version bool   // -v, --version
	help    bool   // -h, --help
}

func newFlagSet(f *flags) *pflag.FlagSet {
	fs := pflag.NewFlagSet("supervisord", pflag.ContinueOnError)
	fs.SetOutput(io.Discard) // run reports parse errors itself, the reference's way
	fs.SortFlags = false
	fs.StringVarP(&f.config, "configuration", "c", "", "configuration file path (searched for if not given)")
	// -t is new, like nginx -t. The reference's -t is the short form of
	// --strip_ansi, which keeps its long form.
	fs.BoolVarP(&f.test, "test", "t", false, "check the configuration file, print its problems and exit")
	fs.BoolVarP(&f.version, "version", "v", false, "print the supervisord version it is compatible with and exit")
	fs.BoolVarP(&f.help, "help", "h", false, "print this help and exit")
	return fs
}

// run is supervisord's body: it parses args and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var f flags
	fs := newFlagSet(&f)
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, err.Error())
	}
	if fs.NArg() > 0 {
		return usageError(stderr, fmt.Sprintf("positional arguments are not supported: %q", fs.Args()))
	}
	switch {
	case f.help:
		fmt.Fprintf(stdout, "supervisord: run and supervise the programs of a supervisord.conf.\n\nUsage: supervisord [options]\n\nOptions:\n%s", fs.FlagUsages())
		return exitOK
	case f.version:
		fmt.Fprintln(stdout, version.SupervisorVersion)
		return exitOK
	case f.test:
		return checkConfig(f.config, stdout, stderr)
	}
	return usageError(stderr, "the daemon is not implemented yet; use -t to check a config file")
}

// usageError reports a command-line problem as the reference does.
func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "Error: %s\nFor help, use supervisord -h\n", msg)
	return exitUsage
}

// checkConfig loads the config file (found on the search path when path
// is ""), prints its warnings and errors with their file and line, and
// returns 0 if it loads.
func checkConfig(path string, stdout, stderr io.Writer) int {
	if path == "" {
		var err error
		if path, err = findConfig(stderr); err != nil {
			return usageError(stderr, err.Error())
		}
	}
	f, err := config.Load(path, config.Options{})
	if err != nil {
		var list config.ErrorList
		if !errors.As(err, &list) {
			return usageError(stderr, err.Error())
		}
		for _, e := range list {
			fmt.Fprintf(stderr, "error: %s\n", e)
		}
		fmt.Fprintf(stderr, "supervisord: %s: configuration is invalid (%s)\n", path, count(len(list), "error", "errors"))
		return exitUsage
	}
	for _, w := range f.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	procs := 0
	for _, g := range f.Groups {
		procs += len(g.Processes)
	}
	fmt.Fprintf(stdout, "supervisord: %s: configuration is valid (%s, %s, %s)\n", path,
		count(len(f.Groups), "group", "groups"), count(procs, "process", "processes"),
		count(len(f.Warnings), "warning", "warnings"))
	return exitOK
}

// findConfig looks for a config file where the reference looks.
func findConfig(stderr io.Writer) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	if os.Getuid() == 0 {
		fmt.Fprintln(stderr, "warning: running as root and searching for the config file in default locations, including the working directory; use -c with an absolute path")
	}
	return config.Find(config.SearchPaths(exe))
}

func count(n int, singular, plural string) string {
	if n == 1 {
		return "1 " + singular
	}
	return fmt.Sprintf("%d %s", n, plural)
}
