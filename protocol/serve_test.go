package protocol_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lancerhq/lancer/protocol"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenHandler acknowledges every event except a REMOTE_COMMUNICATION
// whose type is "fail", and checks that every payload parses.
func goldenHandler(t *testing.T) protocol.Handler {
	return protocol.HandlerFunc(func(ctx context.Context, ev protocol.Event) error {
		p, err := ev.Parse()
		if err != nil {
			t.Errorf("event %d: %v", ev.Header.Serial, err)
			return err
		}
		if rc, ok := p.(protocol.RemoteComm); ok && rc.Type == "fail" {
			return errors.New("asked to fail")
		}
		return nil
	})
}

// TestServeGolden drives Serve with testdata/serve/NAME.in as stdin and
// compares stdout with NAME.out and the returned error with NAME.err
// (absent when Serve returns nil).
func TestServeGolden(t *testing.T) {
	t.Parallel()
	ins, err := filepath.Glob("testdata/serve/*.in")
	if err != nil || len(ins) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range ins {
		name := strings.TrimSuffix(in, ".in")
		t.Run(filepath.Base(name), func(t *testing.T) {
			t.Parallel()
			stdin, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var stdout bytes.Buffer
			err = deadline(t, func() error {
				return protocol.Serve(t.Context(), bytes.NewReader(stdin), &stdout, goldenHandler(t))
			})
			errText := ""
			if err != nil {
				errText = err.Error() + "\n"
			}
			golden(t, name+".out", stdout.String())
			golden(t, name+".err", errText)
		})
	}
}

// golden compares got with the file at path, or rewrites the file with
// -update. An empty want means the file must not exist.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if got == "" {
			if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			return
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s:\ngot  %q\nwant %q", path, got, want)
	}
}

// TestServeOneEvent pins the transcript superlance's tests assert.
func TestServeOneEvent(t *testing.T) {
	t.Parallel()
	in := "ver:3.0 server:supervisor serial:0 pool:p poolserial:0 eventname:TICK_5 len:15\nwhen:1795321115"
	var out bytes.Buffer
	err := protocol.Serve(t.Context(), strings.NewReader(in), &out,
		protocol.HandlerFunc(func(context.Context, protocol.Event) error { return nil }))
	if err != nil || out.String() != "READY\nRESULT 2\nOKREADY\n" {
		t.Errorf("Serve = %v, stdout %q; want nil, %q", err, out.String(), "READY\nRESULT 2\nOKREADY\n")
	}
}

// TestServeCancel cancels while Serve is blocked reading, then closes its
// stdin as the Serve documentation asks.
func TestServeCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	var out bytes.Buffer
	done := make(chan error, 1)
	handled := make(chan struct{})
	go func() {
		done <- protocol.Serve(ctx, pr, &out, protocol.HandlerFunc(func(context.Context, protocol.Event) error {
			close(handled)
			return nil
		}))
	}()
	io.WriteString(pw, "ver:3.0 server:s serial:0 pool:p poolserial:0 eventname:TICK_5 len:6\nwhen:0")
	<-handled
	cancel()
	pw.Close()
	err := deadline(t, func() error { return <-done })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Serve after cancel = %v; want context.Canceled", err)
	}
}

func TestServeCancelledBeforeStart(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out bytes.Buffer
	err := protocol.Serve(ctx, strings.NewReader(""), &out, nil)
	if !errors.Is(err, context.Canceled) || out.Len() != 0 {
		t.Errorf("Serve(cancelled) = %v, wrote %q; want context.Canceled, nothing", err, out.String())
	}
}

func TestServeWriteError(t *testing.T) {
	t.Parallel()
	err := protocol.Serve(t.Context(), strings.NewReader(""), errWriter{}, nil)
	if !errors.Is(err, errBroken) {
		t.Errorf("Serve(broken stdout) = %v; want errBroken", err)
	}
}

func TestListenerOutOfTurn(t *testing.T) {
	t.Parallel()
	in := "ver:3.0 server:s serial:0 pool:p poolserial:0 eventname:TICK_5 len:6\nwhen:0"
	var out bytes.Buffer
	l := protocol.NewListener(strings.NewReader(in), &out)
	if err := l.OK(); !errors.Is(err, protocol.ErrOutOfTurn) {
		t.Errorf("OK() before Next = %v; want ErrOutOfTurn", err)
	}
	if _, err := l.Next(t.Context()); err != nil {
		t.Fatalf("Next() = %v", err)
	}
	if _, err := l.Next(t.Context()); !errors.Is(err, protocol.ErrOutOfTurn) {
		t.Errorf("Next() while busy = %v; want ErrOutOfTurn", err)
	}
	if err := l.Respond("BUSY"); err != nil {
		t.Fatalf("Respond() = %v", err)
	}
	if _, err := l.Next(t.Context()); err != io.EOF {
		t.Errorf("Next() at end = %v; want io.EOF", err)
	}
	if want := "READY\nRESULT 4\nBUSYREADY\n"; out.String() != want {
		t.Errorf("stdout = %q; want %q", out.String(), want)
	}
}
