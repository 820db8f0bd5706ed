package eventpool

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/lancerhq/lancer/core/internal/events"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol"
)

// recorder is a slog.Handler keeping each record as "LEVEL msg", with the
// main log's level names; it also writes them to the test's output.
type recorder struct {
	t     *testing.T
	mu    sync.Mutex
	lines []string
	hold  map[string]chan struct{} // a line that blocks the logger until closed
}

// holdAt makes the goroutine that logs line wait, inside the logger, until
// the returned function is called: a way to keep the pool busy.
func (r *recorder) holdAt(line string) (release func()) {
	c := make(chan struct{})
	r.mu.Lock()
	if r.hold == nil {
		r.hold = map[string]chan struct{}{}
	}
	r.hold[line] = c
	r.mu.Unlock()
	return func() { close(c) }
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }

func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	name := map[slog.Level]string{slog.LevelDebug: "DEBG", slog.LevelInfo: "INFO", slog.LevelWarn: "WARN", slog.LevelError: "ERRO"}[rec.Level]
	r.mu.Lock()
	r.lines = append(r.lines, name+" "+rec.Message)
	hold := r.hold[name+" "+rec.Message]
	r.mu.Unlock()
	if hold != nil {
		<-hold
	}
	fmt.Fprintln(r.t.Output(), name+" "+rec.Message)
	return nil
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.lines
	r.lines = nil
	return l
}

// harness runs pools with fake listeners inside a synctest bubble: Send
// records each envelope; the test writes the listeners' stdout and
// reports their process state changes. Every action ends with
// synctest.Wait, so assertions see the pool at rest.
type harness struct {
	t     *testing.T
	rec   *recorder
	log   *slog.Logger
	bus   *events.Bus
	stops []func()

	mu       sync.Mutex
	sent     []string            // "listener serial/poolserial:EVENTNAME"
	raw      map[string][]string // envelope bytes per listener
	sendErr  map[string]error
	block    map[string]bool // Send blocks until its ctx ends
	restarts []string
	procs    map[string]process.State
}

func newHarness(t *testing.T) *harness {
	rec := &recorder{t: t}
	log := slog.New(rec)
	return &harness{
		t: t, rec: rec, log: log, bus: events.NewBus(log),
		raw: map[string][]string{}, sendErr: map[string]error{}, block: map[string]bool{},
		procs: map[string]process.State{},
	}
}

// pool subscribes a pool to types and runs it with the given listeners.
func (h *harness) pool(name string, size int, restart bool, listeners ...string) *Pool {
	h.t.Helper()
	q, err := h.bus.Subscribe(name, []protocol.EventType{protocol.AnyEvent}, size)
	if err != nil {
		h.t.Fatal(err)
	}
	opts := Options{Queue: q, Identifier: "lancer", Listeners: listeners, Send: h.send, Logger: h.log}
	if restart {
		opts.Restart = h.restart
	}
	p, err := New(opts)
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(h.t.Context())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()
	h.stops = append(h.stops, func() {
		cancel()
		if err := <-done; err != nil {
			h.t.Errorf("Run() = %v; want nil", err)
		}
		h.bus.Unsubscribe(q)
	})
	return p
}

// close stops every pool; call it before the bubble ends.
func (h *harness) close() {
	for _, stop := range h.stops {
		stop()
	}
	synctest.Wait()
}

func (h *harness) send(ctx context.Context, name string, data []byte) error {
	ev, err := protocol.ReadEvent(bufio.NewReader(bytes.NewReader(data)))
	if err != nil {
		h.t.Errorf("Send(%s): unreadable envelope %q: %v", name, data, err)
	}
	h.mu.Lock()
	block, fail := h.block[name], h.sendErr[name]
	if fail == nil {
		h.sent = append(h.sent, fmt.Sprintf("%s %d/%d:%s", name, ev.Header.Serial, ev.Header.PoolSerial, ev.Header.EventName))
		h.raw[name] = append(h.raw[name], string(data))
	}
	h.mu.Unlock()
	if block {
		<-ctx.Done()
		return ctx.Err()
	}
	return fail
}

func (h *harness) restart(name string) {
	h.mu.Lock()
	h.restarts = append(h.restarts, name)
	h.mu.Unlock()
}

// takeSent returns the envelopes sent since the last call, grouped by
// listener (each listener's writer runs on its own, so only the order
// per listener is defined).
func (h *harness) takeSent() []string {
	synctest.Wait()
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.sent
	h.sent = nil
	slices.SortStableFunc(s, func(a, b string) int {
		return strings.Compare(strings.Fields(a)[0], strings.Fields(b)[0])
	})
	return s
}

// to reports the listener's process entering state to, as its observer
// would.
func (h *harness) to(p *Pool, name string, to process.State) {
	from := h.procs[name]
	h.procs[name] = to
	p.ProcessChanged(process.Change{Name: name, Group: p.Name(), From: from, To: to})
	synctest.Wait()
}

// up spawns the listener, lets it reach RUNNING and has it write READY.
func (h *harness) up(p *Pool, names ...string) {
	for _, n := range names {
		h.to(p, n, process.Starting)
		h.to(p, n, process.Running)
		h.say(p, n, "READY\n")
	}
}

// say writes s on the listener's stdout.
func (h *harness) say(p *Pool, name, s string) {
	if _, err := p.Output(name).Write([]byte(s)); err != nil {
		h.t.Fatal(err)
	}
	synctest.Wait()
}

func (h *harness) publish(ps ...protocol.Payload) {
	for _, p := range ps {
		h.bus.Publish(p)
	}
	synctest.Wait()
}

func tick(when int64) protocol.Tick { return protocol.Tick{Type: protocol.Tick5, When: when} }

func lines(s ...string) string { return strings.Join(s, "\n") }
