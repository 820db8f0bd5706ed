package main

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/lancerhq/lancer/internal/pyrepr"
)

// flags are supervisorctl's options. They are parsed as the reference's
// getopt does: options stop at the first argument that is not one (so
// "supervisorctl tail -f x" passes -f to tail), long options may be
// abbreviated to a unique prefix, and an option may be given only once.
type flags struct {
	config, serverURL, username, password, history string
	interactive, help                              bool
	set                                            map[string]bool // option names seen
	args                                           []string        // the command and its arguments
}

// option is one command-line option: its short letter, long name, and
// whether it takes a value.
type option struct {
	short    byte
	long     string
	hasValue bool
}

var options = []option{
	{'h', "help", false}, {'?', "", false},
	{'c', "configuration", true}, {'i', "interactive", false},
	{'s', "serverurl", true}, {'u', "username", true},
	{'p', "password", true}, {'r', "history_file", true},
}

// parseFlags parses args. Errors are the reference's messages, for
// "Error: <message>".
func parseFlags(args []string) (*flags, error) {
	f := &flags{set: map[string]bool{}}
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
		if args[0] == "--" {
			args = args[1:]
			break
		}
		var err error
		if strings.HasPrefix(args[0], "--") {
			args, err = f.long(args)
		} else {
			args, err = f.shorts(args)
		}
		if err != nil || f.help {
			return f, err
		}
	}
	f.args = args
	return f, nil
}

// long parses "--name", "--name=value" or "--name value".
func (f *flags) long(args []string) ([]string, error) {
	name, value, hasValue := strings.Cut(args[0][2:], "=")
	args = args[1:]
	opt, err := lookupLong(name)
	if err != nil {
		return nil, err
	}
	display := "--" + opt.long
	switch {
	case opt.hasValue && !hasValue:
		if len(args) == 0 {
			return nil, fmt.Errorf("option %s requires argument", display)
		}
		value, args = args[0], args[1:]
	case !opt.hasValue && hasValue:
		return nil, fmt.Errorf("option %s must not have an argument", display)
	}
	return args, f.apply(opt, display, value)
}

// lookupLong finds the option name abbreviates.
func lookupLong(name string) (option, error) {
	var found []option
	for _, o := range options {
		if o.long == name && o.long != "" {
			return o, nil
		}
		if o.long != "" && strings.HasPrefix(o.long, name) {
			found = append(found, o)
		}
	}
	switch len(found) {
	case 0:
		return option{}, fmt.Errorf("option --%s not recognized", name)
	case 1:
		return found[0], nil
	}
	return option{}, fmt.Errorf("option --%s not a unique prefix", name)
}

// shorts parses a cluster of short options, "-i" or "-is URL" or "-sURL".
func (f *flags) shorts(args []string) ([]string, error) {
	cluster := args[0][1:]
	args = args[1:]
	for cluster != "" {
		ch := cluster[0]
		cluster = cluster[1:]
		var opt option
		for _, o := range options {
			if o.short == ch {
				opt = o
			}
		}
		if opt.short == 0 {
			return nil, fmt.Errorf("option -%c not recognized", ch)
		}
		value := ""
		if opt.hasValue {
			switch {
			case cluster != "":
				value, cluster = cluster, ""
			case len(args) == 0:
				return nil, fmt.Errorf("option -%c requires argument", ch)
			default:
				value, args = args[0], args[1:]
			}
		}
		if err := f.apply(opt, "-"+string(ch), value); err != nil || f.help {
			return args, err
		}
	}
	return args, nil
}

// apply records one option; display is how it was written, for errors.
func (f *flags) apply(o option, display, value string) error {
	if o.short == 'h' || o.short == '?' {
		f.help = true
		return nil
	}
	if o.short == 's' && !isURL(value) {
		return fmt.Errorf("invalid value for %s %s: value %s is not a URL", display, pyrepr.Str(value), pyrepr.Str(value))
	}
	if f.set[o.long] {
		return fmt.Errorf("conflicting command line option '%s'", display)
	}
	f.set[o.long] = true
	switch o.short {
	case 'c':
		f.config = value
	case 'i':
		f.interactive = true
	case 's':
		f.serverURL = value
	case 'u':
		f.username = value
	case 'p':
		f.password = value
	case 'r':
		f.history = value
	}
	return nil
}

// isURL is the reference's check of -s: the value has a scheme and a
// host or path.
func isURL(v string) bool {
	u, err := url.Parse(v)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Path != "" || u.Opaque != "")
}
