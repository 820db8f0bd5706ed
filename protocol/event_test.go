package protocol_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lancerhq/lancer/protocol"
)

// deadline runs f and fails the test if it does not return within a few
// seconds: no read in this package may hang on a finite input.
func deadline[T any](t *testing.T, f func() T) T {
	t.Helper()
	ch := make(chan T, 1)
	go func() { ch <- f() }()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("read did not return within 5s")
		panic("unreachable")
	}
}

// referenceStream builds the envelopes of referenceEvents as the daemon
// side writes them.
func referenceStream(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	for i, tc := range referenceEvents {
		ev := protocol.Event{
			Header: protocol.Header{Ver: protocol.Version, Server: "mysuper", Serial: int64(i), Pool: "allev",
				PoolSerial: int64(i), EventName: tc.want.EventType().String(), Len: -1},
			Payload: tc.want.Format(),
		}
		if err := protocol.WriteEvent(&buf, ev); err != nil {
			t.Fatalf("WriteEvent(%v) error: %v", ev.Header, err)
		}
	}
	return buf.Bytes()
}

// TestWriteEventReference checks that WriteEvent reproduces, byte for
// byte, the envelopes Python supervisord was observed writing.
func TestWriteEventReference(t *testing.T) {
	t.Parallel()
	want, err := os.ReadFile("testdata/serve/reference.in")
	if err != nil {
		t.Fatal(err)
	}
	if got := referenceStream(t); !bytes.Equal(got, want) {
		t.Errorf("WriteEvent stream =\n%q\nwant\n%q", got, want)
	}
}

func TestReadEventReference(t *testing.T) {
	t.Parallel()
	r := protocol.NewReader(bytes.NewReader(referenceStream(t)))
	for i, tc := range referenceEvents {
		ev, err := r.ReadEvent()
		if err != nil {
			t.Fatalf("ReadEvent #%d error: %v", i, err)
		}
		if ev.Header.Serial != int64(i) || ev.Header.Len != tc.len || ev.Payload != tc.payload {
			t.Errorf("ReadEvent #%d = %+v; want serial %d len %d payload %q", i, ev, i, tc.len, tc.payload)
		}
		if p, err := ev.Parse(); err != nil || p != tc.want {
			t.Errorf("ReadEvent #%d Parse() = %#v, %v; want %#v", i, p, err, tc.want)
		}
	}
	if _, err := r.ReadEvent(); err != io.EOF {
		t.Errorf("ReadEvent at end = %v; want io.EOF", err)
	}
}

// TestNonASCII shows the len decision: len counts code points, payload
// bytes are preserved, and the reader stops exactly at the payload's end.
func TestNonASCII(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		payload string
		len     int
	}{
		{"reference héllo", "type:t\nhéllo", 12}, // observed: len:12, 13 bytes
		{"emoji", "type:t\n😀😀", 9},
		{"cjk", "type:t\n日本語", 10},
		{"mixed", "type:t\nü€😀x", 11},
		{"replacement char", "type:t\n\uFFFD", 8},
		{"invalid bytes", "type:t\n\xff\xfe", 9},
		{"truncated rune", "type:t\n\xe2\x82", 9},
		{"lone continuation", "type:t\n\x80x", 9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			ev := protocol.Event{Header: protocol.Header{Ver: "3.0", Server: "s", Pool: "p", EventName: "REMOTE_COMMUNICATION"}, Payload: tc.payload}
			if err := protocol.WriteEvent(&buf, ev); err != nil {
				t.Fatal(err)
			}
			want := "ver:3.0 server:s serial:0 pool:p poolserial:0 eventname:REMOTE_COMMUNICATION len:" +
				strconv.Itoa(tc.len) + "\n" + tc.payload
			if buf.String() != want {
				t.Errorf("WriteEvent = %q; want %q", buf.String(), want)
			}
			buf.WriteString("ver:3.0") // the next envelope must stay unread
			br := bufio.NewReader(&buf)
			got, err := protocol.ReadEvent(br)
			if err != nil || got.Payload != tc.payload || got.Header.Len != tc.len {
				t.Errorf("ReadEvent = %+v, %v; want payload %q len %d", got, err, tc.payload, tc.len)
			}
			if rest, _ := io.ReadAll(br); string(rest) != "ver:3.0" {
				t.Errorf("after ReadEvent the stream holds %q; want %q", rest, "ver:3.0")
			}
		})
	}
}

func TestReadEventErrors(t *testing.T) {
	t.Parallel()
	const hdr = "ver:3.0 server:s serial:1 pool:p poolserial:1 eventname:TICK_5 "
	tests := []struct {
		name   string
		in     string
		opts   []protocol.ReaderOption
		want   error
		header bool // the error also carries a *HeaderError
	}{
		{name: "missing key", in: "ver:3.0 server:s serial:1 pool:p eventname:TICK_5 len:0\n", want: protocol.ErrMissingKey, header: true},
		{name: "negative len", in: hdr + "len:-1\n", want: protocol.ErrBadLen, header: true},
		{name: "huge len", in: hdr + "len:99999999999999999999\n", want: protocol.ErrPayloadTooLarge, header: true},
		{name: "len over option", in: hdr + "len:11\nwhen:1795321115", opts: []protocol.ReaderOption{protocol.WithMaxPayload(10)},
			want: protocol.ErrPayloadTooLarge, header: true},
		{name: "non-int serial", in: "ver:3.0 server:s serial:x pool:p poolserial:1 eventname:TICK_5 len:0\n", want: protocol.ErrNotInteger, header: true},
		{name: "token without colon", in: hdr + "len:0 junk\n", want: protocol.ErrBadToken, header: true},
		{name: "short payload", in: hdr + "len:15\nwhen:17953", want: io.ErrUnexpectedEOF},
		{name: "short multibyte payload", in: hdr + "len:3\né\xc3", want: io.ErrUnexpectedEOF},
		{name: "eof mid header", in: "ver:3.0 server:s seri", want: io.ErrUnexpectedEOF},
		{name: "header without payload", in: hdr + "len:1\n", want: io.ErrUnexpectedEOF},
		{name: "line too long", in: strings.Repeat("x", protocol.MaxLineLen+1), want: protocol.ErrLineTooLong},
		{name: "clean eof", in: "", want: io.EOF},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := deadline(t, func() error {
				_, err := protocol.NewReader(strings.NewReader(tc.in), tc.opts...).ReadEvent()
				return err
			})
			if !errors.Is(err, tc.want) {
				t.Fatalf("ReadEvent(%.60q) error = %v; want %v", tc.in, err, tc.want)
			}
			var he *protocol.HeaderError
			if errors.As(err, &he) != tc.header {
				t.Errorf("ReadEvent(%.60q) error = %v; errors.As *HeaderError = %t, want %t", tc.in, err, !tc.header, tc.header)
			}
		})
	}
}

// TestReadEventPipeClosed checks that a writer that stops mid-payload and
// closes yields io.ErrUnexpectedEOF rather than a hang.
func TestReadEventPipeClosed(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	go func() {
		io.WriteString(pw, "ver:3.0 server:s serial:1 pool:p poolserial:1 eventname:TICK_5 len:15\nwhen:")
		pw.Close()
	}()
	err := deadline(t, func() error { _, err := protocol.NewReader(pr).ReadEvent(); return err })
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("ReadEvent(closed pipe) error = %v; want io.ErrUnexpectedEOF", err)
	}
}

func TestWriteEventErrors(t *testing.T) {
	t.Parallel()
	ev := protocol.Event{Header: protocol.Header{Ver: "3.0", Server: "my super", Pool: "p", EventName: "TICK_5"}, Payload: "when:0"}
	var buf bytes.Buffer
	err := protocol.WriteEvent(&buf, ev)
	var he *protocol.HeaderError
	if !errors.Is(err, protocol.ErrBadValue) || !errors.As(err, &he) || he.Key != "server" || buf.Len() != 0 {
		t.Errorf("WriteEvent(server with space) = %v, wrote %q; want *HeaderError{Key: server} wrapping ErrBadValue, nothing written", err, buf.String())
	}
	ev.Header.Server = "s"
	if err := protocol.WriteEvent(errWriter{}, ev); !errors.Is(err, errBroken) {
		t.Errorf("WriteEvent(broken writer) = %v; want errBroken", err)
	}
}

var errBroken = errors.New("broken pipe")

// errWriter fails every write, like a pipe whose reader has exited.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errBroken }
