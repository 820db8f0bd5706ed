package main

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// superlance writes Python reprs into its stderr lines and mail, and
// operators grep for them: "Restarting selected processes ['foo',
// 'bar']", "Failed to stop process foo: <Fault 30: 'FAILED'>". These
// helpers reproduce the ones httpok prints.

// pyList formats ss as Python 3's repr of a list of str.
func pyList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = pyStr(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// pyStr formats s as Python 3's repr of a str: single quotes unless s
// holds a single quote and no double quote, backslash escapes for the
// quote, backslash, \t \n \r and other unprintable characters.
func pyStr(s string) string {
	quote := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == unicode.ReplacementChar || unicode.IsPrint(r) || r == ' ':
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

// rpcErrText formats an error of a supervisord call as superlance's
// message does: a fault as xmlrpclib's repr, <Fault 30: 'FAILED'>, and
// anything else (which superlance does not catch and dies of) by its
// text.
func rpcErrText(err error) string {
	var f *xmlrpc.Fault
	if errors.As(err, &f) {
		return fmt.Sprintf("<Fault %d: %s>", f.Code, pyStr(f.String))
	}
	return err.Error()
}
