package rpc

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// args are the parameters of one call, read with the conversions the
// reference's Python code applies. The first parameter that does not
// convert sets err (INCORRECT_PARAMETERS); later reads return zero values,
// so a method reads all its parameters and then checks err once. The
// dispatcher has already checked their number.
type args struct {
	vs  []xmlrpc.Value
	err error
}

func (a *args) fail() {
	if a.err == nil {
		a.err = xmlrpc.ErrIncorrectParameters
	}
}

// str reads a string parameter. Base64 passes too: the reference decodes
// it to a string.
func (a *args) str(i int) string {
	s, ok := asString(a.vs[i])
	if !ok {
		a.fail()
	}
	return s
}

// integer reads an integer parameter as Python's int() converts it:
// ints, booleans, doubles (truncated) and numeric strings.
func (a *args) integer(i int) int {
	n, ok := pyInt(a.vs[i])
	if !ok {
		a.fail()
	}
	return n
}

// flag reads an optional boolean parameter such as wait, as Python's
// truth of any value; def when it is left out.
func (a *args) flag(i int, def bool) bool {
	if i >= len(a.vs) {
		return def
	}
	return truth(a.vs[i])
}

func asString(v xmlrpc.Value) (string, bool) {
	if s, ok := v.AsString(); ok {
		return s, true
	}
	if b, ok := v.AsBytes(); ok && utf8.Valid(b) {
		return string(b), true
	}
	return "", false
}

// pyInt converts v as Python's int(v) does, within Go's int.
func pyInt(v xmlrpc.Value) (int, bool) {
	if n, ok := v.AsInt(); ok {
		return int(n), int64(int(n)) == n
	}
	if b, ok := v.AsBool(); ok {
		if b {
			return 1, true
		}
		return 0, true
	}
	if f, ok := v.AsDouble(); ok {
		f = math.Trunc(f)
		if math.IsNaN(f) || f < math.MinInt64 || f >= math.MaxInt64 {
			return 0, false
		}
		return int(f), true
	}
	if s, ok := asString(v); ok {
		return pyAtoi(s)
	}
	return 0, false
}

// pyAtoi parses a base-10 integer literal as int(str) does: surrounding
// whitespace, a sign, and single underscores between digits.
func pyAtoi(s string) (int, bool) {
	s = strings.TrimSpace(s)
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" || digits[0] == '_' || strings.HasSuffix(digits, "_") ||
		strings.Contains(digits, "__") {
		return 0, false
	}
	n, err := strconv.ParseInt(s[:len(s)-len(digits)]+strings.ReplaceAll(digits, "_", ""), 10, 0)
	if err != nil {
		return 0, false
	}
	return int(n), true
}

// truth is Python's truth value of a decoded parameter.
func truth(v xmlrpc.Value) bool {
	switch v.Kind() {
	case xmlrpc.KindInt:
		n, _ := v.AsInt()
		return n != 0
	case xmlrpc.KindBool:
		b, _ := v.AsBool()
		return b
	case xmlrpc.KindDouble:
		f, _ := v.AsDouble()
		return f != 0
	case xmlrpc.KindString, xmlrpc.KindBase64:
		s, _ := asString(v)
		b, _ := v.AsBytes()
		return s != "" || len(b) > 0
	case xmlrpc.KindArray:
		vs, _ := v.AsArray()
		return len(vs) > 0
	case xmlrpc.KindStruct:
		ms, _ := v.AsStruct()
		return len(ms) > 0
	case xmlrpc.KindNil, xmlrpc.KindInvalid:
		return false
	}
	return true // a datetime
}
