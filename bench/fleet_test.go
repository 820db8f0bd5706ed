package bench

import (
	"fmt"
	"testing"
	"time"
)

const (
	fleetSize = 500
	// startsecs is the programs' startsecs, the default; the start
	// target is startsecs + 0.5 s.
	startsecs = time.Second
	// shutdownCap bounds the wait for the reference's shutdown, which
	// takes about a second per group: minutes for 500 programs. A capped
	// figure is reported as a lower bound.
	shutdownCap = 120 * time.Second
)

// sleepCommand is every program of the fleet. /bin/sleep is 44 KB of C
// that starts in well under a millisecond and holds ~1 MB resident, so
// the figures are the daemons' own; a testproc helper would re-execute
// the test binary, a Go program whose runtime start, threads and ~5 MB
// each would, 500 times over on two cores, be measured as start-up time
// against a 1.5 s target. Both daemons run the same binary.
const sleepCommand = "/bin/sleep 600"

// fleetRun is what one daemon did with the 500 programs.
type fleetRun struct {
	ready    time.Duration // daemon start to "supervisord started with pid"
	spawned  time.Duration // daemon start to its last "spawned:" line
	running  time.Duration // daemon start to its last "success:" line
	rss      float64       // daemon VmRSS in MiB once all are RUNNING
	shutdown time.Duration // SIGTERM to daemon exited and children gone
	capped   bool          // shutdown hit shutdownCap
}

// fleet returns the runs of ours and of the reference, measuring each once
// for the three benchmarks that read them.
func fleet(b *testing.B) (ours, ref *fleetRun) {
	b.Helper()
	runs := map[string]*fleetRun{}
	for _, c := range contenders(b) {
		runs[c.name] = once(b, "fleet/"+c.name, func(b *testing.B) *fleetRun { return runFleet(b, c) })
	}
	return runs["ours"], runs["reference"]
}

type fleetConf struct {
	Dir      string
	Command  string
	Programs []string
}

// runFleet starts c on 500 programs, waits until all are RUNNING, reads
// its RSS, then shuts it down.
func runFleet(b *testing.B, c contender) *fleetRun {
	b.Helper()
	dir := b.TempDir()
	names := make([]string, fleetSize)
	for i := range names {
		names[i] = fmt.Sprintf("p%03d", i)
	}
	conf := writeConf(b, dir, "fleet.conf", fleetConf{dir, sleepCommand, names})
	d := startDaemon(b, c.path, conf, dir)
	var log mainLog
	d.poll(b, 50*time.Millisecond, 90*time.Second, "500 programs RUNNING", func() bool {
		log = readLog(d.log)
		return log.count("success: ") >= fleetSize
	})
	rss, err := rssMiB(d.cmd.Process.Pid)
	if err != nil {
		b.Fatal(err)
	}
	checkFleetLog(b, log)
	r := &fleetRun{rss: rss}
	r.ready = sinceStart(b, d, log, "supervisord started with pid")
	r.spawned = sinceStart(b, d, log, "spawned: ")
	r.running = sinceStart(b, d, log, "success: ")
	r.shutdown, r.capped = shutdown(b, d, log.spawnedPIDs())
	assertNoneLeft(b, dir)
	b.Logf("%s: started after %.3f s, spawned all after %.3f s, all RUNNING after %.3f s, RSS %.1f MiB, shutdown %.3f s (capped %v)",
		c.name, r.ready.Seconds(), r.spawned.Seconds(), r.running.Seconds(), r.rss, r.shutdown.Seconds(), r.capped)
	return r
}

// checkFleetLog fails b unless every program was spawned once and none
// has exited: a run with failures measures something else.
func checkFleetLog(b *testing.B, log mainLog) {
	b.Helper()
	if n := len(log.spawnedPIDs()); n != fleetSize {
		b.Fatalf("main log has %d spawned lines; want %d", n, fleetSize)
	}
	for _, bad := range []string{"exited: ", "gave up: ", "spawnerr: "} {
		if n := log.count(bad); n > 0 {
			b.Fatalf("main log has %d %q lines; want none", n, bad)
		}
	}
}

// sinceStart returns the time from the daemon's start to the last main-log
// line containing s, from the line's millisecond timestamp, so that the
// figure does not depend on how often the benchmark polls.
func sinceStart(b *testing.B, d *daemon, log mainLog, s string) time.Duration {
	b.Helper()
	last, err := log.lastStamp(s)
	if err != nil {
		b.Fatal(err)
	}
	// The timestamp is truncated to the millisecond; the start is not.
	elapsed := last.Sub(d.started.Truncate(time.Millisecond))
	if elapsed < 0 || elapsed > 10*time.Minute {
		b.Fatalf("last %q line is %v after the daemon's start: clock or time zone mismatch", s, elapsed)
	}
	return elapsed
}

// shutdown sends SIGTERM and returns the time until the daemon has exited
// and every child in pids is gone, or shutdownCap and true if the daemon
// was still running then (it is then killed).
func shutdown(b *testing.B, d *daemon, pids []int) (time.Duration, bool) {
	b.Helper()
	start := time.Now()
	if !d.stop(shutdownCap) {
		d.kill()
		return shutdownCap, true
	}
	deadline := d.exited.Add(10 * time.Second)
	for !gone(pids) {
		if time.Now().After(deadline) {
			b.Fatalf("children still alive 10 s after the daemon exited")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start), false
}

func BenchmarkStart500(b *testing.B) {
	ours, ref := fleet(b)
	report(b, figure{
		name: "start500", what: "start to all 500 RUNNING", unit: "s",
		ours: ours.running.Seconds(), ref: ref.running.Seconds(),
		target: "<= startsecs+0.5 s", met: ours.running <= startsecs+500*time.Millisecond,
	})
}

func BenchmarkRSS500(b *testing.B) {
	ours, ref := fleet(b)
	report(b, figure{
		name: "rss500", what: "daemon RSS, 500 RUNNING", unit: "MiB",
		ours: ours.rss, ref: ref.rss,
		target: "< 15 MB (14.3 MiB)", met: ours.rss*(1<<20) < 15e6,
	})
}

func BenchmarkShutdown500(b *testing.B) {
	ours, ref := fleet(b)
	report(b, figure{
		name: "shutdown500", what: "SIGTERM to daemon and 500 gone", unit: "s",
		ours: ours.shutdown.Seconds(), ref: ref.shutdown.Seconds(), atLeast: ref.capped,
		target: "< 2 s", met: !ours.capped && ours.shutdown < 2*time.Second,
	})
}
