package protocol_test

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lancerhq/lancer/protocol"
)

// seedFiles returns the contents of the testdata files matching pattern.
func seedFiles(f *testing.F, pattern string) [][]byte {
	f.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seed files for %s: %v", pattern, err)
	}
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// seedEvents returns every event that can be read from the transcripts.
func seedEvents(f *testing.F) []protocol.Event {
	f.Helper()
	var evs []protocol.Event
	for _, b := range seedFiles(f, "serve/*.in") {
		r := protocol.NewReader(bytes.NewReader(b))
		for {
			ev, err := r.ReadEvent()
			if err != nil {
				break
			}
			evs = append(evs, ev)
		}
	}
	return evs
}

func FuzzParseHeader(f *testing.F) {
	for _, b := range seedFiles(f, "serve/*.in") {
		for line := range strings.Lines(string(b)) {
			f.Add(line)
		}
	}
	f.Fuzz(func(t *testing.T, line string) {
		h, err := protocol.ParseHeader(line)
		if err != nil {
			return
		}
		if h.Len < 0 || h.Len > protocol.DefaultMaxPayload {
			t.Fatalf("ParseHeader(%q).Len = %d; out of range", line, h.Len)
		}
		s := h.String()
		h2, err := protocol.ParseHeader(s)
		if err != nil || h2 != h || h2.String() != s {
			t.Fatalf("ParseHeader(%q) = %+v; reparse of %q = %+v, %v", line, h, s, h2, err)
		}
	})
}

func FuzzReadEvent(f *testing.F) {
	for _, b := range seedFiles(f, "serve/*.in") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := protocol.NewReader(bytes.NewReader(data), protocol.WithMaxPayload(1<<16))
		for range 64 {
			ev, err := r.ReadEvent()
			if err != nil {
				return
			}
			if n := utf8.RuneCountInString(ev.Payload); n != ev.Header.Len {
				t.Fatalf("ReadEvent payload %q has %d code points; header says %d", ev.Payload, n, ev.Header.Len)
			}
			var buf bytes.Buffer
			if err := protocol.WriteEvent(&buf, ev); err != nil {
				t.Fatalf("WriteEvent(%+v) = %v", ev, err)
			}
			ev2, err := protocol.ReadEvent(bufio.NewReader(&buf))
			if err != nil || ev2 != ev || buf.Len() != 0 {
				t.Fatalf("round trip of %+v = %+v, %v (%d bytes left)", ev, ev2, err, buf.Len())
			}
		}
	})
}

func FuzzReadResult(f *testing.F) {
	for _, b := range seedFiles(f, "result/*.txt") {
		f.Add(b)
	}
	for _, b := range seedFiles(f, "serve/*.out") {
		f.Add(bytes.TrimPrefix(b, []byte("READY\n")))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := protocol.NewReader(bytes.NewReader(data), protocol.WithMaxPayload(1<<16))
		for range 64 {
			body, err := r.ReadResult()
			if err != nil {
				return
			}
			if !bytes.Contains(data, []byte(body)) || len(body) > 1<<16 {
				t.Fatalf("ReadResult(%q) = %q; not from the input or over the limit", data, body)
			}
			var buf bytes.Buffer
			if err := protocol.WriteResult(&buf, body); err != nil {
				t.Fatal(err)
			}
			body2, err := protocol.ReadResult(bufio.NewReader(&buf))
			if err != nil || body2 != body {
				t.Fatalf("round trip of %q = %q, %v", body, body2, err)
			}
			if err := r.ReadReady(); err != nil && err != io.EOF {
				return
			}
		}
	})
}

func FuzzParsePayload(f *testing.F) {
	for _, ev := range seedEvents(f) {
		f.Add(ev.Header.EventName, ev.Payload)
	}
	for _, tc := range referenceEvents {
		f.Add(tc.want.EventType().String(), tc.payload)
	}
	f.Fuzz(func(t *testing.T, name, payload string) {
		typ := protocol.EventType(name)
		p, err := protocol.ParsePayload(typ, payload)
		if err != nil {
			return
		}
		if p.EventType() != typ {
			t.Fatalf("ParsePayload(%s, %q).EventType() = %s", typ, payload, p.EventType())
		}
		s := p.Format()
		p2, err := protocol.ParsePayload(typ, s)
		if err != nil || p2 != p || p2.Format() != s {
			t.Fatalf("ParsePayload(%s, %q) = %#v; reparse of %q = %#v, %v", typ, payload, p, s, p2, err)
		}
	})
}
