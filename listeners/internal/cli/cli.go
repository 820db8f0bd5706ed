// Package cli parses superlance's command lines: getopt's long-option
// prefixes on top of pflag, and the value syntaxes (byte sizes, seconds)
// its listeners accept.
package cli

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// ErrUnknownOption and ErrAmbiguousOption are returned by Expand.
var (
	ErrUnknownOption   = errors.New("not recognized")
	ErrAmbiguousOption = errors.New("not a unique prefix")
	ErrMissingArgument = errors.New("requires argument")
)

// Expand rewrites args as Python's getopt.getopt reads them, for pflag
// to parse with SetInterspersed(false): a long option may be given as any
// unambiguous prefix of its name (--sendmail for --sendmail_program), and
// parsing stops at the first argument that is not an option, or after
// "--". What follows is returned unchanged.
func Expand(fs *pflag.FlagSet, args []string) ([]string, error) {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--" || a == "-" || !strings.HasPrefix(a, "-"):
			return append(out, args[i:]...), nil
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			f, err := lookupLong(fs, name)
			if err != nil {
				return nil, err
			}
			if hasVal {
				out = append(out, "--"+f.Name+"="+val)
				continue
			}
			out = append(out, "--"+f.Name)
			if takesArg(f) {
				if i+1 >= len(args) {
					return nil, fmt.Errorf("option --%s %w", f.Name, ErrMissingArgument)
				}
				i++
				out = append(out, args[i])
			}
		default:
			n, err := shortCluster(fs, args, i)
			if err != nil {
				return nil, err
			}
			out = append(out, args[i:i+n]...)
			i += n - 1
		}
	}
	return out, nil
}

// shortCluster returns how many arguments the cluster of short options
// at args[i] (such as -cp foo=1MB) spans: 1, or 2 when its last option
// takes the next argument as its value.
func shortCluster(fs *pflag.FlagSet, args []string, i int) (int, error) {
	s := args[i][1:]
	for j := 0; j < len(s); j++ {
		f := fs.ShorthandLookup(s[j : j+1])
		if f == nil {
			return 0, fmt.Errorf("option -%c %w", s[j], ErrUnknownOption)
		}
		if !takesArg(f) {
			continue
		}
		if j+1 < len(s) {
			return 1, nil
		}
		if i+1 >= len(args) {
			return 0, fmt.Errorf("option -%c %w", s[j], ErrMissingArgument)
		}
		return 2, nil
	}
	return 1, nil
}

// lookupLong finds the flag whose name is name, or else the only one
// name is a prefix of.
func lookupLong(fs *pflag.FlagSet, name string) (*pflag.Flag, error) {
	if f := fs.Lookup(name); f != nil {
		return f, nil
	}
	var hits []*pflag.Flag
	fs.VisitAll(func(f *pflag.Flag) {
		if name != "" && strings.HasPrefix(f.Name, name) {
			hits = append(hits, f)
		}
	})
	switch len(hits) {
	case 0:
		return nil, fmt.Errorf("option --%s %w", name, ErrUnknownOption)
	case 1:
		return hits[0], nil
	}
	names := make([]string, len(hits))
	for i, f := range hits {
		names[i] = "--" + f.Name
	}
	sort.Strings(names)
	return nil, fmt.Errorf("option --%s %w (%s)", name, ErrAmbiguousOption, strings.Join(names, ", "))
}

// takesArg reports whether f needs a value (pflag's booleans and flags
// with a NoOptDefVal do not).
func takesArg(f *pflag.Flag) bool { return f.NoOptDefVal == "" }

var sizeSuffixes = []struct {
	suffix string
	mult   int64
}{{"kb", 1 << 10}, {"mb", 1 << 20}, {"gb", 1 << 30}}

// ParseByteSize reads a size as supervisor's byte_size does: an integer
// of bytes, or an integer followed by kb, mb or gb in any case (powers of
// 1024). 1.5GB and 200M are refused, as they are by superlance.
func ParseByteSize(s string) (int64, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, sf := range sizeSuffixes {
		if n, ok := strings.CutSuffix(v, sf.suffix); ok {
			v, mult = n, sf.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("invalid byte size %q", s)
	}
	return n * mult, nil
}

var secondSuffixes = map[byte]int64{'s': 1, 'm': 60, 'h': 3600, 'd': 86400}

// ParseSeconds reads memmon's -u uptime: an integer of seconds, or an
// integer followed by s, m, h or d.
func ParseSeconds(s string) (int64, error) {
	v := strings.TrimSpace(s)
	mult := int64(1)
	if v != "" {
		if m, ok := secondSuffixes[v[len(v)-1]]; ok {
			v, mult = v[:len(v)-1], m
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("invalid time %q", s)
	}
	return n * mult, nil
}
