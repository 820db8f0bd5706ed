package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/lancerhq/lancer/internal/pyrepr"
	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/listeners/internal/cli"
)

// Exit statuses of the command line, superlance's.
const (
	exitUsage = 255 // no arguments, an unknown option or a bad value
	exitHelp  = 0   // -h
)

// superlanceLongs are memmon.py's long options, in getopt's order. Every
// prefix that named one of them unambiguously in superlance still names
// it here, whatever Lancer's options add (see keepPrefixes).
var superlanceLongs = []string{
	"help", "cumulative", "program", "group", "any",
	"sendmail_program", "email", "uptime", "name",
}

// Options is memmon's command line, as parseArgs returns it.
type Options struct {
	Cumulative bool             // -c: a process's RSS includes all its descendants'
	Programs   map[string]Limit // -p name=size or group:name=size
	Groups     map[string]Limit // -g group=size
	Any        *Limit           // -a size: every process
	Sendmail   string           // -s
	Email      string           // -m: no mail when empty
	Uptime     int64            // -u seconds: mail a restart only if the process was up at most this long
	Name       string           // -n: tag in the mail subject

	Policy   Policy              // Lancer's --cycles, --grace, --max-restarts, --per
	Channels *alert.ChannelFlags // Lancer's --webhook, --alertmanager
	Mail     *alert.MailFlags    // Lancer's --smtp-*: SMTP instead of -s
}

// Limit is a memory limit: Bytes, or when Percent is set, that share of
// the memory available to supervisord's programs (see memoryBase).
type Limit struct {
	Bytes   int64
	Percent float64
}

// bytes resolves l against base, the available memory.
func (l Limit) bytes(base int64) int64 {
	if l.Percent == 0 {
		return l.Bytes
	}
	return int64(float64(base) * l.Percent / 100)
}

// relative reports whether any limit in o is a percentage.
func (o *Options) relative() bool {
	for _, m := range []map[string]Limit{o.Programs, o.Groups} {
		for _, l := range m {
			if l.Percent != 0 {
				return true
			}
		}
	}
	return o.Any != nil && o.Any.Percent != 0
}

// errHelp is returned by parseArgs for -h.
var errHelp = errors.New("help requested")

// usageError is a command line memmon refuses: Msg, if any, is printed
// before the usage text, as superlance prints its "Unparseable ..." lines.
type usageError struct{ Msg string }

func (e *usageError) Error() string { return e.Msg }

// parseArgs reads memmon's command line as memmon.py does: getopt with
// its long-option prefixes, options processed in order, the first bad
// value ending the parse, positional arguments ignored. It returns
// errHelp for -h and a *usageError for anything superlance would answer
// with its usage text.
func parseArgs(args []string) (*Options, error) {
	if len(args) == 0 {
		return nil, &usageError{}
	}
	o := &Options{
		Programs: map[string]Limit{},
		Groups:   map[string]Limit{},
		Sendmail: alert.DefaultSendmail,
		Uptime:   math.MaxInt64,
	}
	fs := newFlagSet(o)
	expanded, err := cli.Expand(fs, args)
	if err != nil {
		return nil, &usageError{Msg: "memmon: " + err.Error()}
	}
	typed := typedForms(fs, expanded)
	i := 0
	err = fs.ParseAll(expanded, func(f *pflag.Flag, v string) error {
		form := "--" + f.Name
		if i < len(typed) {
			form = typed[i]
		}
		i++
		return o.set(f, form, v)
	})
	switch {
	case errors.Is(err, errHelp):
		return nil, errHelp
	case errors.As(err, new(*usageError)):
		return nil, err
	case err != nil:
		return nil, &usageError{Msg: "memmon: " + err.Error()}
	}
	if o.Policy.MaxRestarts > 0 && o.Policy.Per == 0 {
		o.Policy.Per = defaultPer
	}
	return o, nil
}

// defaultPer is the window of --max-restarts without --per.
const defaultPer = time.Hour

// newFlagSet declares memmon's options on a new flag set. Values are not
// stored by pflag: parseArgs reads each in order with Options.set, as
// memmon.py's loop over getopt's result does.
func newFlagSet(o *Options) *pflag.FlagSet {
	fs := pflag.NewFlagSet("memmon", pflag.ContinueOnError)
	fs.SetInterspersed(false)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.BoolP("help", "h", false, "")
	fs.BoolP("cumulative", "c", false, "")
	for _, f := range []struct{ long, short string }{
		{"program", "p"}, {"group", "g"}, {"any", "a"}, {"sendmail_program", "s"},
		{"email", "m"}, {"uptime", "u"}, {"name", "n"},
	} {
		fs.StringP(f.long, f.short, "", "")
	}
	for _, long := range []string{"cycles", "grace", "max-restarts", "per"} {
		fs.String(long, "", "")
	}
	o.Channels = alert.RegisterChannelFlags(fs)
	o.Mail = alert.RegisterMailFlags(fs)
	keepPrefixes(fs, superlanceLongs)
	return fs
}

// set applies one option, typed as form (-p, --program), with value v.
func (o *Options) set(f *pflag.Flag, form, v string) error {
	var err error
	switch f.Name {
	case "help", "cumulative":
		if v != "true" { // --cumulative=yes: getopt refuses a value
			return &usageError{Msg: fmt.Sprintf("memmon: option %s must not have an argument", form)}
		}
		if f.Name == "help" {
			return errHelp
		}
		o.Cumulative = true
	case "program":
		err = setNameSize(o.Programs, form, v)
	case "group":
		err = setNameSize(o.Groups, form, v)
	case "any":
		var l Limit
		l, err = parseLimit(form, v)
		o.Any = &l
	case "sendmail_program":
		o.Sendmail = v
	case "email":
		o.Email = v
	case "uptime":
		o.Uptime, err = cli.ParseSeconds(v)
		if err != nil {
			return &usageError{Msg: fmt.Sprintf("Unparseable value for time in %s for %s", pyrepr.Str(v), form)}
		}
	case "name":
		o.Name = v // B5: memmon.py's -p and -g parsing overwrote this variable
	case "cycles":
		o.Policy.Cycles, err = parseCount(form, v)
	case "max-restarts":
		o.Policy.MaxRestarts, err = parseCount(form, v)
	case "grace":
		o.Policy.Grace, err = parseDuration(form, v)
	case "per":
		o.Policy.Per, err = parseDuration(form, v)
	default: // the alert channels' own flags
		if err := f.Value.Set(v); err != nil {
			// Not the value: a webhook URL may hold a token, which the
			// channel's error leaves out.
			return &usageError{Msg: fmt.Sprintf("Unparseable value for %s: %v", pyrepr.Str(form), err)}
		}
	}
	return err
}

// setNameSize parses memmon.py's name=byte_size into m.
func setNameSize(m map[string]Limit, form, v string) error {
	parts := strings.Split(v, "=")
	if len(parts) != 2 {
		return &usageError{Msg: fmt.Sprintf("Unparseable value %s for %s", pyrepr.Str(v), pyrepr.Str(form))}
	}
	l, err := parseLimit(form, parts[1])
	if err != nil {
		return err
	}
	m[parts[0]] = l
	return nil
}

// parseLimit reads a byte_size as superlance does (10000, 10kB, 200MB,
// 1GB), or, beyond superlance, a percentage (25%, 12.5%) of the memory
// available.
func parseLimit(form, v string) (Limit, error) {
	if p, ok := strings.CutSuffix(strings.TrimSpace(v), "%"); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err == nil && f > 0 && f <= 100 {
			return Limit{Percent: f}, nil
		}
	} else if n, err := cli.ParseByteSize(v); err == nil {
		return Limit{Bytes: n}, nil
	}
	return Limit{}, &usageError{Msg: fmt.Sprintf("Unparseable byte_size in %s for %s", pyrepr.Str(v), pyrepr.Str(form))}
}

// parseCount reads a positive integer.
func parseCount(form, v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 {
		return 0, &usageError{Msg: fmt.Sprintf("Unparseable value %s for %s (want a positive integer)", pyrepr.Str(v), pyrepr.Str(form))}
	}
	return n, nil
}

// parseDuration reads seconds as -u does (90, 15m, 2h, 1d) or a Go
// duration (1h30m).
func parseDuration(form, v string) (time.Duration, error) {
	if s, err := cli.ParseSeconds(v); err == nil && s <= math.MaxInt64/int64(time.Second) {
		return time.Duration(s) * time.Second, nil
	}
	if d, err := time.ParseDuration(strings.TrimSpace(v)); err == nil && d >= 0 {
		return d, nil
	}
	return 0, &usageError{Msg: fmt.Sprintf("Unparseable value for time in %s for %s", pyrepr.Str(v), form)}
}

// keepPrefixes makes every prefix that named exactly one of longs among
// longs alone resolve to it again, even where options added since make
// it ambiguous: --c stays --cumulative although --cycles exists, --gr
// stays --group beside --grace, --a stays --any beside --alertmanager.
// A prefix that is itself the full name of another option keeps naming
// that option. Call it once every option is declared.
func keepPrefixes(fs *pflag.FlagSet, longs []string) {
	alias := map[string]string{}
	for _, name := range longs {
		for n := 1; n <= len(name); n++ {
			p := name[:n]
			if fs.Lookup(p) != nil && p != name {
				continue
			}
			if owner, seen := alias[p]; seen && owner != name {
				alias[p] = "" // ambiguous in superlance too
				continue
			}
			alias[p] = name
		}
	}
	fs.SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		if full := alias[name]; full != "" {
			return pflag.NormalizedName(full)
		}
		return pflag.NormalizedName(name)
	})
}

// typedForms returns, for each option in args (as cli.Expand rewrote
// them), the option as written: "-p" for a short one, "--program" for a
// long one, in the order pflag's ParseAll visits them. superlance's
// messages quote the option as given.
func typedForms(fs *pflag.FlagSet, args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || a == "-" || !strings.HasPrefix(a, "-") {
			break
		}
		if long, ok := strings.CutPrefix(a, "--"); ok {
			name, _, hasVal := strings.Cut(long, "=")
			out = append(out, "--"+name)
			if f := fs.Lookup(name); f != nil && !hasVal && f.NoOptDefVal == "" {
				i++
			}
			continue
		}
		for j := 1; j < len(a); j++ {
			out = append(out, "-"+a[j:j+1])
			if f := fs.ShorthandLookup(a[j : j+1]); f != nil && f.NoOptDefVal == "" {
				if j+1 == len(a) {
					i++
				}
				break
			}
		}
	}
	return out
}
