// Package bench measures Lancer's supervisord against the Python
// supervisord 4.2.5 on the same machine in the same run: 500 programs from
// start to all RUNNING, the daemon's RSS with them running, their shutdown,
// the capture of 200 MiB of child output, and the throughput of
// PROCESS_COMMUNICATION events to a listener. Each figure is printed as
// ours, the reference's and their ratio, reference/ours or for a rate
// ours/reference, so that above 1 means ours is better; it is reported
// with b.ReportMetric for benchstat. It holds benchmarks only; run them
// with `make bench`:
//
//	go test -run='^$' -bench=. -benchtime=1x -timeout 30m ./bench/...
//
// The daemons run one after the other, never together, so that neither
// competes with the other for the machine's cores.
package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	printSummary()
	if buildPath != "" {
		_ = os.RemoveAll(filepath.Dir(buildPath))
	}
	if helpersDir != "" {
		_ = os.RemoveAll(helpersDir)
	}
	os.Exit(code)
}

// A figure is one measured quantity of both daemons.
type figure struct {
	name    string  // benchmark-facing name, e.g. "start500"
	what    string  // what it measures, for the table
	unit    string  // unit of ours and ref, e.g. "s", "MiB"
	ours    float64 // our daemon's value
	ref     float64 // the reference's value
	atLeast bool    // ref is a lower bound: the measurement was capped
	higher  bool    // higher is better: a rate, not a cost
	target  string  // the target for ours, e.g. "< 2 s"
	met     bool    // whether ours meets target
}

// ratio is how many times ours is faster, lighter or cheaper: ref/ours,
// or ours/ref for a figure where higher is better.
func (f figure) ratio() float64 {
	if f.higher {
		return f.ours / f.ref
	}
	return f.ref / f.ours
}

func (f figure) String() string {
	gt := ""
	if f.atLeast {
		gt = ">"
	}
	verdict := "no target"
	if f.target != "" {
		verdict = "target " + f.target + ": met"
		if !f.met {
			verdict = "target " + f.target + ": MISSED"
		}
	}
	return fmt.Sprintf("%-12s %-31s ours %7.3f %-3s  reference %s%7.3f %-3s  ratio %s%5.1fx  %s",
		f.name, f.what, f.ours, f.unit, gt, f.ref, f.unit, gt, f.ratio(), verdict)
}

// summary collects every figure reported in this run, in order, for the
// table printed once all benchmarks have finished.
var summary []figure

// report logs f on b, records it as metrics and adds it to the summary.
// The metric units carry the figure's name so that each metric means the
// same thing in every benchmark; ns/op is suppressed because one iteration
// runs two daemons and means nothing on its own.
func report(b *testing.B, f figure) {
	b.Helper()
	b.Logf("%s", f)
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(f.ours, f.name+"-ours-"+f.unit)
	b.ReportMetric(f.ref, f.name+"-ref-"+f.unit)
	b.ReportMetric(f.ratio(), f.name+"-ratio")
	for _, s := range summary {
		if s.name == f.name {
			return
		}
	}
	summary = append(summary, f)
}

// notes are lines printed after the summary table: context a figure
// needs, such as a ceiling no contender can pass.
var notes []string

// note logs s on b and adds it to the notes, once.
func note(b *testing.B, s string) {
	b.Helper()
	b.Log(s)
	if !slices.Contains(notes, s) {
		notes = append(notes, s)
	}
}

func printSummary() {
	if len(summary) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nLancer vs Python supervisord 4.2.5, run directories in %s (%s)\n", os.TempDir(), fsType(os.TempDir()))
	b.WriteString("ratio = reference/ours (ours/reference for a rate), above 1 means ours is better; > marks a capped reference figure\n")
	for _, f := range summary {
		b.WriteString(f.String() + "\n")
	}
	for _, n := range notes {
		b.WriteString(n + "\n")
	}
	fmt.Print(b.String())
}

// measured memoises this test binary's measurements by key. Each runs at
// most once, however many benchmarks read it and however often a
// benchmark is called (-benchtime=Nx calls it N+1 times): one run of a
// daemon takes seconds to minutes, and its figures are the result.
var measured = map[string]any{}

// once returns measure's result for key, measuring it on first use. A
// measurement that failed fails every later caller too rather than
// running again.
func once[T any](b *testing.B, key string, measure func(*testing.B) T) T {
	b.Helper()
	if v, ok := measured[key]; ok {
		if v == nil {
			b.Fatalf("%s failed in an earlier benchmark", key)
		}
		return v.(T)
	}
	measured[key] = nil
	v := measure(b)
	measured[key] = v
	return v
}
