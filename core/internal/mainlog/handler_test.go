package mainlog

import (
	"bytes"
	"errors"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/slogtest"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// at is the time of the reference's example line.
var at = time.Date(2026, 11, 22, 4, 18, 32, 298_999_999, time.UTC)

func record(l slog.Level, msg string, args ...any) slog.Record {
	r := slog.NewRecord(at, l, msg, 0)
	r.Add(args...)
	return r
}

// TestHandlerGolden writes a set of records and compares them with
// testdata/lines.golden.
func TestHandlerGolden(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	h := NewHandler(&buf, &HandlerOptions{Level: LevelBlather})
	ctxh := h.WithAttrs([]slog.Attr{slog.String("program", "quick")}).WithGroup("g")
	for _, r := range []struct {
		h slog.Handler
		r slog.Record
	}{
		{h, record(LevelInfo, "spawned: 'quick' with pid 8365")},
		{h, record(LevelInfo, "success: quick entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)")},
		{h, record(LevelCritical, "Supervisor is running as root.")},
		{h, record(LevelError, "error")},
		{h, record(LevelWarn, "exited: quick (exit status 3; not expected)")},
		{h, record(LevelDebug, "'quick' stdout output:\nline one\nline two\n")},
		{h, record(LevelTrace, "trace")},
		{h, record(LevelBlather, "blather")},
		{h, record(LevelInfo, "100% of %(name)s")},
		{h, record(LevelError, "child log write failed", "target", "/var/log/x y.log", "err", errors.New("no space left on device"))},
		{h, record(LevelInfo, "typed", "n", 3, "ok", true, "empty", "", "q", `a"b`, "eq", "a=b", "t", at)},
		{h, record(LevelInfo, "group", slog.Group("req", "id", 7, slog.Group("", "inline", 1)), slog.Group("none"))},
		{ctxh, record(LevelInfo, "context dropped, group kept", "k", "v")},
		{ctxh, record(LevelDebug, "context dropped at debug too")},
		{h, slog.NewRecord(time.Time{}, LevelInfo, "no time", 0)},
	} {
		if err := r.h.Handle(t.Context(), r.r); err != nil {
			t.Fatal(err)
		}
	}
	golden(t, "lines.golden", buf.Bytes())
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (-update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestHandlerReferenceExample(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(NewHandler(&buf, nil)).With("component", "supervisor")
	logger.Handler().Handle(t.Context(), record(LevelInfo, "spawned: 'quick' with pid 8365"))
	if got, want := buf.String(), "2026-11-22 04:18:32,298 INFO spawned: 'quick' with pid 8365\n"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
}

func TestHandlerLevel(t *testing.T) {
	t.Parallel()
	var lv slog.LevelVar
	var buf bytes.Buffer
	logger := slog.New(NewHandler(&buf, &HandlerOptions{Level: &lv}))
	logger.Debug("hidden")
	logger.Info("shown")
	lv.Set(LevelTrace)
	logger.Log(t.Context(), LevelTrace, "now shown")
	logger.Log(t.Context(), LevelBlather, "hidden")
	if got := buf.String(); strings.Count(got, "\n") != 2 || !strings.Contains(got, " INFO shown\n") || !strings.Contains(got, " TRAC now shown\n") {
		t.Errorf("got %q", got)
	}
	now := time.Now()
	line := buf.String()[:len("2006-01-02 15:04:05,000")]
	if ts, err := time.ParseInLocation("2006-01-02 15:04:05,000", line, time.Local); err != nil || now.Sub(ts) > time.Minute || ts.Sub(now) > time.Second {
		t.Errorf("timestamp %q is not local now (%v): %v", line, now, err)
	}
}

// TestSlogtest runs the standard library's handler tests. With
// ShowContext they all apply. In the default mode the attributes of
// WithAttrs are deliberately dropped, so the cases that look for them are
// skipped: the reference's lines have no room for a logger's context.
func TestSlogtest(t *testing.T) {
	for _, show := range []bool{true, false} {
		t.Run("ShowContext="+strconv.FormatBool(show), func(t *testing.T) {
			var buf bytes.Buffer
			slogtest.Run(t, func(t *testing.T) slog.Handler {
				if !show && usesWith[t.Name()[strings.LastIndex(t.Name(), "/")+1:]] {
					t.Skip("the default Handler drops WithAttrs context by design")
				}
				buf.Reset()
				return NewHandler(&buf, &HandlerOptions{ShowContext: show})
			}, func(t *testing.T) map[string]any {
				return parseLine(t, buf.String())
			})
		})
	}
}

// usesWith names the slogtest cases that log through a logger's With.
var usesWith = map[string]bool{
	"WithAttrs": true, "multi-With": true, "empty-group-record": true,
	"nested-empty-group-record": true, "resolve-WithAttrs": true, "resolve-WithAttrs-groups": true,
}

// parseLine turns one line back into the map slogtest wants: time, level,
// msg (one word) and key=value attributes, groups nested by their dots.
func parseLine(t *testing.T, line string) map[string]any {
	t.Helper()
	line = strings.TrimSuffix(line, "\n")
	m := map[string]any{}
	if len(line) > 24 && line[4] == '-' {
		m[slog.TimeKey] = line[:23]
		line = line[24:]
	}
	level, rest, _ := strings.Cut(line, " ")
	m[slog.LevelKey] = level
	msg, rest, _ := strings.Cut(rest, " ")
	m[slog.MessageKey] = msg
	for rest != "" {
		kv, tail, _ := strings.Cut(rest, " ")
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			t.Fatalf("bad attribute %q in %q", kv, line)
		}
		put(m, strings.Split(k, "."), v)
		rest = tail
	}
	return m
}

func put(m map[string]any, keys []string, v string) {
	for _, k := range keys[:len(keys)-1] {
		sub, ok := m[k].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[k] = sub
		}
		m = sub
	}
	m[keys[len(keys)-1]] = v
}
