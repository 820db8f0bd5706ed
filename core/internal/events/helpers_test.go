package events

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/lancerhq/lancer/protocol"
)

// recorder is a slog.Handler that keeps each record as "LEVEL msg", with
// the main log's level names, and also writes it to the test's output.
type recorder struct {
	t     *testing.T
	mu    sync.Mutex
	lines []string
}

func newRecorder(t *testing.T) (*recorder, *slog.Logger) {
	r := &recorder{t: t}
	return r, slog.New(r)
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }

func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	line := levelName(rec.Level) + " " + rec.Message
	r.mu.Lock()
	r.lines = append(r.lines, line)
	r.mu.Unlock()
	fmt.Fprintln(r.t.Output(), line)
	return nil
}

// take returns the lines logged since the last take.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.lines
	r.lines = nil
	return l
}

func levelName(l slog.Level) string {
	switch {
	case l >= slog.LevelError:
		return "ERRO"
	case l >= slog.LevelWarn:
		return "WARN"
	case l >= slog.LevelInfo:
		return "INFO"
	}
	return "DEBG"
}

// drain pops everything q holds, as "serial/poolserial:EVENTNAME".
func drain(q *Queue) []string {
	var out []string
	for {
		it, ok := q.Pop()
		if !ok {
			return out
		}
		out = append(out, itemString(it))
	}
}

func itemString(it Item) string {
	return fmt.Sprintf("%d/%d:%s", it.Event.Serial, it.PoolSerial, it.Event.Type)
}

func running(name string) protocol.ProcessState {
	return protocol.ProcessState{Type: protocol.ProcessStateRunning, ProcessName: name, GroupName: name, FromState: "STARTING", PID: 42}
}

func tick(when int64) protocol.Tick { return protocol.Tick{Type: protocol.Tick5, When: when} }

func joined(s []string) string { return strings.Join(s, "\n") }
