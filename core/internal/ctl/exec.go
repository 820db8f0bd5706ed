package ctl

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// command is one supervisorctl command: run gets the text after the
// command name, trimmed, and returns stop to end the shell, or an
// unexpected error for Exec to print.
type command func(c *Controller, ctx context.Context, arg string) (stop bool, err error)

// commands is the command table. help texts live in helpTexts.
var commands = map[string]command{
	"add": (*Controller).add, "avail": (*Controller).avail, "clear": (*Controller).clear,
	"EOF": (*Controller).quit, "exit": (*Controller).quit, "fg": (*Controller).fg,
	"help": (*Controller).help, "maintail": (*Controller).maintail, "open": (*Controller).open,
	"pid": (*Controller).pid, "quit": (*Controller).quit, "reload": (*Controller).reload,
	"remove": (*Controller).remove, "reread": (*Controller).reread, "restart": (*Controller).restart,
	"shutdown": (*Controller).shutdown, "signal": (*Controller).signal, "start": (*Controller).start,
	"status": (*Controller).statusCmd, "stop": (*Controller).stop, "tail": (*Controller).tail,
	"update": (*Controller).update, "version": (*Controller).version,
}

// parseLine splits a command line as Python's cmd module does: "?" is
// help, the command is the leading run of letters, digits and "_", and
// the argument is the rest, trimmed. ok is false for a line no command
// can run ("!shell", or one that starts with a symbol).
func parseLine(line string) (name, arg, trimmed string, ok bool) {
	line = strings.TrimSpace(line)
	if strings.HasPrefix(line, "?") {
		line = "help " + line[1:]
	}
	i := strings.IndexFunc(line, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	if i < 0 {
		i = len(line)
	}
	if i == 0 {
		return "", "", line, false
	}
	return line[:i], strings.TrimSpace(line[i:]), line, true
}

// Exec runs one command line, as the reference's onecmd does, and
// reports whether the shell should end (quit, exit, EOF, Ctrl-C). The
// exit status is in [Controller.ExitStatus].
func (c *Controller) Exec(ctx context.Context, line string) (stop bool) {
	name, arg, line, ok := parseLine(line)
	if line == "" {
		return false
	}
	c.complete = nil
	run := commands[name]
	if !ok || run == nil {
		c.printf("*** Unknown syntax: %s", line)
		c.status = exitGeneric
		return false
	}
	cctx, done := c.interruptible(ctx)
	stop, err := run(c, cctx, arg)
	interrupted := errors.Is(context.Cause(cctx), errInterrupted)
	done()
	switch {
	case interrupted && err != nil:
		c.println("")
		c.status = exitInterrupted
		return true
	case errors.Is(err, xmlrpc.ErrUnauthorized):
		return c.unauthorized(ctx, line, err)
	case err != nil:
		c.println("error: " + describe(err))
		c.status = exitGeneric
	}
	return stop
}

// unauthorized handles an HTTP 401: the shell asks for credentials and
// runs the line again; a single command reports it and fails.
func (c *Controller) unauthorized(ctx context.Context, line string, err error) bool {
	c.println("Server requires authentication")
	if !c.opts.Interactive {
		c.println("error: " + describe(err))
		c.status = exitGeneric
		return false
	}
	user, uerr := c.reader().readLine(ctx, "Username:")
	pass, perr := c.reader().readPassword("Password:")
	if uerr != nil || perr != nil {
		c.println("error: " + describe(errEOF))
		c.status = exitGeneric
		return false
	}
	c.println("")
	c.opts.Username, c.opts.Password = user, pass
	c.client = nil
	return c.Exec(ctx, line)
}

// interruptible returns a context that Ctrl-C cancels with cause
// errInterrupted, until done is called. A Ctrl-C while no context is
// waiting (between commands) is dropped.
func (c *Controller) interruptible(ctx context.Context) (context.Context, func()) {
	if c.opts.Interrupts == nil {
		return ctx, func() {}
	}
	c.intr.once.Do(func() { go c.intr.forward(c.opts.Interrupts) })
	ctx, cancel := context.WithCancelCause(ctx)
	c.intr.set(cancel)
	return ctx, func() { c.intr.set(nil); cancel(nil) }
}

// interrupter passes each Ctrl-C to the context of the running command
// or prompt, from one goroutine that lives as long as the Controller.
type interrupter struct {
	once   sync.Once
	mu     sync.Mutex
	cancel context.CancelCauseFunc // nil between commands
}

func (in *interrupter) set(cancel context.CancelCauseFunc) {
	in.mu.Lock()
	in.cancel = cancel
	in.mu.Unlock()
}

func (in *interrupter) forward(signals <-chan os.Signal) {
	for range signals {
		in.mu.Lock()
		if in.cancel != nil {
			in.cancel(errInterrupted)
		}
		in.mu.Unlock()
	}
}

// quit ends the shell (quit, exit and EOF), printing an empty line.
func (c *Controller) quit(context.Context, string) (bool, error) {
	c.println("")
	return true, nil
}
