package main

import (
	"errors"
	"testing"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// Superlance's httpok defects (superlance.md §1.8), each with what
// superlance does instead.

// withState returns dummyInfos with the state of process name changed,
// and extra processes appended.
func withState(name string, state int, extra ...xmlrpc.ProcessInfo) []xmlrpc.ProcessInfo {
	infos := dummyInfos()
	for i := range infos {
		if infos[i].Name == name {
			infos[i].State = state
		}
	}
	return append(infos, extra...)
}

// self is this listener, in supervisord's process list.
var self = xmlrpc.ProcessInfo{Name: "httpok", Group: "httpok", PID: 99, State: stateRunning,
	Start: fakeNow - 100, Now: fakeNow}

var defectCases = []actCase{
	// B3: on Python 3 the body is bytes and `self.inbody not in body`
	// raises TypeError: the listener dies without answering.
	{name: "B3 body found in bytes",
		opts:     func(o *options) { o.Programs, o.Body = []string{"foo"}, "works" },
		http:     &fakeHTTP{status: 200, reason: "OK", body: "\xff\xfeIt works\x00"},
		requests: 1},
	{name: "B3 body missing from bytes",
		opts:    func(o *options) { o.Programs, o.Body = []string{"foo"}, "works" },
		http:    &fakeHTTP{status: 200, reason: "OK", body: "\xff\xfeIt broke\x00"},
		subject: "httpok: http://foo/bar: bad body returned", outcome: "status contacting http://foo/bar: 200 OK",
		stderr:  restartedFoo,
		mailLen: 7, calls: []string{"stop foo", "start foo"}, requests: 1},

	// Q1: superlance's -E lists processes by bare name only, so with -p
	// group:name it never checks.
	{name: "Q1 not eager with group:name",
		opts:    func(o *options) { o.Programs, o.Eager = []string{"baz:baz_01"}, false },
		infos:   withState("baz_01", stateRunning),
		http:    failingHTTP(),
		subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting selected processes ['baz:baz_01']",
			"baz:baz_01 is in RUNNING state, restarting",
			"baz:baz_01 restarted",
		},
		mailLen: 9, calls: []string{"stop baz:baz_01", "start baz:baz_01"}, requests: 1},
	// Superlance matches -p against the bare name and the namespec,
	// which is the bare name when group and name are equal, so -p
	// foo:foo "did not exist". Lancer also accepts group:name.
	{name: "Q1 group:name where group equals name",
		opts:    func(o *options) { o.Programs, o.Eager = []string{"foo:foo"}, false },
		http:    failingHTTP(),
		subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting selected processes ['foo:foo']",
			"foo is in RUNNING state, restarting",
			"foo restarted",
		},
		mailLen: 9, calls: []string{"stop foo", "start foo"}, requests: 1},

	// Q2: with -a and no -p, superlance's -E list is always empty: -a -E
	// never checks.
	{name: "Q2 any not eager with a process running",
		opts:    func(o *options) { o.Any, o.Eager = true, false },
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
	{name: "Q2 any not eager with nothing running",
		opts:  func(o *options) { o.Any, o.Eager = true, false },
		infos: withState("foo", 0),
		http:  failingHTTP()},

	// B9: superlance's -a restarts every RUNNING process, itself
	// included: stopProcess on itself kills it mid-event.
	{name: "B9 any skips its own pool",
		opts:    func(o *options) { o.Any = true },
		infos:   append(dummyInfos(), self),
		pool:    "httpok",
		http:    failingHTTP(),
		subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting all running processes",
			"foo is in RUNNING state, restarting",
			"foo restarted",
			"bar not in RUNNING state, NOT restarting",
			"baz:baz_01 not in RUNNING state, NOT restarting",
			"httpok belongs to this event listener's pool, NOT restarting",
		},
		mailLen: 12, calls: []string{"stop foo", "start foo"}, requests: 1},
	{name: "B9 named explicitly",
		opts:    func(o *options) { o.Programs = []string{"httpok"} },
		infos:   append(dummyInfos(), self),
		pool:    "httpok",
		http:    failingHTTP(),
		subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting selected processes ['httpok']",
			"httpok belongs to this event listener's pool, NOT restarting",
		},
		mailLen: 8, requests: 1},
	{name: "B9 own pool does not count for not eager",
		opts:  func(o *options) { o.Any, o.Eager = true, false },
		infos: append(withState("foo", 0), self),
		pool:  "httpok",
		http:  failingHTTP()},

	// Superlance's -E listing is outside any try: an unreachable
	// supervisord kills the listener, which is restarted and dies again.
	{name: "not eager with supervisord unreachable",
		opts:   func(o *options) { o.Programs, o.Eager = []string{"foo"}, false },
		rpcErr: errors.New("dial unix /run/supervisor.sock: connect: no such file or directory"),
		http:   failingHTTP(),
		stderr: []string{"Exception retrieving process info dial unix /run/supervisor.sock: connect: no such file or directory, not checking"}},
	// In act, superlance already logs and does not act (nor mail).
	{name: "act with supervisord unreachable",
		opts:   func(o *options) { o.Programs = []string{"foo"} },
		rpcErr: errors.New("connection refused"),
		http:   failingHTTP(),
		stderr: []string{"Exception retrieving process info connection refused, not acting"}, requests: 1},

	// B11: superlance's broken sendmail pipe is an uncaught exception: the
	// listener dies and supervisord re-sends the tick, so it acts again.
	{name: "B11 mail failure is logged",
		opts:    func(o *options) { o.Programs = []string{"foo"} },
		http:    failingHTTP(),
		mailErr: errors.New("/usr/sbin/sendmail: exec: no such file or directory"),
		subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting selected processes ['foo']",
			"foo is in RUNNING state, restarting",
			"foo restarted",
			"Failed to mail chrism@plope.com: /usr/sbin/sendmail: exec: no such file or directory",
		},
		calls: []string{"stop foo", "start foo"}, requests: 1},
}

func TestDefects(t *testing.T) { runActCases(t, defectCases) }
