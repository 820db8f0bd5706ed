package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/ctl"
	"github.com/lancerhq/lancer/internal/version"
)

// exitUsage is the status of a command-line or config file error.
const exitUsage = 2

// run is supervisorctl's body: it parses args, reads the config file and
// runs one command or the shell, returning the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f, err := parseFlags(args)
	if err != nil {
		return usageError(stderr, err.Error())
	}
	if f.help {
		fmt.Fprintf(stdout, helpText, version.Version)
		return 0
	}
	opts, err := loadOptions(f)
	if err != nil {
		return usageError(stderr, err.Error())
	}
	intr := make(chan os.Signal, 1)
	signal.Notify(intr, os.Interrupt)
	defer signal.Stop(intr)
	opts.Stdin, opts.Stdout, opts.Stderr, opts.Interrupts = stdin, stdout, stderr, intr
	c := ctl.New(opts)
	if len(f.args) > 0 {
		c.Exec(ctx, strings.Join(f.args, " "))
		return c.ExitStatus()
	}
	c.Shell(ctx)
	return 0 // the reference's shell always exits 0
}

// loadOptions reads the [supervisorctl] section of the config file (-c,
// or the first found where the reference looks; none is fine) and lets
// the command line override it.
func loadOptions(f *flags) (ctl.Options, error) {
	path := f.config
	if path == "" {
		exe, err := os.Executable()
		if err != nil {
			exe = os.Args[0]
		}
		path, _ = config.Find(config.SearchPaths(exe)) // "" when none exists
	}
	c, err := config.LoadCtl(path, config.Options{})
	if errors.Is(err, fs.ErrNotExist) {
		return ctl.Options{}, fmt.Errorf("could not find config file %s", path)
	}
	if err != nil {
		return ctl.Options{}, err
	}
	o := ctl.Options{ServerURL: c.ServerURL, Username: c.Username, Password: c.Password,
		Prompt: c.Prompt, HistoryFile: c.HistoryFile, Interactive: f.interactive || len(f.args) == 0}
	for _, ov := range []struct {
		set bool
		dst *string
		val string
	}{
		{f.set["serverurl"], &o.ServerURL, f.serverURL}, {f.set["username"], &o.Username, f.username},
		{f.set["password"], &o.Password, f.password}, {f.set["history_file"], &o.HistoryFile, f.history},
	} {
		if ov.set {
			*ov.dst = ov.val
		}
	}
	return o, nil
}

func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "Error: %s\nFor help, use supervisorctl -h\n", msg)
	return exitUsage
}

const helpText = `supervisorctl (Lancer %s): control the programs a supervisord runs.

Usage: supervisorctl [options] [command [arguments]]

Options:
  -c, --configuration FILE  config file whose [supervisorctl] section to read
                            (searched for where supervisord looks if not given)
  -s, --serverurl URL       the server: unix:///path/to.sock or http://host:port
                            (default http://localhost:9001)
  -u, --username USER       user name for the server's authentication
  -p, --password PASSWORD   password for the server's authentication
  -r, --history_file FILE   keep the shell's command history in FILE
  -i, --interactive         ask before reload and shutdown, and ask for
                            credentials when the server wants them
  -h, --help                print this help and exit

With a command, supervisorctl runs it and exits with its status; without
one it starts an interactive shell. "supervisorctl help" lists the commands.
`
