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

// flags are the command-line options, the reference's, with -t turned into
// a config check (its -t, --strip_ansi, keeps the long form). Options that
// name a [supervisord] setting override the file's value.
type flags struct {
	config  string // -c, --configuration
	test    bool   // -t, --test
	version bool   // -v, --version
	help    bool   // -h, --help

	nodaemon, silent, nocleanup, stripANSI    bool
	user, umask, directory, logfile, maxbytes string
	backups, loglevel, pidfile, identifier    string
	childlogdir, minfds, minprocs, profile    string
}

func newFlagSet(f *flags) *pflag.FlagSet {
	fs := pflag.NewFlagSet("supervisord", pflag.ContinueOnError)
	fs.SetOutput(io.Discard) // run reports parse errors itself, the reference's way
	fs.SortFlags = false
	fs.StringVarP(&f.config, "configuration", "c", "", "configuration file path (searched for if not given)")
	fs.BoolVarP(&f.test, "test", "t", false, "check the configuration file, print its problems and exit")
	fs.BoolVarP(&f.nodaemon, "nodaemon", "n", false, "run in the foreground")
	fs.BoolVarP(&f.silent, "silent", "s", false, "with -n, do not copy the log to stdout")
	fs.StringVarP(&f.user, "user", "u", "", "run as this user (or numeric uid)")
	fs.StringVarP(&f.umask, "umask", "m", "", "umask of the daemon (octal, e.g. 022)")
	fs.StringVarP(&f.directory, "directory", "d", "", "directory to chdir to when daemonized")
	fs.StringVarP(&f.logfile, "logfile", "l", "", "main log file path")
	fs.StringVarP(&f.maxbytes, "logfile_maxbytes", "y", "", "rotate the main log at this size (e.g. 50MB)")
	fs.StringVarP(&f.backups, "logfile_backups", "z", "", "number of main log backups to keep")
	fs.StringVarP(&f.loglevel, "loglevel", "e", "", "critical, error, warn, info, debug, trace or blather")
	fs.StringVarP(&f.pidfile, "pidfile", "j", "", "pid file path")
	fs.StringVarP(&f.identifier, "identifier", "i", "", "identifier of this supervisord")
	fs.StringVarP(&f.childlogdir, "childlogdir", "q", "", "directory of AUTO child logs")
	fs.BoolVarP(&f.nocleanup, "nocleanup", "k", false, "keep old AUTO child logs at startup")
	fs.StringVarP(&f.minfds, "minfds", "a", "", "minimum number of file descriptors to start with")
	fs.StringVar(&f.minprocs, "minprocs", "", "minimum number of processes available to start with")
	fs.BoolVar(&f.stripANSI, "strip_ansi", false, "strip ANSI escape sequences from child logs")
	fs.StringVar(&f.profile, "profile_options", "", "accepted for compatibility and ignored (Python profiling)")
	fs.BoolVarP(&f.version, "version", "v", false, "print the supervisord version it is compatible with and exit")
	fs.BoolVarP(&f.help, "help", "h", false, "print this help and exit")
	return fs
}

// overrides returns the [supervisord] options given on the command line.
func (f *flags) overrides() map[string]string {
	o := map[string]string{}
	for k, v := range map[string]string{
		"user": f.user, "umask": f.umask, "directory": f.directory, "logfile": f.logfile,
		"logfile_maxbytes": f.maxbytes, "logfile_backups": f.backups, "loglevel": f.loglevel,
		"pidfile": f.pidfile, "identifier": f.identifier, "childlogdir": f.childlogdir,
		"minfds": f.minfds, "minprocs": f.minprocs,
	} {
		if v != "" {
			o[k] = v
		}
	}
	for k, v := range map[string]bool{"nodaemon": f.nodaemon, "silent": f.silent, "nocleanup": f.nocleanup, "strip_ansi": f.stripANSI} {
		if v {
			o[k] = "true"
		}
	}
	return o
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
		fmt.Fprintf(stdout, "supervisord (Lancer %s): run and supervise the programs of a supervisord.conf.\n\nUsage: supervisord [options]\n\nOptions:\n%s", version.Version, fs.FlagUsages())
		return exitOK
	case f.version:
		fmt.Fprintln(stdout, version.SupervisorVersion)
		return exitOK
	case f.test:
		return checkConfig(f.config, stdout, stderr)
	}
	return daemon(ctx, args, &f, stdout, stderr)
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
