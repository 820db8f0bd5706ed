package mainlog

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// HandlerOptions configures a [Handler]. The zero value logs at info and
// above.
type HandlerOptions struct {
	// Level is the minimum level logged; nil means LevelInfo. A
	// *slog.LevelVar lets a reload change it.
	Level slog.Leveler
	// ShowContext also appends the attributes given to WithAttrs (a
	// logger's With). Off by default; see [Handler].
	ShowContext bool
}

// Handler is a slog.Handler that writes supervisord's main log format
// (supervisor.md §5), one line per record:
//
//	2026-11-22 04:18:32,298 INFO spawned: 'quick' with pid 8365
//
// The time is the record's own, to the millisecond (truncated, as the
// reference's %03d truncates); the level is one of CRIT ERRO WARN INFO
// DEBG TRAC BLAT (see [LevelName]); the message is written verbatim, so
// the continuation lines of a multi-line message carry no prefix.
//
// The reference has no attributes, so this is the rule: the attributes
// passed with a record are appended as " key=value" (quoted with
// strconv.Quote when they hold spaces, quotes, '=' or control
// characters; groups as "group.key"), while those attached with With are
// context for structured handlers and are dropped unless
// [HandlerOptions.ShowContext] is set. A line the reference writes is
// thus reproduced by logging its text with no attributes, whatever
// context the logger carries, and at every level; a message of our own
// can still carry data, such as an error under "err".
//
// A record with a zero time is written without one. Each record is
// written with a single Write, under a lock shared by the Handler and
// every Handler derived from it. A Handler is safe for concurrent use.
type Handler struct {
	w       io.Writer
	mu      *sync.Mutex
	level   slog.Leveler
	show    bool
	context []byte // attributes from WithAttrs, rendered
	prefix  string // the groups opened by WithGroup, as "a.b."
}

// NewHandler returns a Handler writing to w. opts may be nil.
func NewHandler(w io.Writer, opts *HandlerOptions) *Handler {
	h := &Handler{w: w, mu: new(sync.Mutex), level: LevelInfo}
	if opts != nil {
		if opts.Level != nil {
			h.level = opts.Level
		}
		h.show = opts.ShowContext
	}
	return h
}

// Enabled reports whether l is at or above the handler's level.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool {
	return l >= h.level.Level()
}

// Handle writes r as one line.
func (h *Handler) Handle(_ context.Context, r slog.Record) error {
	buf := make([]byte, 0, 64+len(r.Message))
	if !r.Time.IsZero() {
		buf = appendTime(buf, r.Time)
		buf = append(buf, ' ')
	}
	buf = append(buf, LevelName(r.Level)...)
	buf = append(buf, ' ')
	buf = append(buf, r.Message...)
	if h.show {
		buf = append(buf, h.context...)
	}
	r.Attrs(func(a slog.Attr) bool {
		buf = appendAttr(buf, h.prefix, a)
		return true
	})
	buf = append(buf, '\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := h.w.Write(buf)
	return err
}

// appendTime appends t as the reference's asctime, 2006-01-02
// 15:04:05,000, in t's location (time.Now is local, as the reference's
// time is).
func appendTime(buf []byte, t time.Time) []byte {
	return t.AppendFormat(buf, "2006-01-02 15:04:05,000")
}

// WithAttrs returns a Handler that holds as too; see [Handler] for when
// they are shown.
func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	if len(as) == 0 {
		return h
	}
	h2 := *h
	h2.context = append([]byte(nil), h.context...)
	for _, a := range as {
		h2.context = appendAttr(h2.context, h.prefix, a)
	}
	return &h2
}

// WithGroup returns a Handler that qualifies later attributes with name.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.prefix = h.prefix + name + "."
	return &h2
}

// appendAttr appends " key=value", with groups flattened into the key.
func appendAttr(buf []byte, prefix string, a slog.Attr) []byte {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return buf
	}
	if a.Value.Kind() == slog.KindGroup {
		if a.Key != "" {
			prefix += a.Key + "."
		}
		for _, g := range a.Value.Group() {
			buf = appendAttr(buf, prefix, g)
		}
		return buf
	}
	buf = append(buf, ' ')
	buf = appendString(buf, prefix+a.Key)
	buf = append(buf, '=')
	if a.Value.Kind() == slog.KindTime {
		return a.Value.Time().AppendFormat(buf, time.RFC3339Nano)
	}
	return appendString(buf, a.Value.String())
}

// appendString appends s, quoted if it would not read back as one token.
func appendString(buf []byte, s string) []byte {
	if needsQuote(s) {
		return strconv.AppendQuote(buf, s)
	}
	return append(buf, s...)
}

func needsQuote(s string) bool {
	if s == "" {
		return true
	}
	for _, r := range s {
		if r <= ' ' || r == '=' || r == '"' || r == 0x7f || r == utf8.RuneError {
			return true
		}
	}
	return false
}
