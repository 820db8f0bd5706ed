package ctl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// Options configure a [Controller].
type Options struct {
	ServerURL string // unix:///path or http://host:port
	Username  string
	Password  string
	// Prompt is the shell prompt without its "> ", "supervisor" by default.
	Prompt string
	// HistoryFile keeps the shell's history between runs; "" keeps none.
	HistoryFile string
	// Interactive makes reload and shutdown ask for confirmation and a
	// 401 answer prompt for credentials; the shell is always interactive.
	Interactive bool

	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Interrupts delivers Ctrl-C (SIGINT): it ends tail -f, maintail -f
	// and fg, and otherwise the command and the shell, as the reference's
	// KeyboardInterrupt does. nil means none arrive.
	Interrupts <-chan os.Signal
	// Dial makes the XML-RPC client; nil means [NewClient].
	Dial Dialer
}

// Controller runs supervisorctl commands against one server at a time
// (open switches). It is used by one goroutine; its commands may use
// more internally.
type Controller struct {
	opts   Options
	out    *lockedWriter
	errOut io.Writer
	client Client // dialled on first use; reset by open and new credentials
	lines  lineReader
	status int
	intr   interrupter

	ctx      context.Context      // of the running shell, for completion
	complete []xmlrpc.ProcessInfo // completion cache, cleared by each command
}

// New returns a Controller with o's defaults filled in.
func New(o Options) *Controller {
	if o.Prompt == "" {
		o.Prompt = "supervisor"
	}
	if o.Dial == nil {
		o.Dial = NewClient
	}
	if o.Stdin == nil {
		o.Stdin = strings.NewReader("")
	}
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	return &Controller{opts: o, out: &lockedWriter{w: o.Stdout}, errOut: o.Stderr, ctx: context.Background()}
}

// ExitStatus is the status the last failing command set (the last error
// wins, as in the reference), 0 if none failed.
func (c *Controller) ExitStatus() int { return c.status }

// lockedWriter serialises writes of the command and of the goroutines
// that stream logs (fg, restart's workers).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// println writes one line of output, as the reference's output does.
func (c *Controller) println(s string) { _, _ = io.WriteString(c.out, s+"\n") }

func (c *Controller) printf(format string, args ...any) { c.println(fmt.Sprintf(format, args...)) }

// api returns the client, dialling it on first use.
func (c *Controller) api() (Client, error) {
	if c.client == nil {
		cl, err := c.opts.Dial(c.opts.ServerURL, c.opts.Username, c.opts.Password)
		if err != nil {
			return nil, &pyError{Class: "ValueError", Msg: err.Error()}
		}
		c.client = cl
	}
	return c.client, nil
}

// upcheck makes sure the server answers with API 3.0 before a command
// (the reference's upcheck). It prints what is wrong and returns false;
// an unexpected error is returned for Exec to print.
func (c *Controller) upcheck(ctx context.Context) (bool, error) {
	cl, err := c.api()
	if err != nil {
		return false, err
	}
	v, err := cl.GetAPIVersion(ctx)
	code, isFault := faultCode(err)
	switch {
	case err == nil && v == apiVersion:
		return true, nil
	case err == nil:
		c.printf("Sorry, this version of supervisorctl expects to talk to a server with API version %s, but the remote version is %s.", apiVersion, v)
		c.status = exitNotVersion
	case isFault && code == xmlrpc.FaultUnknownMethod:
		c.println("Sorry, supervisord responded but did not recognize the supervisor namespace commands that supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] section is enabled in the configuration file (see sample.conf).")
		c.status = exitUnsupported
	case errors.Is(err, syscall.ECONNREFUSED):
		c.printf("%s refused connection", c.opts.ServerURL)
		c.status = exitNoAccess
	case errors.Is(err, syscall.ENOENT):
		c.printf("%s no such file", c.opts.ServerURL)
		c.status = exitNotRunning
	default:
		if !errors.Is(err, xmlrpc.ErrUnauthorized) { // the reference lets a 401 through untouched
			c.status = exitGeneric
		}
		return false, err
	}
	return false, nil
}
