package rpc

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// post sends body to h as a POST to /RPC2 and returns the recorder.
func post(t *testing.T, h http.Handler, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/RPC2", bytes.NewReader(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// call calls method with params through h and returns its value or fault.
func call(t *testing.T, h http.Handler, method string, params ...any) (xmlrpc.Value, *xmlrpc.Fault) {
	t.Helper()
	var req bytes.Buffer
	if err := xmlrpc.EncodeRequest(&req, method, params...); err != nil {
		t.Fatal(err)
	}
	rec := post(t, h, req.Bytes())
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: HTTP %d %q", method, rec.Code, rec.Body)
	}
	v, err := xmlrpc.DecodeResponse(rec.Body, xmlrpc.Limits{})
	if f := (*xmlrpc.Fault)(nil); errors.As(err, &f) {
		return xmlrpc.Value{}, f
	}
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return v, nil
}

// mustCall is call for a call that must succeed.
func mustCall(t *testing.T, h http.Handler, method string, params ...any) xmlrpc.Value {
	t.Helper()
	v, f := call(t, h, method, params...)
	if f != nil {
		t.Fatalf("%s%v = fault %v", method, params, f)
	}
	return v
}

// wantFault checks that method(params) answers the faultString want.
func wantFault(t *testing.T, h http.Handler, want string, method string, params ...any) {
	t.Helper()
	v, f := call(t, h, method, params...)
	if f == nil {
		t.Errorf("%s%v = %v; want fault %q", method, params, v, want)
		return
	}
	if f.String != want {
		t.Errorf("%s%v = fault %q; want %q", method, params, f.String, want)
	}
	name, _, _ := strings.Cut(want, ":")
	if code, _ := xmlrpc.FaultCode(name); f.Code != code {
		t.Errorf("%s%v = fault code %d; want %d", method, params, f.Code, code)
	}
}

// newHandler returns a Handler over f with a main log, an event sink and
// UTC descriptions.
func newHandler(t *testing.T, f *fakeSupervisor, opts Options) (*Handler, *[]protocol.Payload) {
	t.Helper()
	var events []protocol.Payload
	opts.Supervisor = f
	if opts.Publish == nil {
		opts.Publish = func(p protocol.Payload) { events = append(events, p) }
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.PID == 0 {
		opts.PID = 4242
	}
	return New(opts), &events
}

// rpcCase is one call and what it must answer, against stdFake.
type rpcCase struct {
	name   string
	setup  func(t *testing.T, f *fakeSupervisor, o *Options) // optional
	method string
	params []any
	want   any                                   // the result as xmlrpc.Value.Interface() gives it, or
	fault  string                                // the faultString
	check  func(t *testing.T, f *fakeSupervisor) // optional, after the call
}

// runCases runs each case in its own synctest bubble (the clock starts
// at 2000-01-01 UTC) on a fresh stdFake.
func runCases(t *testing.T, cases []rpcCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := stdFake(t)
				var opts Options
				if tc.setup != nil {
					tc.setup(t, f, &opts)
				}
				h, _ := newHandler(t, f, opts)
				if tc.fault != "" {
					wantFault(t, h, tc.fault, tc.method, tc.params...)
				} else if got := mustCall(t, h, tc.method, tc.params...).Interface(); !cmp.Equal(got, tc.want) {
					t.Errorf("%s%v = %#v; want %#v\n%s", tc.method, tc.params, got, tc.want, cmp.Diff(tc.want, got))
				}
				if tc.check != nil {
					synctest.Wait()
					tc.check(t, f)
				}
			})
		})
	}
}

// stdFake is the state most tests start from:
//
//	web            RUNNING since a minute, pid 100, logs "hello\n" and "oops\n"
//	workers:w0,w1  STOPPED, never started, no logs
//	broken         STOPPED; its command is not executable
//	flaky          STOPPED; exits within startsecs when started
func stdFake(t *testing.T) *fakeSupervisor {
	f := newFake(t)
	f.add("web", "web", process.Running).logs(t, "hello\n", "oops\n")
	f.add("workers", "w0", process.Stopped)
	f.add("workers", "w1", process.Stopped)
	f.add("broken", "broken", process.Stopped).startErr = &process.SpawnError{
		Msg: "command at '/bin/broken' is not executable", Err: process.ErrNotExecutable}
	flaky := f.add("flaky", "flaky", process.Stopped)
	flaky.failStart, flaky.startsecs = true, time.Second
	f.available = []string{"extra"}
	return f
}

// ok is a SUCCESS entry of a result array, as Interface() gives it.
func ok(group, name string) map[string]any {
	return map[string]any{"name": name, "group": group, "status": int64(80), "description": "OK"}
}

// failed is a failed entry of a result array.
func failed(group, name string, code int64, desc string) map[string]any {
	return map[string]any{"name": name, "group": group, "status": code, "description": desc}
}

func hasCall(t *testing.T, f *fakeSupervisor, want string) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if !slices.Contains(f.calls, want) {
		t.Errorf("calls = %q; want one %q", f.calls, want)
	}
}
