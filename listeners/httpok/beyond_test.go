package main

import (
	"testing"
	"time"
)

// Lancer's own options, each off by default.

var beyondCases = []actCase{
	// --grace (superlance #70): foo started 100 s ago.
	{name: "grace not yet over",
		opts:    func(o *options) { o.Programs, o.Grace = []string{"foo"}, 5*time.Minute },
		http:    failingHTTP(),
		subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting selected processes ['foo']",
			"foo is in RUNNING state for 1m40s (< --grace 5m0s), NOT restarting",
		},
		mailLen: 8, requests: 1},
	{name: "grace over",
		opts:    func(o *options) { o.Programs, o.Grace = []string{"foo"}, 99*time.Second },
		http:    failingHTTP(),
		subject: badStatus, outcome: errFoo,
		stderr:  restartedFoo,
		mailLen: 9, calls: []string{"stop foo", "start foo"}, requests: 1},

	// --restart-fatal (superlance #120): bar is FATAL.
	{name: "restart-fatal starts a FATAL process",
		opts: func(o *options) {
			o.Programs, o.RestartFatal = []string{"foo", "bar", "baz_01"}, true
		},
		http:    failingHTTP(),
		subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting selected processes ['foo', 'bar', 'baz_01']",
			"foo is in RUNNING state, restarting",
			"foo restarted",
			"bar is in FATAL state, starting",
			"bar started",
			"baz:baz_01 not in RUNNING state, NOT restarting",
		},
		mailLen: 12, calls: []string{"stop foo", "start foo", "start bar"}, requests: 1},
	{name: "restart-fatal checks for FATAL processes when not eager",
		opts: func(o *options) {
			o.Programs, o.RestartFatal, o.Eager = []string{"bar"}, true, false
		},
		http:    failingHTTP(),
		subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting selected processes ['bar']",
			"bar is in FATAL state, starting",
			"bar started",
		},
		mailLen: 9, calls: []string{"start bar"}, requests: 1},
	{name: "FATAL not started by default",
		opts: func(o *options) { o.Programs = []string{"bar"} },
		http: failingHTTP(), subject: badStatus, outcome: errFoo,
		stderr: []string{
			"Restarting selected processes ['bar']",
			"bar not in RUNNING state, NOT restarting",
		},
		mailLen: 8, requests: 1},

	// --status RANGE, on top of -c.
	{name: "status in range",
		opts:     func(o *options) { o.Programs, o.Statuses = []string{"foo"}, rangeSet(t200) },
		http:     &fakeHTTP{status: 204, reason: "No Content"},
		requests: 1},
	{name: "status outside range",
		opts:    func(o *options) { o.Programs, o.Statuses = []string{"foo"}, rangeSet(t200) },
		http:    &fakeHTTP{status: 302, reason: "Found"},
		subject: badStatus, outcome: "status contacting http://foo/bar: 302 Found",
		stderr:  restartedFoo,
		mailLen: 7, calls: []string{"stop foo", "start foo"}, requests: 1},
	{name: "code and range together",
		opts: func(o *options) {
			o.Programs, o.Statuses = []string{"foo"}, rangeSet(t200)
			o.Statuses.codes = []int{302}
		},
		http:     &fakeHTTP{status: 302, reason: "Found"},
		requests: 1},
}

var t200 = statusRange{200, 299}

func rangeSet(rs ...statusRange) statusSet { return statusSet{ranges: rs} }

func TestBeyond(t *testing.T) { runActCases(t, beyondCases) }

func TestParseStatusRange(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want statusRange
		ok   bool
	}{
		{"200-299", statusRange{200, 299}, true},
		{"204", statusRange{204, 204}, true},
		{"100-999", statusRange{100, 999}, true},
		{"301-301", statusRange{301, 301}, true},
		{"299-200", statusRange{}, false},
		{"99-200", statusRange{}, false},
		{"200-1000", statusRange{}, false},
		{"2xx", statusRange{}, false},
		{"200-", statusRange{}, false},
		{"-200", statusRange{}, false},
		{"+20", statusRange{}, false},
		{"", statusRange{}, false},
		{"200-299-300", statusRange{}, false},
	} {
		got, err := parseStatusRange(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseStatusRange(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func FuzzParseStatusRange(f *testing.F) {
	for _, s := range []string{"200-299", "204", "100-999", "2xx", "-", "200-1000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := parseStatusRange(s)
		if err != nil {
			return
		}
		if r.lo < 100 || r.hi > 999 || r.lo > r.hi {
			t.Fatalf("parseStatusRange(%q) = %v", s, r)
		}
		set := rangeSet(r)
		if !set.accepts(r.lo) || !set.accepts(r.hi) || set.accepts(0) {
			t.Fatalf("%v does not accept its own ends, or accepts no response", r)
		}
	})
}
