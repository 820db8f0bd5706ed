package batch

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/listeners/internal/cli"
	"github.com/lancerhq/lancer/protocol"
)

// Options are the command-line options of the batch listeners,
// superlance's ProcessStateEmailMonitor options (superlance.md §1.4).
type Options struct {
	Interval  float64            // -i: minutes per batch
	To        []string           // -t: recipients, from a comma-separated list
	From      string             // -f
	Subject   string             // -s, or the Kind's default
	SMTPHost  string             // -H: "host" or "host:port"
	TickEvent protocol.EventType // -e: the tick that counts time
	User      string             // -u
	Password  string             // -p
	TLS       bool               // --tls: STARTTLS, with -u and -p only
	// Channels are Lancer's other alert channels (--webhook,
	// --alertmanager), off by default.
	Channels *alert.ChannelFlags
	// HasSubject is false when there is no subject at all (crashsms
	// without -s): no Subject header, "Subject: None" in the log.
	HasSubject bool
}

// intervalDuration is Interval as a duration.
func (o Options) intervalDuration() time.Duration {
	return time.Duration(o.Interval * float64(time.Minute))
}

// maxInterval bounds -i, about 19 years, far from time.Duration's limit.
const maxInterval = 1e7

// ErrHelp is returned by [Parse] for -h or --help.
var ErrHelp = errors.New("help requested")

// ErrMissingAddress is returned by [Parse] when --toEmail or --fromEmail
// is missing; superlance prints its help and exits 1.
var ErrMissingAddress = errors.New("--toEmail and --fromEmail are required")

// UsageError is an option [Parse] cannot read, for which optparse exits 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Parse reads args as superlance's optparse parser does: short options,
// long options and their unambiguous prefixes, with or without "=",
// mixed with positional arguments, which are ignored. The first -h or
// --help wins over anything after it.
func Parse(k Kind, args []string) (Options, error) {
	o := Options{}
	var to, tick string
	fs := pflag.NewFlagSet(k.Name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.BoolP("help", "h", false, "show this help message and exit")
	fs.Float64VarP(&o.Interval, "interval", "i", 1.0, "batch interval in minutes")
	fs.StringVarP(&to, "toEmail", "t", "", "destination email address(es), comma separated")
	fs.StringVarP(&o.From, "fromEmail", "f", "", "source email address")
	fs.StringVarP(&o.Subject, "subject", "s", k.DefaultSubject, "email subject")
	fs.StringVarP(&o.SMTPHost, "smtpHost", "H", "localhost", "SMTP server host[:port]")
	fs.StringVarP(&tick, "tickEvent", "e", string(protocol.Tick60), "TICK event name")
	fs.StringVarP(&o.User, "userName", "u", "", "SMTP user name")
	fs.StringVarP(&o.Password, "password", "p", "", "SMTP password")
	fs.BoolVar(&o.TLS, "tls", false, "STARTTLS (with user name and password)")
	o.Channels = alert.RegisterChannelFlags(fs)
	expanded, err := expandOptparse(fs, args)
	if err != nil {
		return o, err
	}
	if err := fs.Parse(expanded); err != nil {
		return o, &UsageError{err}
	}
	if err := o.finish(fs, to, tick); err != nil {
		return o, err
	}
	o.HasSubject = fs.Changed("subject") || k.DefaultSubject != ""
	return o, nil
}

// finish checks and converts the values Parse read as strings.
func (o *Options) finish(fs *pflag.FlagSet, to, tick string) error {
	if !(o.Interval >= 0 && o.Interval <= maxInterval) {
		return &UsageError{fmt.Errorf("option -i: interval %v is not a number of minutes from 0 to %v", o.Interval, maxInterval)}
	}
	if _, err := TickSeconds(tick); err != nil {
		return &UsageError{fmt.Errorf("option -e: %w", err)}
	}
	o.TickEvent = protocol.EventType(tick)
	o.To = SplitAddresses(to)
	mail := len(o.To) > 0 || o.From != ""
	others := len(o.Channels.Webhooks)+len(o.Channels.Alertmanagers) > 0
	if (mail || !others) && (len(o.To) == 0 || o.From == "") {
		return ErrMissingAddress // mail needs both; without mail, another channel
	}
	return nil
}

// SplitAddresses splits a --toEmail value at commas and trims each
// address, as superlance does, dropping empty ones.
func SplitAddresses(s string) []string {
	var out []string
	for a := range strings.SplitSeq(s, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// TickSeconds returns the period of a tick event name, superlance's
// _get_tick_secs. Unlike superlance, which takes any TICK_<n>, it accepts
// only the ticks supervisord emits: a listener counting TICK_7 would wait
// forever.
func TickSeconds(name string) (int, error) {
	switch protocol.EventType(name) {
	case protocol.Tick5:
		return 5, nil
	case protocol.Tick60:
		return 60, nil
	case protocol.Tick3600:
		return 3600, nil
	}
	return 0, fmt.Errorf("invalid TICK event name: %s (want TICK_5, TICK_60 or TICK_3600)", name)
}

// expandOptparse rewrites long-option prefixes to full names with
// cli.Expand, one option at a time, so that positional arguments may
// come between options as optparse allows. It returns ErrHelp as soon as
// it meets -h or --help, since optparse prints its help at that point.
func expandOptparse(fs *pflag.FlagSet, args []string) ([]string, error) {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...), nil
		}
		if a == "-" || !strings.HasPrefix(a, "-") {
			out = append(out, a)
			continue
		}
		opt, err := cli.Expand(fs, args[i:i+1])
		if errors.Is(err, cli.ErrMissingArgument) && i+1 < len(args) {
			opt, err = cli.Expand(fs, args[i:i+2])
			i++
		}
		if err != nil {
			return nil, &UsageError{err}
		}
		if isHelp(fs, opt[0]) {
			return nil, ErrHelp
		}
		out = append(out, opt...)
	}
	return out, nil
}

// isHelp reports whether the expanded option a asks for help: --help, or
// a cluster of short options in which h comes before any option that
// takes a value.
func isHelp(fs *pflag.FlagSet, a string) bool {
	if a == "--help" {
		return true
	}
	if strings.HasPrefix(a, "--") {
		return false
	}
	for _, c := range a[1:] {
		f := fs.ShorthandLookup(string(c))
		if f == nil || f.Name == "help" {
			return f != nil
		}
		if f.NoOptDefVal == "" {
			return false
		}
	}
	return false
}

// Help is the text -h prints, in optparse's layout, followed by Lancer's
// channel options.
func Help(name string) string {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	alert.RegisterChannelFlags(fs)
	return strings.ReplaceAll(helpText, "{name}", name) +
		"\nLancer's alert channels (long options only; -t and -f become optional\nwhen one is given):\n" +
		fs.FlagUsages()
}

const helpText = `Usage: {name} [options]

Options:
  -h, --help            show this help message and exit
  -i INTERVAL, --interval=INTERVAL
                        batch interval in minutes (defaults to 1 minute)
  -t TO_EMAILS, --toEmail=TO_EMAILS
                        destination email address(es) - comma separated
  -f FROM_EMAIL, --fromEmail=FROM_EMAIL
                        source email address
  -s SUBJECT, --subject=SUBJECT
                        email subject
  -H SMTP_HOST, --smtpHost=SMTP_HOST
                        SMTP server hostname or address, with :port if not 25
  -e EVENTNAME, --tickEvent=EVENTNAME
                        TICK event name (defaults to TICK_60)
  -u SMTP_USER, --userName=SMTP_USER
                        SMTP server user name (defaults to nothing)
  -p SMTP_PASSWORD, --password=SMTP_PASSWORD
                        SMTP server password (defaults to nothing)
  --tls                 use STARTTLS (only with a user name and password)
`
