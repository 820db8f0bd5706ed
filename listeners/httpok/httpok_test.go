package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

const (
	badStatus = "httpok: http://foo/bar: bad status returned"
	errFoo    = "error contacting http://foo/bar:\n\n foo"
	errRefuse = "error contacting http://foo/bar:\n\n dial tcp: connect: connection refused"
)

// actCase is one test of superlance's test_httpok.py (HTTPOkTests), with
// its whole outcome: the lines httpok writes to stderr while acting, the
// mail (whose body is outcome followed by those lines), and the line
// count of the mail that superlance's test asserts.
type actCase struct {
	name     string
	opts     func(o *options)
	infos    []xmlrpc.ProcessInfo // nil: dummyInfos
	http     *fakeHTTP            // nil: 200 OK, body OK
	event    string               // "": TICK
	subject  string               // "": no action, nothing on stderr, no mail
	outcome  string
	stderr   []string
	mailLen  int
	calls    []string
	requests int // -1: do not check
	sleeps   int
	pool     string // SUPERVISOR_GROUP_NAME
	rpcErr   error  // of getAllProcessInfo
	mailErr  error
}

// restartedFoo is what httpok writes to stderr when it restarts the
// RUNNING program foo, the outcome of most failed checks here.
var restartedFoo = []string{
	"Restarting selected processes ['foo']",
	"foo is in RUNNING state, restarting",
	"foo restarted",
}

var actCases = []actCase{
	{name: "test_runforever_eager_notatick", event: "NOTATICK",
		opts: func(o *options) { o.Programs = []string{"foo", "bar", "baz_01"} }},
	{name: "test_runforever_doesnt_act_if_status_is_expected/200",
		opts:     func(o *options) { o.Programs, o.Statuses.codes = []string{"foo"}, []int{200, 201} },
		requests: 1},
	{name: "test_runforever_doesnt_act_if_status_is_expected/201",
		opts:     func(o *options) { o.Programs, o.Statuses.codes = []string{"foo"}, []int{200, 201} },
		http:     &fakeHTTP{status: 201, reason: "Created", body: "OK"},
		requests: 1},
	{name: "test_runforever_acts_if_status_is_unexpected",
		opts:    func(o *options) { o.Programs, o.Statuses.codes = []string{"foo"}, []int{200, 201} },
		http:    &fakeHTTP{status: 500, reason: "Internal Server Error", body: "OK"},
		subject: badStatus, outcome: "status contacting http://foo/bar: 500 Internal Server Error",
		stderr:  restartedFoo,
		mailLen: 7, calls: []string{"stop foo", "start foo"}, requests: 1},
	{name: "test_runforever_doesnt_act_if_inbody_is_present",
		opts:     func(o *options) { o.Programs, o.Body = []string{"foo"}, "works" },
		http:     &fakeHTTP{status: 200, reason: "OK", body: "It works"},
		requests: 1},
	{name: "test_runforever_acts_if_inbody_isnt_present",
		opts:    func(o *options) { o.Programs, o.Body = []string{"foo"}, "works" },
		http:    &fakeHTTP{status: 200, reason: "OK", body: "Some kind of error"},
		subject: "httpok: http://foo/bar: bad body returned", outcome: "status contacting http://foo/bar: 200 OK",
		stderr:  restartedFoo,
		mailLen: 7, calls: []string{"stop foo", "start foo"}, requests: 1},
	{name: "test_runforever_eager_error_on_request_some",
		opts:    func(o *options) { o.Programs = []string{"foo", "bar", "baz_01", "notexisting"} },
		http:    failingHTTP(),
		subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting selected processes ['foo', 'bar', 'baz_01', 'notexisting']",
			"foo is in RUNNING state, restarting",
			"foo restarted",
			"bar not in RUNNING state, NOT restarting",
			"baz:baz_01 not in RUNNING state, NOT restarting",
			"Programs not restarted because they did not exist: ['notexisting']",
		},
		mailLen: 12, calls: []string{"stop foo", "start foo"}, requests: 1},
	{name: "test_runforever_eager_error_on_request_any",
		opts:    func(o *options) { o.Any = true },
		http:    failingHTTP(),
		subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting all running processes",
			"foo is in RUNNING state, restarting",
			"foo restarted",
			"bar not in RUNNING state, NOT restarting",
			"baz:baz_01 not in RUNNING state, NOT restarting",
		},
		mailLen: 11, calls: []string{"stop foo", "start foo"}, requests: 1},
	{name: "test_runforever_eager_error_on_process_stop",
		opts:  func(o *options) { o.Programs = []string{"FAILED"} },
		infos: failInfos(), http: failingHTTP(),
		subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting selected processes ['FAILED']",
			"foo:FAILED is in RUNNING state, restarting",
			"Failed to stop process foo:FAILED: <Fault 30: 'FAILED'>",
			"foo:FAILED restarted",
		},
		mailLen: 10, calls: []string{"stop foo:FAILED", "start foo:FAILED"}, requests: 1},
	{name: "test_runforever_eager_error_on_process_start",
		opts:  func(o *options) { o.Programs = []string{"SPAWN_ERROR"} },
		infos: failInfos(), http: failingHTTP(),
		subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting selected processes ['SPAWN_ERROR']",
			"foo:SPAWN_ERROR is in RUNNING state, restarting",
			"Failed to start process foo:SPAWN_ERROR: <Fault 50: 'SPAWN_ERROR'>",
		},
		mailLen: 9, calls: []string{"stop foo:SPAWN_ERROR", "start foo:SPAWN_ERROR"}, requests: 1},
	{name: "test_runforever_not_eager_none_running",
		opts: func(o *options) {
			o.Programs, o.Eager = []string{"bar", "baz_01"}, false
			o.Gcore, o.Coredir = []string{"true"}, "/tmp"
		},
		http: failingHTTP()},
	{name: "test_runforever_not_eager_running",
		opts:    func(o *options) { o.Programs, o.Eager = []string{"foo", "bar"}, false },
		http:    failingHTTP(),
		subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting selected processes ['foo', 'bar']",
			"foo is in RUNNING state, restarting",
			"foo restarted",
			"bar not in RUNNING state, NOT restarting",
		},
		mailLen: 10, calls: []string{"stop foo", "start foo"}, requests: 1},
	{name: "test_runforever_honor_timeout_on_connrefused",
		opts:     func(o *options) { o.Programs, o.Eager = []string{"foo", "bar"}, false },
		http:     &fakeHTTP{status: 200, reason: "OK", body: "OK", errs: refusedN(1)},
		requests: 2, sleeps: 1},
	{name: "test_runforever_connrefused_error",
		opts:    func(o *options) { o.Programs, o.Eager = []string{"foo", "bar"}, false },
		http:    &fakeHTTP{errs: refusedN(100)},
		subject: badStatus, outcome: errRefuse,
		stderr: []string{
			"Restarting selected processes ['foo', 'bar']",
			"foo is in RUNNING state, restarting",
			"foo restarted",
			"bar not in RUNNING state, NOT restarting",
		},
		// (timeout-1)//(retry_time or 1)+1 attempts: 10 with the tests'
		// retry_time 0.
		mailLen: 10, calls: []string{"stop foo", "start foo"}, requests: 10, sleeps: 9},
	{name: "test_bug_110",
		opts: func(o *options) {
			o.Programs, o.Eager, o.Timeout = []string{"foo"}, false, time.Second
		},
		http:    &fakeHTTP{errs: refusedN(100)},
		subject: badStatus, outcome: errRefuse,
		stderr:  restartedFoo,
		mailLen: 9, calls: []string{"stop foo", "start foo"}, requests: 1},
	{name: "test_subject_no_name",
		opts:    func(o *options) { o.Programs, o.Eager = []string{"foo", "bar"}, false },
		http:    &fakeHTTP{errs: []error{errorString("this causes status to be None")}},
		subject: badStatus, outcome: "error contacting http://foo/bar:\n\n this causes status to be None",
		stderr: []string{
			"Restarting selected processes ['foo', 'bar']",
			"foo is in RUNNING state, restarting",
			"foo restarted",
			"bar not in RUNNING state, NOT restarting",
		},
		mailLen: 10, calls: []string{"stop foo", "start foo"}, requests: 1},
	{name: "test_subject_with_name",
		opts: func(o *options) {
			o.Programs, o.Eager, o.Name = []string{"foo", "bar"}, false, "thinko"
		},
		http:    &fakeHTTP{errs: []error{errorString("this causes status to be None")}},
		subject: "httpok [thinko]: http://foo/bar: bad status returned",
		outcome: "error contacting http://foo/bar:\n\n this causes status to be None",
		stderr: []string{
			"Restarting selected processes ['foo', 'bar']",
			"foo is in RUNNING state, restarting",
			"foo restarted",
			"bar not in RUNNING state, NOT restarting",
		},
		mailLen: 10, calls: []string{"stop foo", "start foo"}, requests: 1},
}

type errorString string

func (e errorString) Error() string { return string(e) }

func TestSuperlanceHTTPOkTests(t *testing.T) { runActCases(t, actCases) }

func runActCases(t *testing.T, cases []actCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := defaultOptions()
			if tc.opts != nil {
				tc.opts(o)
			}
			tb := newTestbed(t, o, tc.http)
			if tc.infos != nil {
				tb.rpc.infos = tc.infos
			}
			tb.rpc.err, tb.mail.err, tb.c.pool = tc.rpcErr, tc.mailErr, tc.pool
			tb.check(t, tc)
		})
	}
}

// check runs one event and compares everything tc expects.
func (tb *testbed) check(t *testing.T, tc actCase) {
	t.Helper()
	event := tc.event
	if event == "" {
		event = "TICK"
	}
	if got := tb.runOnce(t, event); got != "READY\nRESULT 2\nOK" {
		t.Errorf("stdout = %q; want exactly READY\\nRESULT 2\\nOK", got)
	}
	wantMail, wantStderr := "", ""
	if len(tc.stderr) > 0 {
		wantStderr = strings.Join(tc.stderr, "\n") + "\n"
	}
	if tc.subject != "" && tc.mailErr == nil {
		wantMail = "To: chrism@plope.com\nSubject: " + tc.subject + "\n\n" +
			strings.Join(append([]string{tc.outcome}, tc.stderr...), "\n")
		wantStderr += "Mailed:\n\n" + wantMail + "\n"
	}
	if diff := cmp.Diff(lines(wantStderr), lines(tb.stderr.String())); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantMail, tb.mail.mailed()); diff != "" {
		t.Errorf("mail (-want +got):\n%s", diff)
	}
	if n := len(lines(tb.mail.mailed())); wantMail != "" && n != tc.mailLen {
		t.Errorf("mail has %d lines; superlance's test wants %d", n, tc.mailLen)
	}
	if !slices.Equal(tb.rpc.calls, tc.calls) {
		t.Errorf("RPC calls = %q; want %q", tb.rpc.calls, tc.calls)
	}
	if tc.requests >= 0 && len(tb.http.reqs) != tc.requests {
		t.Errorf("%d HTTP requests; want %d", len(tb.http.reqs), tc.requests)
	}
	if len(tb.sleeps) != tc.sleeps {
		t.Errorf("%d retry sleeps; want %d", len(tb.sleeps), tc.sleeps)
	}
	for _, r := range tb.http.reqs {
		if ua := r.Header.Get("User-Agent"); ua != "httpok" || r.Method != "GET" {
			t.Errorf("request %s with User-Agent %q; want GET with httpok", r.Method, ua)
		}
	}
}

// TestGcore is test_runforever_eager_gcore, with a real gcore program
// ("true", as superlance's test) run without a shell.
func TestGcore(t *testing.T) {
	o := defaultOptions()
	o.Programs = []string{"foo", "bar", "baz_01", "notexisting"}
	o.Coredir = t.TempDir()
	tb := newTestbed(t, o, failingHTTP())
	tb.c.dump = execDumper{argv: []string{"true"}, timeout: time.Minute, stderr: tb.stderr}
	tb.check(t, actCase{
		subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting selected processes ['foo', 'bar', 'baz_01', 'notexisting']",
			"gcore output for foo:",
			"",
			" ",
			"foo is in RUNNING state, restarting",
			"foo restarted",
			"bar not in RUNNING state, NOT restarting",
			"baz:baz_01 not in RUNNING state, NOT restarting",
			"Programs not restarted because they did not exist: ['notexisting']",
		},
		mailLen: 15, calls: []string{"stop foo", "start foo"}, requests: 1,
	})
}

// TestListProcesses ports the listProcesses tests to the question -E
// asks: is a monitored process up?
func TestListProcesses(t *testing.T) {
	for _, tc := range []struct {
		name     string
		programs []string
		selected []string
		up       bool
	}{
		{"test_listProcesses_no_programs", nil, nil, false},
		{"test_listProcesses_w_RUNNING_programs_default_state", []string{"foo"}, []string{"foo"}, true},
		{"test_listProcesses_w_nonRUNNING_programs_default_state", []string{"bar"}, []string{"bar"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := defaultOptions()
			o.Programs = tc.programs
			tb := newTestbed(t, o, nil)
			var got []string
			for _, p := range dummyInfos() {
				if tb.c.monitored(p) {
					got = append(got, p.Name)
				}
			}
			if !slices.Equal(got, tc.selected) {
				t.Errorf("monitored = %q; want %q", got, tc.selected)
			}
			if up := tb.c.anyMonitoredUp(t.Context()); up != tc.up {
				t.Errorf("anyMonitoredUp() = %v; want %v", up, tc.up)
			}
		})
	}
}

// TestShutdownDuringRetry: a listener told to stop while it waits to try
// a refused URL again does not take its own shutdown for a failure.
func TestShutdownDuringRetry(t *testing.T) {
	o := defaultOptions()
	o.Programs, o.Timeout = []string{"foo"}, 30*time.Second
	tb := newTestbed(t, o, &fakeHTTP{errs: refusedN(5)})
	ctx, cancel := context.WithCancel(t.Context())
	tb.c.sleep = func(ctx context.Context, _ time.Duration) error {
		cancel()
		return ctx.Err()
	}
	if err := tb.c.HandleEvent(ctx, protocol.Event{Header: protocol.Header{EventName: "TICK_60"}}); err != nil {
		t.Fatal(err)
	}
	if tb.stderr.Len() != 0 || len(tb.rpc.calls) != 0 || len(tb.mail.sent) != 0 {
		t.Errorf("acted on shutdown: stderr %q, calls %q, %d mails", tb.stderr, tb.rpc.calls, len(tb.mail.sent))
	}
}
