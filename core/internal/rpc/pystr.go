package rpc

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lancerhq/lancer/internal/pyrepr"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// pyStr renders a decoded parameter as Python's str() renders the value
// supervisord decoded it to, for the fault details and event payloads
// that format a parameter with %s ("INCORRECT_PARAMETERS: 5",
// "BAD_SIGNAL: 99").
func pyStr(v xmlrpc.Value) string {
	if s, ok := asString(v); ok {
		return s
	}
	return pyRepr(v)
}

// pyRepr renders v as Python's repr() of its decoded value.
func pyRepr(v xmlrpc.Value) string {
	switch v.Kind() {
	case xmlrpc.KindInt:
		n, _ := v.AsInt()
		return strconv.FormatInt(n, 10)
	case xmlrpc.KindBool:
		if b, _ := v.AsBool(); b {
			return "True"
		}
		return "False"
	case xmlrpc.KindDouble:
		f, _ := v.AsDouble()
		return pyrepr.Float(f)
	case xmlrpc.KindDateTime:
		t, _ := v.AsDateTime()
		return t.Format("2006-01-02 15:04:05")
	case xmlrpc.KindArray:
		vs, _ := v.AsArray()
		parts := make([]string, len(vs))
		for i, e := range vs {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case xmlrpc.KindStruct:
		ms, _ := v.AsStruct()
		parts := make([]string, len(ms))
		for i, m := range ms {
			parts[i] = pyrepr.Str(m.Name) + ": " + pyRepr(m.Value)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case xmlrpc.KindNil:
		return "None"
	}
	if s, ok := asString(v); ok {
		return pyrepr.Str(s)
	}
	return fmt.Sprint(v)
}
