// Package e2e runs Lancer's binaries and libraries together and against the
// Python supervisord 4.2.5, the oracle every compatibility claim is measured
// against. It holds tests only.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/lancerhq/lancer/internal/testproc"
	"github.com/lancerhq/lancer/protocol"
)

func TestMain(m *testing.M) {
	testproc.Main(m, map[string]testproc.Func{
		"record":    recordListener,
		"httpserve": httpserveHelper,
	})
}

// record is one event as a recording listener saw it; the Go and the
// Python recorders write the same shape.
type record struct {
	Header  map[string]string `json:"header"` // the envelope's tokens
	Payload string            `json:"payload"`
}

// header parses the recorded envelope tokens.
func (r record) header() protocol.Header {
	h, err := protocol.ParseHeader(fmt.Sprintf("ver:%s server:%s serial:%s pool:%s poolserial:%s eventname:%s len:%s",
		r.Header["ver"], r.Header["server"], r.Header["serial"], r.Header["pool"], r.Header["poolserial"], r.Header["eventname"], r.Header["len"]))
	if err != nil {
		panic("BUG: recorded header: " + err.Error())
	}
	return h
}

// recordListener is an event listener built on protocol.Serve: it appends
// every event it receives to the file named by its first argument, one
// JSON object per line, and acknowledges it. It takes testdata/record.py's
// optional MODE NAME arguments ("fail-alternate" or "die-once" on the
// events about process NAME).
func recordListener(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 && len(args) != 3 {
		fmt.Fprintln(stderr, "usage: record FILE [fail-alternate|die-once NAME]")
		return 2
	}
	f, err := os.OpenFile(args[0], os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer f.Close()
	m := misbehaviour{marker: args[0] + ".died"}
	if len(args) == 3 {
		m.mode, m.name = args[1], args[2]
	}
	enc := json.NewEncoder(f)
	h := protocol.HandlerFunc(func(_ context.Context, ev protocol.Event) error {
		tokens, _ := protocol.ParseTokens(ev.Header.String())
		if err := enc.Encode(record{tokens, ev.Payload}); err != nil {
			return err
		}
		return m.after(ev.Payload)
	})
	if err := protocol.Serve(context.Background(), os.Stdin, stdout, h); err != nil {
		fmt.Fprintln(stderr, "serve:", err)
		return 1
	}
	return 0
}

// misbehaviour is what a recording listener does wrong on purpose.
type misbehaviour struct {
	mode, name, marker string
	seen               int
}

// after decides the answer to an event once it is recorded.
func (m *misbehaviour) after(payload string) error {
	if m.name == "" || !strings.Contains(payload, "processname:"+m.name+" ") {
		return nil
	}
	m.seen++
	if _, err := os.Stat(m.marker); m.mode == "die-once" && os.IsNotExist(err) {
		_ = os.WriteFile(m.marker, nil, 0o600)
		os.Exit(1)
	}
	if m.mode == "fail-alternate" && m.seen%2 == 1 {
		return errors.New("rejected on purpose")
	}
	return nil
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
