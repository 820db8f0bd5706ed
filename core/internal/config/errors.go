package config

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
)

// ErrNoConfigFile is returned by [Find] when none of the search paths
// exists.
var ErrNoConfigFile = errors.New("no config file found")

// Error is one problem in a config file: where it is and what is wrong.
// Line is 0 when the problem concerns the whole file (it cannot be read, a
// required section is missing); Section and Option are empty when they do
// not apply.
type Error struct {
	File    string // the file as the operator named it (or as an include glob found it)
	Line    int
	Section string // "program:web"
	Option  string // "stopsignal"
	Err     error
}

// Error formats e as
// `supervisord.conf:14: [program:web] stopsignal: unknown signal "TERMM" (...)`.
func (e *Error) Error() string {
	return location(e.File, e.Line, e.Section, e.Option) + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// ErrorList is the error [Load] and [LoadCtl] return: every problem found,
// in file and line order. errors.As finds its first [*Error].
type ErrorList []*Error

// Error returns one line per problem.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, so that errors.Is and errors.As see them.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Warning is something a config file does that works but is probably not
// what the operator meant: an unknown option (a typo such as autorestrat),
// a deprecated value, an include glob that matches nothing. The reference
// ignores unknown options silently; we load the file and say so.
type Warning struct {
	File    string
	Line    int
	Section string
	Option  string
	Msg     string
}

// String formats w like [Error.Error]:
// `supervisord.conf:12: [program:web] autorestrat: unknown option (ignored)`.
func (w Warning) String() string {
	return location(w.File, w.Line, w.Section, w.Option) + w.Msg
}

func location(file string, line int, section, option string) string {
	var b strings.Builder
	if file != "" {
		b.WriteString(file)
		if line > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(line))
		}
		b.WriteString(": ")
	}
	if section != "" {
		b.WriteString("[" + section + "] ")
	}
	if option != "" {
		b.WriteString(option + ": ")
	}
	return b.String()
}

// maxErrors bounds the problems collected from one load; a file that is
// not a config file at all would otherwise produce one per line.
const maxErrors = 50

// problems collects errors and warnings in the order files were read.
type problems struct {
	order map[string]int // file -> order in which it was read
	errs  []*Error
	warns []Warning
	seen  map[string]bool
}

func (p *problems) fileOrder(file string) int {
	if i, ok := p.order[file]; ok {
		return i
	}
	return len(p.order)
}

// fail records an error unless one was already recorded for the same
// option at the same place: a program with numprocs=8 would otherwise
// report its mistake 8 times, and an option read at two levels (a group's
// priority and its processes') twice.
func (p *problems) fail(at pos, section, option string, err error) {
	e := &Error{File: at.file, Line: at.line, Section: section, Option: option, Err: err}
	key := location(e.File, e.Line, e.Section, e.Option)
	if e.Line == 0 || option == "" {
		key = e.Error()
	}
	if p.dup("E" + key) {
		return
	}
	if len(p.errs) < maxErrors {
		p.errs = append(p.errs, e)
	}
}

func (p *problems) warn(at pos, section, option, msg string) {
	w := Warning{File: at.file, Line: at.line, Section: section, Option: option, Msg: msg}
	if !p.dup("W" + w.String()) {
		p.warns = append(p.warns, w)
	}
}

func (p *problems) dup(key string) bool {
	if p.seen == nil {
		p.seen = make(map[string]bool)
	}
	if p.seen[key] {
		return true
	}
	p.seen[key] = true
	return false
}

// err returns the collected errors sorted by position, or nil.
func (p *problems) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(p.errs, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(p.fileOrder(a.File), p.fileOrder(b.File)), cmp.Compare(a.Line, b.Line))
	})
	return ErrorList(p.errs)
}

// warnings returns the collected warnings sorted by position.
func (p *problems) warnings() []Warning {
	slices.SortStableFunc(p.warns, func(a, b Warning) int {
		return cmp.Or(cmp.Compare(p.fileOrder(a.File), p.fileOrder(b.File)), cmp.Compare(a.Line, b.Line))
	})
	return p.warns
}
