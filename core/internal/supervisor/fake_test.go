package supervisor

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/mainlog"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol"
)

// script is what one fake child does. The zero script runs until any
// signal ends it, at once.
type script struct {
	spawnErr   string        // Spawn fails with this spawnerr
	exitAfter  time.Duration // exit on its own after this; 0: only by signal
	code       int           // ... with this exit code
	ignoreTerm bool          // survive every signal but SIGKILL
	dieAfter   time.Duration // die this long after a signal that kills it
}

// fakeSpawner plays scripts by process name, one per spawn of that name,
// the last one repeating; a name without scripts gets the zero script.
// Pids count from 101 across all names, in the order of successful
// spawns. Every spawn and signal is written to the timeline.
type fakeSpawner struct {
	tl *timeline

	mu      sync.Mutex
	scripts map[string][]script
	spawned map[string]int // spawns per name
	specs   []process.SpawnSpec
	procs   []*fakeProc
}

func newFakeSpawner(tl *timeline) *fakeSpawner {
	return &fakeSpawner{tl: tl, scripts: map[string][]script{}, spawned: map[string]int{}}
}

// script sets what the spawns of process name do.
func (s *fakeSpawner) script(name string, sc ...script) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts[name] = sc
}

func (s *fakeSpawner) Spawn(spec process.SpawnSpec) (process.Proc, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var sc script
	if l := s.scripts[spec.Name]; len(l) > 0 {
		sc = l[min(s.spawned[spec.Name], len(l)-1)]
	}
	s.spawned[spec.Name]++
	s.specs = append(s.specs, spec)
	if sc.spawnErr != "" {
		s.tl.add("spawn %s fails", spec.Name)
		return nil, &process.SpawnError{Msg: sc.spawnErr, Err: process.ErrNotFound}
	}
	p := &fakeProc{name: spec.Name, pid: 101 + len(s.procs), sc: sc, tl: s.tl, done: make(chan struct{})}
	s.procs = append(s.procs, p)
	s.tl.add("spawn %s %d", spec.Name, p.pid)
	if sc.exitAfter > 0 {
		p.after(sc.exitAfter, process.ExitStatus{Code: sc.code})
	}
	return p, nil
}

// spawnOrder returns the names of every spawn so far, in order.
func (s *fakeSpawner) spawnOrder() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, sp := range s.specs {
		out = append(out, sp.Name)
	}
	return out
}

// spec returns the spec of the last spawn of name.
func (s *fakeSpawner) spec(name string) (process.SpawnSpec, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sp := range slices.Backward(s.specs) {
		if sp.Name == name {
			return sp, true
		}
	}
	return process.SpawnSpec{}, false
}

// alive returns the fake children that have not exited.
func (s *fakeSpawner) alive() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, p := range s.procs {
		if !p.exited() {
			out = append(out, fmt.Sprintf("%s %d", p.name, p.pid))
		}
	}
	return out
}

type fakeProc struct {
	name string
	pid  int
	sc   script
	tl   *timeline
	done chan struct{}

	mu     sync.Mutex
	timer  *time.Timer
	status process.ExitStatus
	dead   bool
	dying  bool
}

func (p *fakeProc) Pid() int         { return p.pid }
func (p *fakeProc) Stdin() io.Writer { return io.Discard }
func (p *fakeProc) OnExit(f func())  { go func() { <-p.done; f() }() }
func (p *fakeProc) Wait() process.ExitStatus {
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status
}

func (p *fakeProc) exited() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dead
}

// after makes p exit with e after d, unless it has exited by then.
func (p *fakeProc) after(d time.Duration, e process.ExitStatus) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.timer != nil {
		p.timer.Stop()
	}
	p.timer = time.AfterFunc(d, func() { p.exit(e) })
}

func (p *fakeProc) exit(e process.ExitStatus) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dead {
		return
	}
	p.dead, p.status = true, e
	if p.timer != nil {
		p.timer.Stop()
	}
	close(p.done)
}

func (p *fakeProc) Signal(sig syscall.Signal, group bool) error {
	as := ""
	if group {
		as = " group"
	}
	p.tl.add("signal %s %s%s", p.name, process.SignalName(sig), as)
	killed := process.ExitStatus{Signal: sig}
	switch {
	case sig == syscall.SIGKILL:
		p.exit(killed)
	case p.sc.ignoreTerm:
	case p.sc.dieAfter > 0:
		p.mu.Lock()
		dying := p.dying
		p.dying = true
		p.mu.Unlock()
		if !dying {
			p.after(p.sc.dieAfter, killed)
		}
	default:
		p.exit(killed)
	}
	return nil
}

// timeline is one ordered record of main-log lines, fake spawns and
// signals, stamped with the (fake) time since it was made: "3s INFO
// waiting for a to die", "0s signal a SIGTERM". It is the main log's
// slog.Handler, at INFO, or at every level when debug is set.
type timeline struct {
	t0    time.Time
	debug bool

	mu    sync.Mutex
	lines []string
}

func newTimeline() *timeline { return &timeline{t0: time.Now()} }

func (tl *timeline) add(format string, args ...any) {
	tl.addAt(time.Now(), fmt.Sprintf(format, args...))
}

func (tl *timeline) addAt(t time.Time, s string) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	tl.lines = append(tl.lines, fmt.Sprintf("%v %s", t.Sub(tl.t0), s))
}

// mark forgets the lines so far and counts time from now on.
func (tl *timeline) mark() {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	tl.t0, tl.lines = time.Now(), nil
}

// take returns the lines so far and forgets them.
func (tl *timeline) take() []string {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	l := tl.lines
	tl.lines = nil
	return l
}

// logsOnly returns the main-log lines of timeline lines, without their
// times.
func logsOnly(lines []string) []string {
	var out []string
	for _, l := range lines {
		_, msg, _ := strings.Cut(l, " ")
		if !strings.HasPrefix(msg, "spawn ") && !strings.HasPrefix(msg, "signal ") {
			out = append(out, msg)
		}
	}
	return out
}

func (tl *timeline) Enabled(_ context.Context, l slog.Level) bool {
	return l >= slog.LevelInfo || tl.debug
}

func (tl *timeline) Handle(_ context.Context, r slog.Record) error {
	tl.addAt(r.Time, mainlog.LevelName(r.Level)+" "+r.Message)
	return nil
}
func (tl *timeline) WithAttrs([]slog.Attr) slog.Handler { return tl }
func (tl *timeline) WithGroup(string) slog.Handler      { return tl }

// eventLog records the events the supervisor emits, as "TYPE payload".
type eventLog struct {
	mu  sync.Mutex
	evs []string
}

func (e *eventLog) add(p protocol.Payload) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.evs = append(e.evs, strings.TrimSpace(string(p.EventType())+" "+p.Format()))
}

func (e *eventLog) take() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	l := e.evs
	e.evs = nil
	return l
}

// harness runs a Supervisor with a fake spawner inside the current
// synctest bubble.
type harness struct {
	*Supervisor
	t      *testing.T
	conf   *confFile
	fake   *fakeSpawner
	tl     *timeline
	events *eventLog
	sigs   chan os.Signal
	opts   Options
	runErr chan error
}

// newHarness prepares a supervisor for the config text; set scripts and
// options, then call start. It must be called inside the synctest bubble:
// the timeline counts from the bubble's clock.
func newHarness(t *testing.T, text string) *harness {
	t.Helper()
	h := &harness{t: t, tl: newTimeline(), events: &eventLog{}, sigs: make(chan os.Signal, 4), runErr: make(chan error, 1)}
	h.conf = newConfFile(t, text)
	h.fake = newFakeSpawner(h.tl)
	h.opts = Options{
		Config: h.conf.load(t), Reload: h.conf.reload, Logger: slog.New(h.tl),
		Spawner: h.fake, Environ: []string{"PATH=/bin"}, Signals: h.sigs,
		Events: h.events.add, PID: 42,
	}
	return h
}

// start builds the supervisor, runs it and waits until it is idle.
func (h *harness) start() *harness {
	h.t.Helper()
	s, err := New(h.opts)
	if err != nil {
		h.t.Fatal(err)
	}
	h.Supervisor = s
	go func() { h.runErr <- s.Run(h.t.Context()) }()
	synctest.Wait()
	return h
}

// stop shuts the supervisor down with SIGTERM and waits for Run, then
// checks that no fake child is left.
func (h *harness) stop() {
	h.t.Helper()
	h.sigs <- syscall.SIGTERM
	h.waitRun()
}

func (h *harness) waitRun() {
	h.t.Helper()
	if err := <-h.runErr; err != nil {
		h.t.Errorf("Run = %v; want nil", err)
	}
	if left := h.fake.alive(); len(left) > 0 {
		h.t.Errorf("children left after Run: %v", left)
	}
}

// mark forgets the timeline and events so far and counts time from now.
func (h *harness) mark() {
	h.tl.mark()
	h.events.take()
}

// expectEvents compares the events so far with want and clears them.
func (h *harness) expectEvents(want ...string) {
	h.t.Helper()
	if d := diffLines(h.events.take(), want); d != "" {
		h.t.Errorf("events:\n%s", d)
	}
}

// states returns "name STATE" for every process of the snapshot.
func (h *harness) states() []string {
	var out []string
	for _, st := range h.Snapshot() {
		out = append(out, st.Group+":"+st.Name+" "+st.State.String())
	}
	return out
}

// confFile is a supervisord.conf in a temporary directory: a
// [supervisord] section that keeps old logs, then the text given. Every
// AUTO child log becomes NONE, so that only logs a test names are files.
type confFile struct {
	path string
}

const confHeader = "[supervisord]\nnocleanup = true\nchildlogdir = %(here)s\n\n"

func newConfFile(t *testing.T, text string) *confFile {
	t.Helper()
	c := &confFile{path: filepath.Join(t.TempDir(), "supervisord.conf")}
	c.write(t, text)
	return c
}

func (c *confFile) write(t *testing.T, text string) {
	t.Helper()
	if err := os.WriteFile(c.path, []byte(confHeader+text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (c *confFile) reload() (*config.File, error) {
	f, err := config.Load(c.path, config.Options{Environ: []string{}, Hostname: "h", Dir: filepath.Dir(c.path)})
	if err != nil {
		return nil, err
	}
	for i := range f.Groups {
		for j := range f.Groups[i].Processes {
			p := &f.Groups[i].Processes[j]
			for _, l := range []*config.Log{&p.Stdout, &p.Stderr} {
				if l.Kind == config.LogAuto {
					l.Kind = config.LogNone
				}
			}
		}
	}
	return f, nil
}

func (c *confFile) load(t *testing.T) *config.File {
	t.Helper()
	f, err := c.reload()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// sameInstant matches timeline entries whose order among others of the
// same time is the scheduler's: exits of several children at one instant
// reach their actors in any order, and their startsecs timers fire in any
// order.
var sameInstant = regexp.MustCompile(`^\S+ (INFO|WARN) (stopped|exited|success): `)

// normalize sorts every run of same-time sameInstant lines.
func normalize(lines []string) []string {
	lines = slices.Clone(lines)
	for i := 0; i < len(lines); {
		j := i
		stamp, _, _ := strings.Cut(lines[i], " ")
		for j < len(lines) && sameInstant.MatchString(lines[j]) && strings.HasPrefix(lines[j], stamp+" ") {
			j++
		}
		if j > i {
			slices.Sort(lines[i:j])
			i = j
		} else {
			i++
		}
	}
	return lines
}

func diffLines(got, want []string) string {
	if slices.Equal(got, want) {
		return ""
	}
	return fmt.Sprintf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
}

// expect compares the timeline so far, normalized, with want and clears
// it.
func (h *harness) expect(want ...string) {
	h.t.Helper()
	if d := diffLines(normalize(h.tl.take()), normalize(want)); d != "" {
		h.t.Errorf("timeline:\n%s", d)
	}
}
