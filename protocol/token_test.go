package protocol_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/lancerhq/lancer/protocol"
)

func TestWriteTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		write func(io.Writer) error
		want  string
	}{
		{"ready", protocol.WriteReady, "READY\n"},
		{"ok", protocol.WriteOK, "RESULT 2\nOK"},
		{"fail", protocol.WriteFail, "RESULT 4\nFAIL"},
		{"empty", func(w io.Writer) error { return protocol.WriteResult(w, "") }, "RESULT 0\n"},
		{"bytes not runes", func(w io.Writer) error { return protocol.WriteResult(w, "é") }, "RESULT 2\né"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			bw := bufio.NewWriter(&out) // must be flushed by the writer itself
			if err := tc.write(bw); err != nil || out.String() != tc.want {
				t.Errorf("wrote %q, %v; want %q, nil", out.String(), err, tc.want)
			}
			if err := tc.write(errWriter{}); !errors.Is(err, errBroken) {
				t.Errorf("write to broken writer = %v; want errBroken", err)
			}
		})
	}
}

// TestDaemonSide walks a listener's stdout as the daemon reads it,
// including result and READY in one write (supervisor.md §1.3 step 6).
func TestDaemonSide(t *testing.T) {
	t.Parallel()
	r := protocol.NewReader(strings.NewReader("READY\nRESULT 2\nOKREADY\nRESULT 4\nFAILREADY\nRESULT 0\nREADY\n"))
	steps := []struct {
		ready bool   // expect READY, else a result
		body  string // the expected result body
	}{{ready: true}, {body: "OK"}, {ready: true}, {body: "FAIL"}, {ready: true}, {body: ""}, {ready: true}}
	for i, st := range steps {
		if st.ready {
			if err := r.ReadReady(); err != nil {
				t.Fatalf("step %d: ReadReady() = %v", i, err)
			}
			continue
		}
		got, err := r.ReadResult()
		if err != nil || got != st.body {
			t.Fatalf("step %d: ReadResult() = %q, %v; want %q", i, got, err, st.body)
		}
	}
	if err := r.ReadReady(); err != io.EOF {
		t.Errorf("ReadReady() at end = %v; want io.EOF", err)
	}
	if _, err := r.ReadResult(); err != io.EOF {
		t.Errorf("ReadResult() at end = %v; want io.EOF", err)
	}
}

func TestReadReadyErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want error
	}{
		{"READYX", protocol.ErrNotReady},
		{"HELLO\n", protocol.ErrNotReady},
		{"RESULT 2\nOK", protocol.ErrNotReady},
		{"ready\n", protocol.ErrNotReady},
		{"REA", io.ErrUnexpectedEOF},
		{"", io.EOF},
	}
	for _, tc := range tests {
		err := deadline(t, func() error { return protocol.ReadReady(bufio.NewReader(strings.NewReader(tc.in))) })
		if !errors.Is(err, tc.want) {
			t.Errorf("ReadReady(%q) = %v; want %v", tc.in, err, tc.want)
		}
	}
}

// TestFailFast checks that a wrong byte is reported at once, without
// waiting for a newline or more input that never comes.
func TestFailFast(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		read func(*protocol.Reader) error
		want string
	}{
		{"ready", "X", (*protocol.Reader).ReadReady, `read ready: not ready: got "X", want "READY\n"`},
		{"result prefix", "RESULTX", func(r *protocol.Reader) error { _, err := r.ReadResult(); return err },
			`read result: malformed result: got "RESULTX", want "RESULT "`},
		{"result length", "RESULT 1x", func(r *protocol.Reader) error { _, err := r.ReadResult(); return err },
			`read result: malformed result: length "1x" is not a decimal integer`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pr, pw := io.Pipe()
			t.Cleanup(func() { pw.Close() })
			go io.WriteString(pw, tc.in) // the pipe stays open while reading
			err := deadline(t, func() error { return tc.read(protocol.NewReader(pr)) })
			if err == nil || err.Error() != tc.want {
				t.Errorf("read(%q) = %v; want %s", tc.in, err, tc.want)
			}
		})
	}
}

func TestReadResultErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		opts []protocol.ReaderOption
		want []error
	}{
		{name: "garbage", in: "garbage\n", want: []error{protocol.ErrBadResult}},
		{name: "RESULTX", in: "RESULTX 2\nOK", want: []error{protocol.ErrBadResult}},
		{name: "prefix not checked upstream", in: "XXXXXX 2\nOK", want: []error{protocol.ErrBadResult}},
		{name: "READY instead", in: "READY\n", want: []error{protocol.ErrBadResult}},
		{name: "non-integer", in: "RESULT abc\n", want: []error{protocol.ErrBadResult}},
		{name: "negative", in: "RESULT -1\n", want: []error{protocol.ErrBadResult}},
		{name: "extra space", in: "RESULT  2\nOK", want: []error{protocol.ErrBadResult}},
		{name: "no digits", in: "RESULT \nOK", want: []error{protocol.ErrBadResult}},
		{name: "crlf", in: "RESULT 2\r\nOK", want: []error{protocol.ErrBadResult}},
		{name: "huge", in: "RESULT 99999999999999999999\n", want: []error{protocol.ErrBadResult, protocol.ErrPayloadTooLarge}},
		{name: "over option", in: "RESULT 5\nhello", opts: []protocol.ReaderOption{protocol.WithMaxPayload(4)},
			want: []error{protocol.ErrBadResult, protocol.ErrPayloadTooLarge}},
		{name: "short body", in: "RESULT 4\nOK", want: []error{io.ErrUnexpectedEOF}},
		{name: "eof in length", in: "RESULT 2", want: []error{io.ErrUnexpectedEOF}},
		{name: "eof in prefix", in: "RES", want: []error{io.ErrUnexpectedEOF}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := deadline(t, func() error {
				_, err := protocol.NewReader(strings.NewReader(tc.in), tc.opts...).ReadResult()
				return err
			})
			for _, want := range tc.want {
				if !errors.Is(err, want) {
					t.Errorf("ReadResult(%q) error = %v; want %v", tc.in, err, want)
				}
			}
		})
	}
}

func TestReadResultMessage(t *testing.T) {
	t.Parallel()
	_, err := protocol.ReadResult(bufio.NewReader(strings.NewReader("RESULT abc\n")))
	const want = `read result: malformed result: length "a" is not a decimal integer`
	if err == nil || err.Error() != want {
		t.Errorf("ReadResult(RESULT abc) error = %v; want %s", err, want)
	}
}
