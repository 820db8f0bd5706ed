package protocol_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/lancerhq/lancer/protocol"
)

// tick5Line is the literal header of supervisor.md §1.2.
const tick5Line = "ver:3.0 server:mysuper serial:31 pool:allev poolserial:31 eventname:TICK_5 len:15"

var tick5Header = protocol.Header{Ver: "3.0", Server: "mysuper", Serial: 31, Pool: "allev",
	PoolSerial: 31, EventName: "TICK_5", Len: 15}

func TestHeaderString(t *testing.T) {
	t.Parallel()
	if got := tick5Header.String(); got != tick5Line {
		t.Errorf("Header.String() = %q; want %q", got, tick5Line)
	}
}

func TestParseHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		line string
		want protocol.Header
	}{
		{"reference", tick5Line, tick5Header},
		{"trailing newline", tick5Line + "\n", tick5Header},
		{"crlf", tick5Line + "\r\n", tick5Header},
		{"any order and spacing", "len:15  eventname:TICK_5\tpoolserial:31 pool:allev serial:31 server:mysuper ver:3.0", tick5Header},
		{"unknown key ignored", tick5Line + " extra:1", tick5Header},
		{"duplicate key keeps last", "len:99 " + tick5Line, tick5Header},
		{"colon in value", "ver:3.0 server:a:b serial:0 pool:p:q poolserial:0 eventname:X len:0",
			protocol.Header{Ver: "3.0", Server: "a:b", Pool: "p:q", EventName: "X"}},
		{"empty values", "ver: server: serial:0 pool: poolserial:0 eventname: len:0", protocol.Header{}},
		{"max serial", "ver:3.0 server:s serial:9223372036854775807 pool:p poolserial:1 eventname:E len:16777216",
			protocol.Header{Ver: "3.0", Server: "s", Serial: 1<<63 - 1, Pool: "p", PoolSerial: 1, EventName: "E", Len: protocol.DefaultMaxPayload}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := protocol.ParseHeader(tc.line)
			if err != nil || got != tc.want {
				t.Errorf("ParseHeader(%q) = %+v, %v; want %+v", tc.line, got, err, tc.want)
			}
		})
	}
}

func TestParseHeaderErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		line string
		key  string
		want error
	}{
		{"empty", "", "ver", protocol.ErrMissingKey},
		{"missing len", strings.TrimSuffix(tick5Line, " len:15"), "len", protocol.ErrMissingKey},
		{"missing poolserial", strings.Replace(tick5Line, " poolserial:31", "", 1), "poolserial", protocol.ErrMissingKey},
		{"token without colon", tick5Line + " junk", "", protocol.ErrBadToken},
		{"non-integer serial", strings.Replace(tick5Line, "serial:31", "serial:x", 1), "serial", protocol.ErrNotInteger},
		{"non-integer poolserial", strings.Replace(tick5Line, "poolserial:31", "poolserial:1.5", 1), "poolserial", protocol.ErrNotInteger},
		{"non-integer len", strings.Replace(tick5Line, "len:15", "len:ten", 1), "len", protocol.ErrBadLen},
		{"empty len", strings.Replace(tick5Line, "len:15", "len:", 1), "len", protocol.ErrBadLen},
		{"negative len", strings.Replace(tick5Line, "len:15", "len:-1", 1), "len", protocol.ErrBadLen},
		{"huge negative len", strings.Replace(tick5Line, "len:15", "len:-99999999999999999999", 1), "len", protocol.ErrBadLen},
		{"len over limit", strings.Replace(tick5Line, "len:15", "len:16777217", 1), "len", protocol.ErrPayloadTooLarge},
		{"len over int64", strings.Replace(tick5Line, "len:15", "len:99999999999999999999", 1), "len", protocol.ErrPayloadTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := protocol.ParseHeader(tc.line)
			if !errors.Is(err, tc.want) {
				t.Fatalf("ParseHeader(%q) error = %v; want %v", tc.line, err, tc.want)
			}
			var he *protocol.HeaderError
			if !errors.As(err, &he) || he.Key != tc.key || he.Line != tc.line {
				t.Errorf("ParseHeader(%q) error = %#v; want *HeaderError{Key: %q}", tc.line, err, tc.key)
			}
		})
	}
}

func TestHeaderErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := protocol.ParseHeader("ver:3.0 server:s serial:1 pool:p poolserial:1 eventname:TICK_5 len:-1")
	const want = `header "ver:3.0 server:s serial:1 pool:p poolserial:1 eventname:TICK_5 len:-1": key len: invalid len: "-1"`
	if err == nil || err.Error() != want {
		t.Errorf("ParseHeader(len:-1) error = %v; want %s", err, want)
	}
}

func TestParseTokens(t *testing.T) {
	t.Parallel()
	tok, err := protocol.ParseTokens(" a:1  b: c:x:y ")
	if err != nil || len(tok) != 3 || tok["a"] != "1" || tok["b"] != "" || tok["c"] != "x:y" {
		t.Errorf("ParseTokens = %v, %v; want map[a:1 b: c:x:y]", tok, err)
	}
	if _, err := protocol.ParseTokens("a:1 b"); !errors.Is(err, protocol.ErrBadToken) {
		t.Errorf("ParseTokens(%q) error = %v; want ErrBadToken", "a:1 b", err)
	}
}
