package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// The fakes of superlance's tests/dummy.py and test_httpok.py.

const fakeNow = 1_700_000_000

// dummyInfos is DummySupervisorRPCNamespace.all_process_info.
func dummyInfos() []xmlrpc.ProcessInfo {
	return []xmlrpc.ProcessInfo{
		{Name: "foo", Group: "foo", PID: 11, State: stateRunning, StateName: "RUNNING",
			Start: fakeNow - 100, Now: fakeNow, Description: "foo description"},
		{Name: "bar", Group: "bar", PID: 12, State: stateFatal, StateName: "FATAL",
			Start: fakeNow - 100, Stop: fakeNow - 50, Now: fakeNow, SpawnErr: "screwed"},
		{Name: "baz_01", Group: "baz", PID: 12, State: 0, StateName: "STOPPED",
			Start: fakeNow - 100, Stop: fakeNow - 25, Now: fakeNow},
	}
}

// failInfos is test_httpok.py's _FAIL.
func failInfos() []xmlrpc.ProcessInfo {
	return []xmlrpc.ProcessInfo{
		{Name: "FAILED", Group: "foo", PID: 11, State: stateRunning, StateName: "RUNNING",
			Start: fakeNow - 100, Now: fakeNow},
		{Name: "SPAWN_ERROR", Group: "foo", PID: 11, State: stateRunning, StateName: "RUNNING",
			Start: fakeNow - 100, Now: fakeNow},
	}
}

// fakeRPC is DummySupervisorRPCNamespace: stopProcess fails with FAILED
// for names ending in FAILED, startProcess with SPAWN_ERROR for names
// ending in SPAWN_ERROR. Faults come wrapped, as from *xmlrpc.Client.
type fakeRPC struct {
	infos []xmlrpc.ProcessInfo
	err   error    // of GetAllProcessInfo
	calls []string // "stop NAME", "start NAME", in order
}

func (f *fakeRPC) GetAllProcessInfo(context.Context) ([]xmlrpc.ProcessInfo, error) {
	if f.err != nil {
		return nil, f.err
	}
	return slices.Clone(f.infos), nil
}

func (f *fakeRPC) StopProcess(_ context.Context, name string, wait bool) error {
	f.calls = append(f.calls, "stop "+name)
	if strings.HasSuffix(name, "FAILED") {
		return fmt.Errorf("supervisor.stopProcess: %w", &xmlrpc.Fault{Code: xmlrpc.FaultFailed, String: "FAILED"})
	}
	return nil
}

func (f *fakeRPC) StartProcess(_ context.Context, name string, wait bool) error {
	f.calls = append(f.calls, "start "+name)
	if strings.HasSuffix(name, "SPAWN_ERROR") {
		return fmt.Errorf("supervisor.startProcess: %w", &xmlrpc.Fault{Code: xmlrpc.FaultSpawnError, String: "SPAWN_ERROR"})
	}
	return nil
}

// fakeHTTP is make_connection: it answers with status and body, or
// fails with always, or pops an error off errs first (from the end, as
// Python's list.pop).
type fakeHTTP struct {
	status int
	reason string
	body   string
	always error
	errs   []error
	reqs   []*http.Request
}

func okHTTP() *fakeHTTP { return &fakeHTTP{status: 200, reason: "OK", body: "OK"} }

// failingHTTP is make_connection(response, exc=True).
func failingHTTP() *fakeHTTP { return &fakeHTTP{always: errors.New("foo")} }

func (f *fakeHTTP) Do(req *http.Request) (*http.Response, error) {
	f.reqs = append(f.reqs, req)
	if f.always != nil {
		return nil, f.always
	}
	if n := len(f.errs); n > 0 {
		err := f.errs[n-1]
		f.errs = f.errs[:n-1]
		return nil, err
	}
	return &http.Response{
		StatusCode: f.status,
		Status:     fmt.Sprintf("%d %s", f.status, f.reason),
		Body:       io.NopCloser(strings.NewReader(f.body)),
		Request:    req,
	}, nil
}

// refused is what net/http returns for errno 111.
func refused() error {
	return &url.Error{Op: "Get", URL: "http://foo/bar", Err: &net.OpError{
		Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED),
	}}
}

func refusedN(n int) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = refused()
	}
	return errs
}

// fakeMailer keeps the messages sent; err makes every send fail.
type fakeMailer struct {
	sent []alert.Message
	err  error
}

func (f *fakeMailer) Send(_ context.Context, m alert.Message) error {
	if f.err != nil {
		return f.err
	}
	f.sent = append(f.sent, m)
	return nil
}

// mailed is superlance's prog.mailed: the text of the last mail, or "".
func (f *fakeMailer) mailed() string {
	if len(f.sent) == 0 {
		return ""
	}
	return alert.SendmailText(f.sent[len(f.sent)-1])
}

// testbed is a checker over the fakes, set up as
// HTTPOkTests._makeOnePopulated: URL http://foo/bar, timeout 10,
// retry_time 0, mail to chrism@plope.com.
type testbed struct {
	c      *checker
	rpc    *fakeRPC
	http   *fakeHTTP
	mail   *fakeMailer
	stderr *bytes.Buffer
	sleeps []time.Duration
}

func defaultOptions() *options {
	return &options{
		URL:      "http://foo/bar",
		Timeout:  10 * time.Second,
		Statuses: statusSet{codes: []int{200}},
		Email:    "chrism@plope.com",
		Sendmail: alert.DefaultSendmail,
		Gcore:    []string{"/usr/bin/gcore", "-o"},
		Eager:    true,
	}
}

func newTestbed(t *testing.T, o *options, h *fakeHTTP) *testbed {
	t.Helper()
	if h == nil {
		h = okHTTP()
	}
	tb := &testbed{rpc: &fakeRPC{infos: dummyInfos()}, http: h, mail: &fakeMailer{}, stderr: &bytes.Buffer{}}
	tb.c = &checker{
		opts: o, rpc: tb.rpc, http: h, mail: tb.mail, stderr: tb.stderr,
		retry: 0,
		sleep: func(_ context.Context, d time.Duration) error {
			tb.sleeps = append(tb.sleeps, d)
			return nil
		},
	}
	return tb
}

// header is an envelope for one event of type name with an empty
// payload, like the tests' 'eventname:TICK len:0\n'.
func header(name string) string {
	return "ver:3.0 server:supervisor serial:1 pool:httpok poolserial:1 eventname:" + name + " len:0\n"
}

// runOnce is runforever(test=True): it handles one event and returns
// what went to stdout.
func (tb *testbed) runOnce(t *testing.T, eventname string) string {
	t.Helper()
	var stdout bytes.Buffer
	l := protocol.NewListener(strings.NewReader(header(eventname)), &stdout)
	ev, err := l.Next(t.Context())
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	if err := tb.c.HandleEvent(t.Context(), ev); err != nil {
		t.Fatalf("HandleEvent = %v; want nil (always OK)", err)
	}
	if err := l.OK(); err != nil {
		t.Fatal(err)
	}
	return stdout.String()
}

// lines splits stderr as the Python tests do.
func lines(s string) []string { return strings.Split(s, "\n") }
