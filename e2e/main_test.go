// Package e2e runs Lancer's binaries and libraries together and against the
// Python supervisord 4.2.5, the oracle every compatibility claim is measured
// against. It holds tests only.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/lancerhq/lancer/internal/testproc"
	"github.com/lancerhq/lancer/protocol"
)

func TestMain(m *testing.M) {
	testproc.Main(m, map[string]testproc.Func{"record": recordListener})
}

// record is one event as the recording listener saw it.
type record struct {
	Header  protocol.Header `json:"header"`
	Payload string          `json:"payload"`
	Bytes   int             `json:"bytes"` // UTF-8 length of Payload
}

// recordListener is an event listener built on protocol.Serve: it appends
// every event it receives to the file named by its argument, one JSON
// object per line, and acknowledges it.
func recordListener(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: record FILE")
		return 2
	}
	f, err := os.OpenFile(args[0], os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	h := protocol.HandlerFunc(func(_ context.Context, ev protocol.Event) error {
		if _, err := ev.Parse(); err != nil {
			fmt.Fprintf(stderr, "event %d: %v\n", ev.Header.Serial, err)
		}
		return enc.Encode(record{ev.Header, ev.Payload, len(ev.Payload)})
	})
	if err := protocol.Serve(context.Background(), os.Stdin, stdout, h); err != nil {
		fmt.Fprintln(stderr, "serve:", err)
		return 1
	}
	return 0
}

// readRecords returns what the recording listener has written so far.
func readRecords(t *testing.T, path string) []record {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []record
	dec := json.NewDecoder(bytes.NewReader(b))
	for dec.More() {
		var r record
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("decode record %d: %v", len(out), err)
		}
		out = append(out, r)
	}
	return out
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("atoi(%q): %v", s, err)
	}
	return n
}
