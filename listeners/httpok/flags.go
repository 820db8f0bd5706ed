package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/listeners/internal/cli"
	"github.com/spf13/pflag"
)

// usage is printed to stderr for -h (exit 0) and after a command-line
// error (exit 255), as superlance prints its docstring.
const usage = `httpok [-p processname] [-a] [-g gcore_program] [-d coredir]
       [-t timeout] [-c status_code] [-b inbody] [-m mail_address]
       [-s sendmail] [-e | -E] [-n name] [long options] URL

Options:

-p -- a supervisor process name, or group_name:process_name. Restart
      that process if it is in the RUNNING state when the URL returns an
      unexpected result or times out. May be given more than once.

-a -- restart every child of supervisord in the RUNNING state when the
      URL returns an unexpected result or times out (overrides -p).
      This listener's own pool is never restarted.

-g -- the gcore program (default "/usr/bin/gcore -o"). It is given two
      more arguments: a file name and a pid. Run without a shell.

-d -- core directory. If given, the gcore program (-g) writes a core
      file of each hung RUNNING process into it before the restart, and
      its output is added to the mail.

-t -- seconds to wait for a response before giving up (default 10).

-c -- an acceptable HTTP status code (default 200). May be given more
      than once.

-b -- a string the response body must contain. The default is to ignore
      the body.

-s -- the sendmail command that reads a mail (headers and body) on its
      stdin (default "/usr/sbin/sendmail -t -i"). Run without a shell.

-m -- the address to mail to when httpok acts. Without it, no mail.

-e -- "eager": check the URL and mail even if no monitored process is
      in the RUNNING state. The default.

-E -- not "eager": check the URL only if a monitored process is in the
      RUNNING state.

-n -- a name added to the mail subject: "httpok [name]: ...".

Long options (Lancer's, all off by default):

--status RANGE      also accept the status codes in RANGE (200-299, or
                    one code); may be given more than once
--grace DURATION    do not restart a process that started less than
                    DURATION ago (90s, 5m, 1h; a bare number is seconds)
--restart-fatal     also start monitored processes in the FATAL state
--cafile FILE       verify an https URL against the PEM certificates in
                    FILE instead of the system's roots
--insecure          do not verify the https certificate at all
--webhook URL       also post each alert as JSON to URL; repeatable
--alertmanager URL  also send each alert to the Prometheus Alertmanager
                    at URL; repeatable
--alertmanager-resolve DURATION
                    how long an Alertmanager alert fires (default 5m)

URL -- the URL to GET, http:// or https://. It comes last.

A sample invocation:

httpok -p program1 -p group1:program2 http://localhost:8080/tasty
`

// Superlance's defaults.
const (
	defaultTimeout = 10 * time.Second
	defaultGcore   = "/usr/bin/gcore -o"
	defaultStatus  = 200
)

// options are httpok's command line, checked.
type options struct {
	URL          string
	Programs     []string // -p, in order, repeats kept
	Any          bool
	Timeout      time.Duration // -t, whole seconds
	Statuses     statusSet
	Body         string // -b; empty means the body is not checked
	Email        string
	Sendmail     string
	Gcore        []string // -g split into words; empty disables gcore
	Coredir      string
	Eager        bool
	Name         string
	Grace        time.Duration
	RestartFatal bool
	CAFile       string
	Insecure     bool
	Channels     *alert.ChannelFlags
	Mail         *alert.MailFlags // --smtp-*: SMTP instead of -s
}

// errHelp is returned by parseArgs for -h.
var errHelp = errors.New("help requested")

// rawFlags holds flag values before they are checked.
type rawFlags struct {
	help, any    bool
	eager        bool
	timeout      string
	codes        []string
	programs     []string
	gcore, grace string
}

// parseArgs reads args (without the program name) as superlance's
// getopt does: short options hp:at:c:b:s:m:g:d:eEn:, unambiguous prefixes
// of long ones, and the URL as the single argument after the options.
func parseArgs(args []string) (*options, error) {
	o := &options{Sendmail: alert.DefaultSendmail}
	var r rawFlags
	fs := newFlagSet(o, &r)
	expanded, err := cli.Expand(fs, args)
	if err != nil {
		return nil, err
	}
	if err := fs.Parse(expanded); err != nil {
		return nil, err
	}
	if r.help {
		return nil, errHelp
	}
	switch fs.NArg() {
	case 0:
		return nil, errors.New("no URL given")
	case 1:
		o.URL = fs.Arg(0)
	default:
		return nil, fmt.Errorf("one URL expected, got %d arguments: %q", fs.NArg(), fs.Args())
	}
	o.Programs, o.Any, o.Eager = r.programs, r.any, r.eager
	return o, o.check(&r)
}

func newFlagSet(o *options, r *rawFlags) *pflag.FlagSet {
	fs := pflag.NewFlagSet("httpok", pflag.ContinueOnError)
	fs.SetInterspersed(false)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.BoolVarP(&r.help, "help", "h", false, "")
	fs.StringArrayVarP(&r.programs, "program", "p", nil, "")
	fs.BoolVarP(&r.any, "any", "a", false, "")
	fs.StringVarP(&r.timeout, "timeout", "t", "10", "")
	fs.StringArrayVarP(&r.codes, "code", "c", nil, "")
	fs.StringVarP(&o.Body, "body", "b", "", "")
	fs.StringVarP(&o.Sendmail, "sendmail_program", "s", alert.DefaultSendmail, "")
	fs.StringVarP(&o.Email, "email", "m", "", "")
	fs.StringVarP(&r.gcore, "gcore", "g", defaultGcore, "")
	fs.StringVarP(&o.Coredir, "coredir", "d", "", "")
	// -e and -E set one value, so the last of them wins, as in superlance.
	r.eager = true
	fs.VarPF(eagerFlag{&r.eager, true}, "eager", "e", "").NoOptDefVal = "true"
	fs.VarPF(eagerFlag{&r.eager, false}, "not-eager", "E", "").NoOptDefVal = "true"
	fs.StringVarP(&o.Name, "name", "n", "", "")

	fs.Var(&o.Statuses, "status", "")
	fs.StringVar(&r.grace, "grace", "", "")
	fs.BoolVar(&o.RestartFatal, "restart-fatal", false, "")
	fs.StringVar(&o.CAFile, "cafile", "", "")
	fs.BoolVar(&o.Insecure, "insecure", false, "")
	o.Channels = alert.RegisterChannelFlags(fs)
	o.Mail = alert.RegisterMailFlags(fs)
	return fs
}

// check converts and validates what parseArgs stored as text. Superlance
// crashes with a traceback on a bad -t or -c and at the first tick on a
// bad URL scheme; these are usage errors here.
func (o *options) check(r *rawFlags) error {
	t, err := strconv.Atoi(r.timeout)
	if err != nil || t < 1 {
		return fmt.Errorf("-t %q: want a whole number of seconds, at least 1", r.timeout)
	}
	o.Timeout = time.Duration(t) * time.Second
	for _, c := range r.codes {
		n, err := strconv.Atoi(c)
		if err != nil {
			return fmt.Errorf("-c %q: want an HTTP status code", c)
		}
		o.Statuses.codes = append(o.Statuses.codes, n)
	}
	if o.Statuses.empty() {
		o.Statuses.codes = []int{defaultStatus}
	}
	if o.Gcore, err = alert.SplitCommand(r.gcore); err != nil {
		return fmt.Errorf("-g %q: %w", r.gcore, err)
	}
	if r.grace != "" {
		if o.Grace, err = parseGrace(r.grace); err != nil {
			return err
		}
	}
	if o.Insecure && o.CAFile != "" {
		return errors.New("--insecure and --cafile contradict each other")
	}
	return checkURL(o.URL)
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("URL: %w", err)
	}
	if sc := strings.ToLower(u.Scheme); sc != "http" && sc != "https" {
		return fmt.Errorf("URL %q: bad scheme %q, want http or https", s, u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("URL %q: no host", s)
	}
	return nil
}

// parseGrace reads --grace: seconds with memmon's suffixes (30, 30s, 5m,
// 1h, 1d) or a Go duration (1m30s).
func parseGrace(s string) (time.Duration, error) {
	if n, err := cli.ParseSeconds(s); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("--grace %q: want a duration such as 90s, 5m or 1h", s)
	}
	return d, nil
}

// eagerFlag is -e (val true) or -E (val false), both writing *p.
type eagerFlag struct {
	p   *bool
	val bool
}

func (f eagerFlag) Set(s string) error {
	if s != "true" {
		return fmt.Errorf("takes no value")
	}
	*f.p = f.val
	return nil
}

func (f eagerFlag) String() string { return "" }
func (f eagerFlag) Type() string   { return "bool" }
