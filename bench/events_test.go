package bench

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/protocol"
)

// The program is testdata/emitter, writing eventCount capture-mode
// messages per round as fast as the daemon reads them; the listener is
// testdata/acker, acknowledging each at once. Both are small Go programs
// built once per run and run unchanged under both daemons. The listener is
// Go, on protocol.Serve, rather than a childutils script because it must
// not be the bottleneck: a Python listener spends tens of microseconds
// per event, which would cap the faster daemon and hide the ratio. Its
// CPU time is reported beside the daemon's to show what it cost.
const (
	eventCount = 20000
	// eventRounds is how many times the emitter is released on one
	// daemon; the rate reported is the median round's, since a round's
	// rate hangs on wake-up latencies that vary from run to run.
	eventRounds = 3
	// eventBuffer is the pool's buffer_size: a round fits, so a daemon
	// that reads the emitter faster than it dispatches need not drop
	// any, and a drop is a fault, not a configured outcome.
	eventBuffer = eventCount
	// eventCap bounds the wait for a round's last event; a daemon still
	// delivering then is measured on what it managed.
	eventCap = 120 * time.Second
	// eventStall ends the wait early when no event has arrived for that
	// long: the rest of the round was lost.
	eventStall = 5 * time.Second
)

// eventRound is what one daemon did with one round of messages.
type eventRound struct {
	received int           // events the listener acknowledged
	elapsed  time.Duration // emitter released to the last event received
	cpu      float64       // daemon CPU seconds (user+system) meanwhile
	lcpu     float64       // the listener's CPU seconds meanwhile
	capped   bool          // the wait hit eventCap
}

// rate is events received per second from the emitter's release.
func (r eventRound) rate() float64 { return float64(r.received) / r.elapsed.Seconds() }

// eventRun is what one daemon did with every round.
type eventRun struct {
	rounds   []eventRound
	disorder int // events not numbered one above the previous
}

// rate is the median round's rate.
func (r *eventRun) rate() float64 {
	rates := make([]float64, len(r.rounds))
	for i, rd := range r.rounds {
		rates[i] = rd.rate()
	}
	slices.Sort(rates)
	return rates[len(rates)/2]
}

func (r *eventRun) received() (n int) {
	for _, rd := range r.rounds {
		n += rd.received
	}
	return n
}

func (r *eventRun) capped() bool {
	return slices.ContainsFunc(r.rounds, func(rd eventRound) bool { return rd.capped })
}

// cpuPerEvent is the daemon's CPU microseconds per event received, over
// all rounds.
func (r *eventRun) cpuPerEvent() float64 {
	var cpu float64
	for _, rd := range r.rounds {
		cpu += rd.cpu
	}
	return cpu / float64(r.received()) * 1e6
}

// String describes r on one line, each round's figures in turn.
func (r *eventRun) String() string {
	var rates, cpus, lcpus []string
	for _, rd := range r.rounds {
		rates = append(rates, fmt.Sprintf("%.0f", rd.rate()))
		cpus = append(cpus, fmt.Sprintf("%.2f", rd.cpu))
		lcpus = append(lcpus, fmt.Sprintf("%.2f", rd.lcpu))
	}
	return fmt.Sprintf("%d/%d events, %d out of order, capped %v; events/s %s (median %.0f); daemon CPU s %s (%.1f µs/event); listener CPU s %s",
		r.received(), eventRounds*eventCount, r.disorder, r.capped(), strings.Join(rates, " "), r.rate(),
		strings.Join(cpus, " "), r.cpuPerEvent(), strings.Join(lcpus, " "))
}

type eventsConf struct {
	Dir, Fifo, Emitter, Acker, Tally string
	Count, BufferSize                int
}

// runEvents starts c with the emitter waiting on a fifo and the listener
// READY, then runs eventRounds rounds.
func runEvents(b *testing.B, c contender) *eventRun {
	b.Helper()
	dir := b.TempDir()
	fifo := filepath.Join(dir, "go.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		b.Fatal(err)
	}
	emitter, acker := eventHelpers(b)
	tallyPath := filepath.Join(dir, "acker.tally")
	conf := writeConf(b, dir, "events.conf", eventsConf{dir, fifo, emitter, acker, tallyPath, eventCount, eventBuffer})
	d := startDaemon(b, c.path, conf, dir)
	d.poll(b, 20*time.Millisecond, 30*time.Second, "emitter and acker RUNNING", func() bool {
		l := readLog(d.log)
		return l.count("success: emitter entered RUNNING") > 0 && l.count("success: acker entered RUNNING") > 0
	})
	time.Sleep(200 * time.Millisecond) // let the daemon finish start-up work
	pids := [2]int{d.cmd.Process.Pid, listenerPID(b, d)}
	r := &eventRun{}
	var t tally
	for range eventRounds {
		var rd eventRound
		rd, t = eventRoundOn(b, d, pids, fifo, tallyPath, t)
		r.rounds = append(r.rounds, rd)
	}
	r.disorder = t.disorder
	if !d.stop(30 * time.Second) {
		b.Fatalf("%s did not stop within 30 s", c.name)
	}
	assertNoneLeft(b, dir)
	b.Logf("%s: %s", c.name, r)
	return r
}

// eventRoundOn releases the emitter once and waits for its messages
// beyond the listener's tally before, reading the CPU time of the daemon
// and the listener (pids) around it. It returns the round and the tally
// after.
func eventRoundOn(b *testing.B, d *daemon, pids [2]int, fifo, tallyPath string, before tally) (eventRound, tally) {
	b.Helper()
	cpu0, lcpu0 := cpuOf(b, pids[0]), cpuOf(b, pids[1])
	start := release(b, fifo)
	t, capped := awaitTally(b, d, tallyPath, start, before.count+eventCount)
	rd := eventRound{
		received: t.count - before.count, elapsed: t.last.Sub(start), capped: capped,
		cpu: cpuOf(b, pids[0]) - cpu0, lcpu: cpuOf(b, pids[1]) - lcpu0,
	}
	if rd.received == 0 {
		b.Fatalf("the listener received no event in %v; main log:\n%s", time.Since(start), tail(d.log))
	}
	return rd, t
}

// tally is the listener's count of events (see testdata/acker).
type tally struct {
	count, disorder int
	first, last     time.Time
}

func readTally(path string) (tally, error) {
	var t tally
	var first, last int64
	b, err := os.ReadFile(path)
	if err != nil {
		return t, err
	}
	if _, err := fmt.Sscan(string(b), &t.count, &first, &last, &t.disorder); err != nil {
		return t, fmt.Errorf("%s: %q: %w", path, b, err)
	}
	t.first, t.last = time.Unix(0, first), time.Unix(0, last)
	return t, nil
}

// awaitTally polls the listener's tally until it counts want, it has not
// changed for eventStall since start or its last change, or eventCap has
// passed since start (then it also returns true). The figures come from
// the listener's own timestamps, so they do not depend on how often it
// polls.
func awaitTally(b *testing.B, d *daemon, path string, start time.Time, want int) (tally, bool) {
	b.Helper()
	t, err := readTally(path)
	if err != nil {
		b.Fatal(err)
	}
	changed := start
	for {
		d.exitedEarly(b)
		now, err := readTally(path)
		if err != nil {
			b.Fatal(err)
		}
		if now.count != t.count {
			t, changed = now, time.Now()
		}
		switch {
		case t.count >= want, time.Since(changed) > eventStall:
			return t, false
		case time.Since(start) > eventCap:
			return t, true
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var listenerRE = regexp.MustCompile(`spawned: 'acker' with pid (\d+)`)

// listenerPID returns the pid of the acker from the daemon's main log.
func listenerPID(b *testing.B, d *daemon) int {
	b.Helper()
	m := listenerRE.FindAllSubmatch(readLog(d.log), -1)
	if len(m) != 1 {
		b.Fatalf("main log has %d spawned lines for acker; want 1:\n%s", len(m), tail(d.log))
	}
	pid, _ := atoi(string(m[0][1]))
	return pid
}

var (
	helpersOnce sync.Once
	helpersDir  string
	helpersErr  error
	helpersOut  []byte
)

// eventHelpers returns testdata/emitter and testdata/acker, built once
// per run.
func eventHelpers(b *testing.B) (emitter, acker string) {
	b.Helper()
	helpersOnce.Do(func() {
		if helpersDir, helpersErr = os.MkdirTemp("", "lancer-bench-helpers-"); helpersErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-trimpath", "-o", helpersDir+"/", "./testdata/emitter", "./testdata/acker")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		helpersOut, helpersErr = cmd.CombinedOutput()
	})
	if helpersErr != nil {
		b.Fatalf("build event helpers: %v\n%s", helpersErr, helpersOut)
	}
	return filepath.Join(helpersDir, "emitter"), filepath.Join(helpersDir, "acker")
}

// eventCeiling returns the median rate, over eventRounds rounds, at which
// the benchmark itself gets eventCount events through the acker, writing
// each envelope and reading its result and READY with nothing else to do:
// the round trip of the protocol on this machine, a ceiling that no
// daemon serving one listener can pass.
func eventCeiling(b *testing.B) float64 {
	b.Helper()
	_, acker := eventHelpers(b)
	cmd := exec.Command(acker, filepath.Join(b.TempDir(), "acker.tally"))
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		in.Close()
		_ = cmd.Wait()
	}()
	r := protocol.NewReader(out)
	if err := r.ReadReady(); err != nil {
		b.Fatalf("acker: %v", err)
	}
	rates := make([]float64, eventRounds)
	for i := range rates {
		start := time.Now()
		for n := i*eventCount + 1; n <= (i+1)*eventCount; n++ {
			if err := roundTrip(in, r, n); err != nil {
				b.Fatalf("acker, event %d: %v", n, err)
			}
		}
		rates[i] = eventCount / time.Since(start).Seconds()
	}
	slices.Sort(rates)
	return rates[len(rates)/2]
}

// roundTrip sends the acker the event of message n, as a daemon would, and
// reads its result and next READY.
func roundTrip(w io.Writer, r *protocol.Reader, n int) error {
	ev := protocol.Event{
		Header: protocol.Header{
			Ver: protocol.Version, Server: "bench", Serial: int64(n), Pool: "acker", PoolSerial: int64(n),
			EventName: "PROCESS_COMMUNICATION_STDOUT",
		},
		Payload: "processname:emitter groupname:emitter pid:1\nmsg " + strconv.Itoa(n),
	}
	if err := protocol.WriteEvent(w, ev); err != nil {
		return err
	}
	if res, err := r.ReadResult(); err != nil || res != "OK" {
		return fmt.Errorf("result %q: %v", res, err)
	}
	return r.ReadReady()
}

func BenchmarkEventThroughput(b *testing.B) {
	runs := map[string]*eventRun{}
	for _, c := range contenders(b) {
		runs[c.name] = once(b, "events/"+c.name, func(b *testing.B) *eventRun { return runEvents(b, c) })
	}
	ours, ref := runs["ours"], runs["reference"]
	ceiling := once(b, "events/ceiling", eventCeiling)
	b.ReportMetric(ceiling, "event-rate-ceiling-/s")
	note(b, fmt.Sprintf("event-rate ceiling: %.0f/s, the benchmark itself driving the listener; 10x the reference is %.0f/s",
		ceiling, 10*ref.rate()))
	sent := eventRounds * eventCount
	b.ReportMetric(float64(sent-ours.received()), "events-lost-ours")
	b.ReportMetric(float64(sent-ref.received()), "events-lost-ref")
	report(b, figure{
		name: "event-rate", what: "PROCESS_COMMUNICATION events/s", unit: "/s", higher: true,
		ours: ours.rate(), ref: ref.rate(),
		target: ">= 10x reference, none lost",
		met:    ours.rate() >= 10*ref.rate() && ours.received() == sent && ours.disorder == 0,
	})
	report(b, figure{
		name: "event-cpu", what: "daemon CPU per event", unit: "us",
		ours: ours.cpuPerEvent(), ref: ref.cpuPerEvent(),
		target: "", met: true,
	})
}
