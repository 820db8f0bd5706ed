package xmlrpc

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
)

// TestDirectEncodingMatchesValueTree: AppendResponse writes Go values
// straight to bytes; it must write what converting them with Marshal and
// encoding the Value tree writes, for every kind Marshal handles.
func TestDirectEncodingMatchesValueTree(t *testing.T) {
	t.Parallel()
	type inner struct {
		S    string `xmlrpc:"s"`
		Skip string `xmlrpc:"-"`
		Opt  int    `xmlrpc:"opt,omitempty"`
	}
	type outer struct {
		Name   string         `xmlrpc:"name"`
		N      int8           `xmlrpc:"n"`
		U      uint32         `xmlrpc:"u"`
		Big    int64          `xmlrpc:"big"`
		F      float32        `xmlrpc:"f"`
		B      bool           `xmlrpc:"b"`
		When   time.Time      `xmlrpc:"when"`
		Raw    []byte         `xmlrpc:"raw"`
		Ptr    *inner         `xmlrpc:"ptr"`
		List   []inner        `xmlrpc:"list"`
		Arr    [2]string      `xmlrpc:"arr"`
		Map    map[string]any `xmlrpc:"map"`
		Any    any            `xmlrpc:"any"`
		Val    Value          `xmlrpc:"val"`
		Opt    OptionalInt    `xmlrpc:"opt"`
		Tail   Tail           `xmlrpc:"tail"`
		Escape string         `xmlrpc:"esc<&>"`
	}
	values := []any{
		"plain", "<&>\r\x01 héllo", 42, int64(math.MaxInt32) + 1, -7, uint8(3), 1.5, math.Inf(-1), true,
		time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC), []byte("bytes"), []string{}, []any{1, "a", []int{2}},
		map[string]int{"b": 2, "a": 1}, Nil(), &Fault{Code: 10, String: "BAD_NAME"},
		outer{
			Name: "web", N: -1, U: 7, Big: 1 << 40, F: 0.25, B: true, When: time.Unix(0, 0).UTC(),
			Raw: []byte{0, 1}, Ptr: &inner{S: "p", Opt: 3}, List: []inner{{S: "x"}, {S: "y", Opt: 1}},
			Arr: [2]string{"c", "d"}, Map: map[string]any{"z": 1, "k": []string{"v"}}, Any: "iface",
			Val: Struct(Member{"m", Int(1)}), Opt: OptionalInt{}, Tail: Tail{Data: "d", Offset: 3, Overflow: true},
			Escape: "&",
		},
		[]ProcessInfo{{Name: "a", Group: "a", StateName: "RUNNING", Description: "pid 1, uptime 0:00:01"}},
	}
	for _, v := range values {
		got, err := AppendResponse(nil, v)
		if err != nil {
			t.Errorf("AppendResponse(%#v): %v", v, err)
			continue
		}
		want := treeResponse(t, v)
		if !bytes.Equal(got, want) {
			t.Errorf("AppendResponse(%#v):\n%s\nwant (through the Value tree):\n%s", v, got, want)
		}
	}
}

// treeResponse encodes v the way AppendResponse did before it wrote
// values directly: Marshal, then the encoder's value.
func treeResponse(t *testing.T, v any) []byte {
	t.Helper()
	if f, ok := v.(*Fault); ok {
		b, err := AppendFault(nil, f)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	val, err := Marshal(v)
	if err != nil {
		t.Fatalf("Marshal(%#v): %v", v, err)
	}
	e := encoder{}
	e.str(xmlHeader + "<methodResponse>\n<params>\n<param>\n")
	e.value(val)
	e.str("</param>\n</params>\n</methodResponse>\n")
	return e.buf
}

// TestDirectEncodingErrors: a value Marshal refuses gets Marshal's error,
// naming where it is, and nothing is appended.
func TestDirectEncodingErrors(t *testing.T) {
	t.Parallel()
	var nilPtr *int
	type withChan struct {
		C chan int `xmlrpc:"c"`
	}
	for _, tc := range []struct {
		v    any
		want string
	}{
		{nil, "nil value"},
		{nilPtr, "nil *int"},
		{[]any{1, nilPtr}, "[1]: nil *int"},
		{withChan{}, `field "c": unsupported type chan int`},
		{map[string]any{"k": nil}, `member "k"`},
		{uint64(math.MaxUint64), "overflows int64"},
		{Value{}, "invalid (zero) Value"},
	} {
		dst := []byte("kept")
		got, err := AppendResponse(dst, tc.v)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "encode response: ") {
			t.Errorf("AppendResponse(%#v) error = %v; want encode response: ...%s", tc.v, err, tc.want)
		}
		if string(got) != "kept" {
			t.Errorf("AppendResponse(%#v) appended %q after failing", tc.v, got)
		}
	}
}
