package batch

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/protocol"
)

// MaxBatch bounds the lines a [Monitor] keeps while its messages cannot be
// sent. Beyond it the oldest lines are dropped and counted.
const MaxBatch = 1000

// SendTimeout bounds one delivery of a batch, whatever the channel, so
// that a server that never answers cannot stall the listener (B10).
const SendTimeout = 30 * time.Second

// ShutdownTimeout bounds the last delivery when the listener stops, well
// inside supervisord's default stopwaitsecs of 10 seconds.
const ShutdownTimeout = 5 * time.Second

// digestLen is how much of a body the "Sending notification email:" log
// shows, as superlance's digest_len.
const digestLen = 76

// AsctimeLayout is childutils.get_asctime's format, local time with
// milliseconds: 2024-05-01 12:00:00,123.
const AsctimeLayout = "2006-01-02 15:04:05,000"

// Kind is what one batch listener adds to the shared [Monitor], as a
// superlance subclass of ProcessStateEmailMonitor does.
type Kind struct {
	// Name is the command name, used in help and error messages.
	Name string
	// Events are the process state events reported.
	Events []protocol.EventType
	// DefaultSubject is the subject without -s; "" means none at all:
	// no Subject header, and "Subject: None" in the log (crashsms).
	DefaultSubject string
	// AlertName is the "alertname" label of every message.
	AlertName string
	// Message returns the batch line for p, given the time as
	// [AsctimeLayout], or false when p is not worth reporting (an
	// expected exit).
	Message func(p protocol.ProcessState, asctime string) (string, bool)
}

// entry is one line of a batch and the process it is about.
type entry struct {
	line, group, name string
}

// Monitor batches process state events and sends them every --interval,
// the Go counterpart of superlance's ProcessStateEmailMonitor. It is a
// [protocol.Handler]. A Monitor is not safe for concurrent use: [Monitor.Run]
// gives it one goroutine.
type Monitor struct {
	kind     Kind
	opts     Options
	sender   alert.Sender
	stderr   io.Writer
	log      *slog.Logger
	now      func() time.Time
	ownGroup string
	tick     time.Duration // the period of opts.TickEvent

	elapsed time.Duration // counted in ticks since the last attempt
	batch   []entry
	dropped int // lines dropped from the front of batch
}

// Config is what a [Monitor] needs besides its [Kind] and [Options].
type Config struct {
	// Sender delivers the batches (SMTP and the other channels).
	Sender alert.Sender
	// Stderr receives superlance's diagnostic lines.
	Stderr io.Writer
	// Log receives Lancer's own diagnostics; nil discards them.
	Log *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// OwnGroup is this listener's pool (SUPERVISOR_GROUP_NAME), whose
	// events are ignored; "" ignores none.
	OwnGroup string
}

// NewMonitor returns a Monitor with an empty batch. It fails only for a
// tick event that [TickSeconds] refuses.
func NewMonitor(k Kind, o Options, c Config) (*Monitor, error) {
	secs, err := TickSeconds(string(o.TickEvent))
	if err != nil {
		return nil, err
	}
	m := &Monitor{kind: k, opts: o, sender: c.Sender, stderr: c.Stderr, log: c.Log, now: c.Now,
		ownGroup: c.OwnGroup, tick: time.Duration(secs) * time.Second}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	if m.now == nil {
		m.now = time.Now
	}
	return m, nil
}

// HandleEvent batches the events of m's Kind and counts the configured
// tick; it ignores everything else. It always acknowledges (returns nil),
// as superlance does: a failed delivery is logged and retried with the
// next batch, never by asking supervisord to resend the event.
func (m *Monitor) HandleEvent(ctx context.Context, ev protocol.Event) error {
	switch t := ev.Type(); {
	case slices.Contains(m.kind.Events, t):
		m.handleState(ev)
	case t == m.opts.TickEvent:
		m.handleTick(ctx)
	}
	return nil
}

// handleState adds the line for one process state event to the batch and
// writes it to stderr.
func (m *Monitor) handleState(ev protocol.Event) {
	p, err := ev.Parse()
	if err != nil {
		m.log.Warn("ignoring event with a bad payload", "event", ev.Type(), "err", err)
		return
	}
	st, ok := p.(protocol.ProcessState)
	if !ok {
		return
	}
	if m.ownGroup != "" && st.GroupName == m.ownGroup {
		m.log.Info("ignoring event about this listener's own pool", "event", ev.Type(), "group", st.GroupName, "process", st.ProcessName)
		return
	}
	line, ok := m.kind.Message(st, m.now().Format(AsctimeLayout))
	if !ok {
		return
	}
	fmt.Fprintf(m.stderr, "%s\n", line)
	m.add(entry{line: line, group: st.GroupName, name: st.ProcessName})
}

// add appends e to the batch, dropping the oldest line beyond MaxBatch.
func (m *Monitor) add(e entry) {
	if len(m.batch) >= MaxBatch {
		m.batch = slices.Delete(m.batch, 0, 1)
		m.dropped++
	}
	m.batch = append(m.batch, e)
}

// handleTick counts one tick and sends the batch once the interval is
// reached.
func (m *Monitor) handleTick(ctx context.Context) {
	m.elapsed += m.tick
	if m.elapsed < m.opts.intervalDuration() {
		return
	}
	m.elapsed = 0
	m.Flush(ctx)
}

// Elapsed returns the minutes counted towards the interval, superlance's
// get_batch_minutes.
func (m *Monitor) Elapsed() float64 { return m.elapsed.Minutes() }

// Lines returns the batch waiting to be sent, superlance's get_batch_msgs.
func (m *Monitor) Lines() []string {
	out := make([]string, len(m.batch))
	for i, e := range m.batch {
		out[i] = e.line
	}
	return out
}

// Flush sends the batch now, if there is one, and logs the
// "Sending notification email:" block. The batch is cleared once it is
// delivered and kept for the next attempt when it is not.
func (m *Monitor) Flush(ctx context.Context) {
	if len(m.batch) == 0 {
		return
	}
	msg := m.message()
	ctx, cancel := context.WithTimeout(ctx, SendTimeout)
	defer cancel()
	err := m.sender.Send(ctx, msg)
	if err != nil {
		fmt.Fprintf(m.stderr, "Error sending email: %v\n", err)
	}
	m.logEmail(msg)
	if err != nil {
		m.log.Warn("batch kept for the next interval", "lines", len(m.batch), "max", MaxBatch)
		return
	}
	m.batch, m.dropped = nil, 0
}

// message builds the notification for the current batch.
func (m *Monitor) message() alert.Message {
	lines := m.Lines()
	if m.dropped > 0 {
		lines = slices.Insert(lines, 0, fmt.Sprintf("(%d earlier lines dropped: more than %d were waiting to be sent)", m.dropped, MaxBatch))
	}
	return alert.Message{
		From:    m.opts.From,
		To:      m.opts.To,
		Subject: m.opts.Subject,
		Body:    strings.Join(lines, "\n"),
		Date:    m.now(),
		Labels:  m.labels(),
	}
}

// labels names the alert and the processes and groups in the batch,
// several of them joined by commas in sorted order.
func (m *Monitor) labels() map[string]string {
	var procs, groups []string
	for _, e := range m.batch {
		procs = append(procs, e.name)
		groups = append(groups, e.group)
	}
	slices.Sort(procs)
	slices.Sort(groups)
	return map[string]string{
		"alertname": m.kind.AlertName,
		"process":   strings.Join(slices.Compact(procs), ","),
		"group":     strings.Join(slices.Compact(groups), ","),
	}
}

// logEmail writes superlance's log_email block, with the body cut to its
// first 76 characters.
func (m *Monitor) logEmail(msg alert.Message) {
	subject := msg.Subject
	if !m.opts.HasSubject {
		subject = "None"
	}
	body := msg.Body
	if utf8.RuneCountInString(body) > digestLen {
		body = string([]rune(body)[:digestLen]) + "..."
	}
	fmt.Fprintf(m.stderr, "Sending notification email:\nTo: %s\nFrom: %s\nSubject: %s\nBody:\n%s\n",
		strings.Join(msg.To, ", "), msg.From, subject, body)
}

// Run serves events from r, answering on w, until the stream ends or ctx
// is done, and then sends the batch still waiting rather than lose it.
// The protocol runs on a goroutine of its own so that a stop signal is
// seen while a read blocks; m's state stays with the caller's goroutine,
// which handles each event as the protocol goroutine hands it over. When
// ctx ends, that goroutine may be left blocked on r: the caller is about
// to exit.
func (m *Monitor) Run(ctx context.Context, r io.Reader, w io.Writer) error {
	type request struct {
		ev   protocol.Event
		done chan struct{}
	}
	reqs := make(chan request)
	served := make(chan error, 1)
	go func() {
		served <- protocol.Serve(ctx, r, w, protocol.HandlerFunc(func(ctx context.Context, ev protocol.Event) error {
			done := make(chan struct{})
			select {
			case reqs <- request{ev, done}:
			case <-ctx.Done():
				return ctx.Err() // not handled: supervisord resends it
			}
			<-done
			return nil
		}))
	}()
	for {
		select {
		case rq := <-reqs:
			m.HandleEvent(ctx, rq.ev)
			close(rq.done)
		case err := <-served:
			m.shutdown(ctx)
			return err
		case <-ctx.Done():
			m.shutdown(ctx)
			return nil
		}
	}
}

// shutdown sends what is waiting, within ShutdownTimeout even though ctx
// may be done.
func (m *Monitor) shutdown(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	m.Flush(ctx)
}
