package xmlrpc

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/lancerhq/lancer/internal/pyrepr"
)

// Kind is the XML-RPC type of a [Value].
type Kind uint8

// The XML-RPC types. KindInvalid is the kind of the zero Value, which
// holds nothing and cannot be encoded.
const (
	KindInvalid  Kind = iota
	KindNil           // <nil/>, an extension Python accepts with allow_none
	KindInt           // <int>, <i4> or <i8>
	KindBool          // <boolean>
	KindString        // <string> or untyped <value> text
	KindDouble        // <double>
	KindDateTime      // <dateTime.iso8601>
	KindBase64        // <base64>
	KindArray         // <array>
	KindStruct        // <struct>
)

var kindNames = [...]string{
	KindInvalid:  "invalid",
	KindNil:      "nil",
	KindInt:      "int",
	KindBool:     "boolean",
	KindString:   "string",
	KindDouble:   "double",
	KindDateTime: "dateTime.iso8601",
	KindBase64:   "base64",
	KindArray:    "array",
	KindStruct:   "struct",
}

// String returns the XML-RPC element name of the kind, such as "boolean".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Value is one decoded XML-RPC value: the generic representation that
// [DecodeRequest] and [DecodeResponse] produce and that [Unmarshal] maps
// onto Go types. Build values with [Int], [String], [Array], [Struct] and
// the other constructors; the zero Value has [KindInvalid].
//
// A Value is immutable once built: slices returned by its accessors share
// its storage and must not be modified. Values are safe for concurrent
// reads.
type Value struct {
	// v holds one of: nilValue, int64, bool, string, float64, time.Time,
	// []byte, []Value or []Member. An interface keeps a Value at two words,
	// which bounds the memory a decoded message of MaxItems values can use.
	v any
}

// Member is one named member of an XML-RPC struct.
type Member struct {
	Name  string
	Value Value
}

type nilValue struct{}

// Nil returns the XML-RPC nil value (<nil/>). Supervisord neither sends nor
// accepts it; the encoder writes it only when asked to with this value.
func Nil() Value { return Value{nilValue{}} }

// Int returns an XML-RPC integer. Values outside the 32-bit range are
// encoded as <i8>, which Python's xmlrpc.client decodes but supervisord's
// request parser does not.
func Int(n int64) Value { return Value{n} }

// Bool returns an XML-RPC boolean.
func Bool(b bool) Value { return Value{b} }

// String returns an XML-RPC string.
func String(s string) Value { return Value{s} }

// Double returns an XML-RPC double.
func Double(f float64) Value { return Value{f} }

// DateTime returns an XML-RPC dateTime.iso8601. The wire format has
// neither a zone nor sub-second precision, so DateTime keeps t's wall clock
// to the second and drops its location; the result reports the wall clock
// as UTC, which is also how decoded values are returned.
func DateTime(t time.Time) Value {
	return Value{time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)}
}

// Base64 returns an XML-RPC base64 value holding b. b must not be
// modified afterwards.
func Base64(b []byte) Value {
	if b == nil {
		b = []byte{}
	}
	return Value{b}
}

// Array returns an XML-RPC array of vs. vs must not be modified afterwards.
func Array(vs ...Value) Value {
	if vs == nil {
		vs = []Value{}
	}
	return Value{vs}
}

// Struct returns an XML-RPC struct with members in the given order, which is
// the order they are encoded in. ms must not be modified afterwards.
func Struct(ms ...Member) Value {
	if ms == nil {
		ms = []Member{}
	}
	return Value{ms}
}

// Kind reports the XML-RPC type of v.
func (v Value) Kind() Kind {
	switch v.v.(type) {
	case nilValue:
		return KindNil
	case int64:
		return KindInt
	case bool:
		return KindBool
	case string:
		return KindString
	case float64:
		return KindDouble
	case time.Time:
		return KindDateTime
	case []byte:
		return KindBase64
	case []Value:
		return KindArray
	case []Member:
		return KindStruct
	}
	return KindInvalid
}

// AsInt returns the integer in v and whether v is a [KindInt].
func (v Value) AsInt() (int64, bool) { n, ok := v.v.(int64); return n, ok }

// AsBool returns the boolean in v and whether v is a [KindBool].
func (v Value) AsBool() (bool, bool) { b, ok := v.v.(bool); return b, ok }

// AsString returns the string in v and whether v is a [KindString].
func (v Value) AsString() (string, bool) { s, ok := v.v.(string); return s, ok }

// AsDouble returns the float in v and whether v is a [KindDouble].
func (v Value) AsDouble() (float64, bool) { f, ok := v.v.(float64); return f, ok }

// AsDateTime returns the time in v and whether v is a [KindDateTime].
func (v Value) AsDateTime() (time.Time, bool) { t, ok := v.v.(time.Time); return t, ok }

// AsBytes returns the bytes in v and whether v is a [KindBase64].
func (v Value) AsBytes() ([]byte, bool) { b, ok := v.v.([]byte); return b, ok }

// AsArray returns the elements of v and whether v is a [KindArray].
func (v Value) AsArray() ([]Value, bool) { a, ok := v.v.([]Value); return a, ok }

// AsStruct returns the members of v and whether v is a [KindStruct].
func (v Value) AsStruct() ([]Member, bool) { m, ok := v.v.([]Member); return m, ok }

// Field returns the value of the member called name in the struct v. As in
// Python, where a struct becomes a dict, the last of duplicate members wins.
// It reports false if v is not a struct or has no such member.
func (v Value) Field(name string) (Value, bool) {
	ms, _ := v.v.([]Member)
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Name == name {
			return ms[i].Value, true
		}
	}
	return Value{}, false
}

// Interface returns v as a plain Go value: nil, int64, bool, string,
// float64, time.Time, []byte, []any or map[string]any.
func (v Value) Interface() any {
	switch x := v.v.(type) {
	case nilValue:
		return nil
	case []Value:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e.Interface()
		}
		return out
	case []Member:
		out := make(map[string]any, len(x))
		for _, m := range x {
			out[m.Name] = m.Value.Interface()
		}
		return out
	}
	return v.v
}

// Equal reports whether v and w have the same kind and contents. Doubles
// compare by bits, except that all NaNs are equal; struct members compare in
// order.
func (v Value) Equal(w Value) bool {
	switch x := v.v.(type) {
	case float64:
		y, ok := w.v.(float64)
		return ok && (math.Float64bits(x) == math.Float64bits(y) || (x != x && y != y))
	case time.Time:
		y, ok := w.v.(time.Time)
		return ok && x.Equal(y)
	case []byte:
		y, ok := w.v.([]byte)
		return ok && bytes.Equal(x, y)
	case []Value:
		y, ok := w.v.([]Value)
		return ok && equalArrays(x, y)
	case []Member:
		y, ok := w.v.([]Member)
		return ok && equalMembers(x, y)
	}
	return v.Kind() == w.Kind() && v.v == w.v
}

func equalArrays(a, b []Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

func equalMembers(a, b []Member) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || !a[i].Value.Equal(b[i].Value) {
			return false
		}
	}
	return true
}

// String returns a compact, Python-like rendering of v for logs and test
// failures, such as {"name": "web", "pid": 42}.
func (v Value) String() string {
	var b strings.Builder
	v.format(&b)
	return b.String()
}

func (v Value) format(b *strings.Builder) {
	switch x := v.v.(type) {
	case nilValue:
		b.WriteString("nil")
	case string:
		fmt.Fprintf(b, "%q", x)
	case float64:
		b.WriteString(pyrepr.Float(x))
	case time.Time:
		b.WriteString(x.Format(dateTimeLayout))
	case []byte:
		fmt.Fprintf(b, "base64(%q)", x)
	case []Value:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			e.format(b)
		}
		b.WriteByte(']')
	case []Member:
		b.WriteByte('{')
		for i, m := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "%q: ", m.Name)
			m.Value.format(b)
		}
		b.WriteByte('}')
	case nil:
		b.WriteString("<invalid>")
	default:
		fmt.Fprint(b, x)
	}
}
