package xmlrpc

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/pyrepr"
)

// roundTripValues covers every kind, with edge cases of each.
var roundTripValues = []struct {
	name string
	v    Value
}{
	{"int zero", Int(0)},
	{"int min32", Int(math.MinInt32)},
	{"int max32", Int(math.MaxInt32)},
	{"i8 big", Int(math.MaxInt64)},
	{"i8 small", Int(math.MinInt64)},
	{"true", Bool(true)},
	{"false", Bool(false)},
	{"empty string", String("")},
	{"spaces", String("  \t\n ")},
	{"markup", String(`<a href="x">&amp;</a> ]]>`)},
	{"CR kept", String("a\r\nb\r")},
	{"unicode", String("café 日本 🎉 \u2028 \uFFFD")},
	{"double", Double(3.14159)},
	{"negative zero", Double(math.Copysign(0, -1))},
	{"tiny", Double(5e-324)},
	{"huge", Double(math.MaxFloat64)},
	{"inf", Double(math.Inf(1))},
	{"minus inf", Double(math.Inf(-1))},
	{"nan", Double(math.NaN())},
	{"dateTime", DateTime(time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC))},
	{"dateTime year 1", DateTime(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC))},
	{"base64 empty", Base64(nil)},
	{"base64 binary", Base64([]byte("\x00\xff\x80 long enough to wrap over the 76 character line limit of Python"))},
	{"nil", Nil()},
	{"empty array", Array()},
	{"empty struct", Struct()},
	{"mixed array", Array(Int(1), String("a"), Nil(), Array(Bool(true)), Struct(Member{"k", Double(1)}))},
	{"struct", Struct(Member{"name", String("web")}, Member{"", Int(1)}, Member{"a&b", Array()})},
	{"duplicate members", Struct(Member{"a", Int(1)}, Member{"a", Int(2)})},
}

func TestValueRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tt := range roundTripValues {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var resp bytes.Buffer
			if err := EncodeResponse(&resp, tt.v); err != nil {
				t.Fatalf("EncodeResponse(%v): %v", tt.v, err)
			}
			got, err := DecodeResponse(&resp, Limits{})
			if err != nil || !got.Equal(tt.v) {
				t.Errorf("response round trip of %v = %v, %v", tt.v, got, err)
			}
			var req bytes.Buffer
			if err := EncodeRequest(&req, "a.b", tt.v, tt.v); err != nil {
				t.Fatalf("EncodeRequest(%v): %v", tt.v, err)
			}
			method, params, err := DecodeRequest(&req, Limits{})
			if err != nil || method != "a.b" || len(params) != 2 || !params[0].Equal(tt.v) || !params[1].Equal(tt.v) {
				t.Errorf("request round trip of %v = %q %v, %v", tt.v, method, params, err)
			}
		})
	}
}

func TestEncodeText(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"<&>\"'", "&lt;&amp;&gt;\"'"},
		{"a\rb", "a&#13;b"},
		{"esc\x1b[0m nul\x00 tab\t", "esc\uFFFD[0m nul\uFFFD tab\t"},
		{"bad utf8 \xff\xfe", "bad utf8 \uFFFD\uFFFD"},
		{"surrogate \xed\xa0\x80", "surrogate \uFFFD\uFFFD\uFFFD"},
		{"nonchars \uFFFE\uFFFF", "nonchars \uFFFD\uFFFD"},
		{"é", "é"},
	}
	for _, tt := range tests {
		var e encoder
		e.text(tt.in)
		if got := string(e.buf); got != tt.want {
			t.Errorf("text(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatDouble(t *testing.T) {
	t.Parallel()
	// Expected strings are Python's repr() of the same floats.
	tests := []struct {
		f    float64
		want string
	}{
		{0, "0.0"}, {1, "1.0"}, {-1.5, "-1.5"}, {100, "100.0"}, {0.1, "0.1"},
		{1e15, "1000000000000000.0"}, {2.5e15, "2500000000000000.0"}, {1e16, "1e+16"},
		{1.5e16, "1.5e+16"}, {0.0001, "0.0001"}, {0.00001, "1e-05"}, {-1.5e-10, "-1.5e-10"},
		{1234.5678, "1234.5678"}, {1.7976931348623157e308, "1.7976931348623157e+308"},
		{5e-324, "5e-324"}, {math.Copysign(0, -1), "-0.0"},
	}
	for _, tt := range tests {
		if got := pyrepr.Float(tt.f); got != tt.want {
			t.Errorf("pyrepr.Float(%g) = %q; want %q", tt.f, got, tt.want)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	t.Parallel()
	var nilPtr *int
	tests := []struct {
		name  string
		param any
		want  string
	}{
		{"nil", nil, "nil value (use xmlrpc.Nil"},
		{"nil pointer", nilPtr, "nil *int"},
		{"invalid Value", Value{}, "invalid (zero) Value"},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "year 10000 outside"},
		{"channel", make(chan int), "unsupported type chan int"},
		{"int map", map[int]string{1: "a"}, "unsupported map key type int"},
		{"uint64 overflow", uint64(math.MaxUint64), "overflows int64"},
		{"nested", []any{1, map[string]any{"k": nil}}, `param 0: [1]: member "k": nil interface {}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			err := EncodeRequest(&b, "a.b", tt.param)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("EncodeRequest(%#v) error = %v; want it to contain %q", tt.param, err, tt.want)
			}
			if b.Len() != 0 {
				t.Errorf("EncodeRequest wrote %d bytes despite the error", b.Len())
			}
		})
	}
}

func TestValueAccessors(t *testing.T) {
	t.Parallel()
	s := Struct(Member{"a", Int(1)}, Member{"b", String("x")}, Member{"a", Int(2)})
	if v, ok := s.Field("a"); !ok || !v.Equal(Int(2)) {
		t.Errorf("Field(a) = %v, %v; want the last member, 2", v, ok)
	}
	if _, ok := s.Field("z"); ok {
		t.Error("Field(z) found a missing member")
	}
	if _, ok := Int(1).Field("a"); ok {
		t.Error("Field on an int found a member")
	}
	if Int(1).Equal(Double(1)) || Int(1).Equal(String("1")) || Array(Int(1)).Equal(Array()) ||
		Struct(Member{"a", Int(1)}).Equal(Struct(Member{"b", Int(1)})) || (Value{}).Equal(Nil()) {
		t.Error("Equal confused values of different kinds or contents")
	}
	want := `{"a": 1, "b": "x", "a": 2}`
	if got := s.String(); got != want {
		t.Errorf("String() = %s; want %s", got, want)
	}
	in := Array(Nil(), Int(1), Struct(Member{"k", Bool(true)})).Interface()
	arr, ok := in.([]any)
	if !ok || len(arr) != 3 || arr[0] != nil || arr[1] != int64(1) {
		t.Errorf("Interface() = %#v", in)
	}
	for k := KindInvalid; k <= KindStruct+1; k++ {
		if k.String() == "" {
			t.Errorf("Kind(%d).String() is empty", k)
		}
	}
}
