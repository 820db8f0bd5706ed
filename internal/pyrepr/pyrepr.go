// Package pyrepr formats values as Python 3's repr does. supervisord,
// supervisorctl and superlance write reprs into messages that operators
// and scripts match on ("<Fault 30: 'FAILED'>", "['foo', 'bar']"), so
// every part of Lancer that reproduces one of those messages uses this.
package pyrepr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Str is the repr of a str: single quotes unless s holds a single quote
// and no double quote, backslash escapes for the quote, the backslash,
// \t \n \r and the characters Python does not print (\xhh, \uhhhh,
// \Uhhhhhhhh); a byte that is not UTF-8 shows as Python's surrogate
// escape of it (\udcff).
func Str(s string) string {
	quote := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(quote)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			// A byte that is not UTF-8, as Python decodes argv, the
			// environment and file names: a surrogate escape.
			fmt.Fprintf(&b, `\udc%02x`, s[i-1])
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case unicode.IsPrint(r) || r == ' ':
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// List is the repr of a list of str.
func List(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = Str(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// Fault is the repr of an xmlrpc.client.Fault: <Fault 30: 'FAILED'>.
func Fault(code int, text string) string {
	return fmt.Sprintf("<Fault %d: %s>", code, Str(text))
}

// Float is the repr of a float, which xmlrpc.client also writes into a
// <double>: the shortest digits that round-trip, positional with a
// trailing ".0" for decimal exponents -4..15 and scientific otherwise
// ("1e+16", "1e-05"), and "inf", "-inf" and "nan".
func Float(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	sci := strconv.FormatFloat(f, 'e', -1, 64)
	exp, err := strconv.Atoi(sci[strings.IndexByte(sci, 'e')+1:])
	if err != nil || exp < -4 || exp >= 16 {
		return sci
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}
