package pyrepr

import "testing"

// The wants are what Python 3.11 prints for repr() of the same values.
func TestStr(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"FAILED", `'FAILED'`},
		{"it's", `"it's"`},
		{`it's "x"`, `'it\'s "x"'`},
		{"a\\b", `'a\\b'`},
		{"tab\tnl\ncr\r", `'tab\tnl\ncr\r'`},
		{"\x00\x1f\x7f", `'\x00\x1f\x7f'`},
		{"\u00a0\u00ad", `'\xa0\xad'`},
		{"h\u00e9llo \u65e5\u672c \U0001F680", "'h\u00e9llo \u65e5\u672c \U0001F680'"},
		{"\u2028", `'\u2028'`},
		{"\U000E0001", `'\U000e0001'`},
		{"", `''`},
		{"\xff", `'\udcff'`},
		{"\ufffd", "'\ufffd'"},
	} {
		if got := Str(tc.in); got != tc.want {
			t.Errorf("Str(%q) = %s; want %s", tc.in, got, tc.want)
		}
	}
	if got := List([]string{"foo", "it's"}); got != `['foo', "it's"]` {
		t.Errorf("List = %s", got)
	}
	if got := List(nil); got != `[]` {
		t.Errorf("List(nil) = %s", got)
	}
	if got := Fault(30, "FAILED"); got != `<Fault 30: 'FAILED'>` {
		t.Errorf("Fault = %s", got)
	}
}

// The wants are Python 3's repr() of the same floats.
func TestFloat(t *testing.T) {
	for f, want := range map[float64]string{
		1: "1.0", 0.1: "0.1", 1e16: "1e+16", 1e-5: "1e-05", 0.0001: "0.0001",
		123456789012345.6: "123456789012345.6", -2.5: "-2.5",
	} {
		if got := Float(f); got != want {
			t.Errorf("Float(%v) = %s; want %s", f, got, want)
		}
	}
}
