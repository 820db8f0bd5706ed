package xmlrpc

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

type inner struct {
	N int `xmlrpc:"n"`
}

type everything struct {
	Bool    bool              `xmlrpc:"bool"`
	Int     int               `xmlrpc:"int"`
	Int8    int8              `xmlrpc:"int8"`
	Uint16  uint16            `xmlrpc:"uint16"`
	Float   float64           `xmlrpc:"float"`
	Float32 float32           `xmlrpc:"float32"`
	Str     string            `xmlrpc:"str"`
	Bytes   []byte            `xmlrpc:"bytes"`
	Time    time.Time         `xmlrpc:"time"`
	Ints    []int             `xmlrpc:"ints"`
	Pair    [2]string         `xmlrpc:"pair"`
	Map     map[string]int    `xmlrpc:"map"`
	Inner   inner             `xmlrpc:"inner"`
	Ptr     *inner            `xmlrpc:"ptr"`
	Any     any               `xmlrpc:"any"`
	Raw     Value             `xmlrpc:"raw"`
	Tail    Tail              `xmlrpc:"tail"`
	UID     OptionalInt       `xmlrpc:"uid"`
	Nested  map[string][]bool `xmlrpc:"nested"`
	Untaged string
	Skipped string `xmlrpc:"-"`
	Omitted string `xmlrpc:"omitted,omitempty"`
	private string
}

func TestMarshalUnmarshalStruct(t *testing.T) {
	t.Parallel()
	want := everything{
		Bool: true, Int: -7, Int8: 100, Uint16: 65535, Float: 2.5, Float32: 0.5, Str: "s",
		Bytes: []byte{0, 1}, Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Ints: []int{1, 2}, Pair: [2]string{"a", "b"}, Map: map[string]int{"x": 1},
		Inner: inner{1}, Ptr: &inner{2}, Any: map[string]any{"k": []any{int64(1), "v"}},
		Raw: Array(Int(3)), Tail: Tail{"d", 4, true}, UID: OptionalInt{0, true},
		Nested: map[string][]bool{"b": {true, false}}, Untaged: "u", Skipped: "s",
	}
	v, err := Marshal(want)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	if _, ok := v.Field("omitted"); ok {
		t.Error("Marshal wrote an empty omitempty field")
	}
	if _, ok := v.Field("Skipped"); ok {
		t.Error(`Marshal wrote an xmlrpc:"-" field`)
	}
	if u, ok := v.Field("Untaged"); !ok || !u.Equal(String("u")) {
		t.Errorf("untagged field = %v, %v; want member named after the Go field", u, ok)
	}
	var got everything
	if err := Unmarshal(v, &got); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	want.Skipped = ""
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Unmarshal(Marshal(x)) =\n%+v\nwant\n%+v", got, want)
	}
}

func TestUnmarshalErrors(t *testing.T) {
	t.Parallel()
	info := func(k string, v Value) Value { return Array(Struct(Member{"name", String("a")}, Member{k, v})) }
	tests := []struct {
		name string
		v    Value
		dst  any
		want string
	}{
		{"field type", Struct(Member{"pid", String("12")}), new(ProcessInfo), `decode field "pid": want int, got string`},
		{"nested path", info("pid", Bool(true)), new([]ProcessInfo), `decode field "[0].pid": want int, got boolean`},
		{"top level", Int(1), new(string), "decode value: want string, got int"},
		{"not a struct", Array(), new(State), "decode value: want struct, got array"},
		{"not an array", Struct(), new([]int), "want array, got struct"},
		{"fixed array length", Array(Int(1)), new([2]int), "want array of 2, got array of 1"},
		{"int8 overflow", Int(300), new(int8), "want int8, got int 300 (out of range)"},
		{"uint negative", Int(-1), new(uint), "want uint, got int -1 (out of range)"},
		{"bool from int", Int(1), new(bool), "want boolean, got int"},
		{"double from string", String("1.5"), new(float64), "want double, got string"},
		{"bytes from int", Int(1), new([]byte), "want base64, got int"},
		{"time from string", String("x"), new(time.Time), "want dateTime.iso8601, got string"},
		{"map key type", Struct(), new(map[int]int), "unsupported destination map[int]int"},
		{"map element", Struct(Member{"a", String("x")}), new(map[string]int), `decode field "a": want int, got string`},
		{"non-empty interface", Int(1), new(error), "unsupported destination error"},
		{"unmarshaler", Struct(Member{"tail", Int(1)}), new(everything), `decode field "tail": want array [string, int, boolean], got int`},
		{"optional int", String("auto"), new(OptionalInt), `decode value: want int or "none", got string`},
		{"zero Value", Value{}, new(any), "decode value: want interface {}, got no value"},
		{"not a pointer", Int(1), 0, "destination int is not a non-nil pointer"},
		{"nil pointer", Int(1), (*int)(nil), "destination *int is not a non-nil pointer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Unmarshal(tt.v, tt.dst)
			if err == nil || err.Error() != tt.want && !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("Unmarshal(%v, %T) = %v; want %q", tt.v, tt.dst, err, tt.want)
			}
		})
	}
}

func TestUnmarshalTypeError(t *testing.T) {
	t.Parallel()
	err := Unmarshal(Struct(Member{"pid", String("x")}), new(ProcessInfo))
	var te *TypeError
	if !errors.As(err, &te) || *te != (TypeError{Path: "pid", Want: "int", Got: "string"}) {
		t.Errorf("Unmarshal error = %#v; want *TypeError{pid, int, string}", err)
	}
}

func TestUnmarshalLenient(t *testing.T) {
	t.Parallel()
	var f float64
	if err := Unmarshal(Int(3), &f); err != nil || f != 3 {
		t.Errorf("Unmarshal(int 3, *float64) = %v, %v; want 3", f, err)
	}
	var b []byte
	if err := Unmarshal(String("log"), &b); err != nil || string(b) != "log" {
		t.Errorf("Unmarshal(string, *[]byte) = %q, %v; want log", b, err)
	}
	p := &inner{N: 5}
	if err := Unmarshal(Nil(), &p); err != nil || p != nil {
		t.Errorf("Unmarshal(nil, **inner) = %v, %v; want nil pointer", p, err)
	}
	var st State
	ignored := Struct(Member{"statecode", Int(1)}, Member{"extra", Array()}, Member{"statename", String("RUNNING")})
	if err := Unmarshal(ignored, &st); err != nil || st != (State{1, "RUNNING"}) {
		t.Errorf("Unmarshal with unknown member = %+v, %v", st, err)
	}
	var n int64
	if err := Unmarshal(Int(math.MaxInt64), &n); err != nil || n != math.MaxInt64 {
		t.Errorf("Unmarshal(max int64) = %d, %v", n, err)
	}
	var x any
	if err := Unmarshal(Struct(Member{"a", Int(1)}), &x); err != nil || !reflect.DeepEqual(x, map[string]any{"a": int64(1)}) {
		t.Errorf("Unmarshal into any = %#v, %v", x, err)
	}
}
