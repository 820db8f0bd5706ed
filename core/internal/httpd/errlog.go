package httpd

import (
	"bytes"
	"context"
	"log"
	"log/slog"

	"github.com/lancerhq/lancer/core/internal/mainlog"
)

// newErrorLog gives net/http's own messages (accept errors, panics in a
// handler, bad requests) to logger the way the reference's LogWrapper
// gives medusa's: at error level when they mention an error or a panic,
// else at trace level.
func newErrorLog(logger *slog.Logger) *log.Logger {
	return log.New(errorWriter{logger}, "", 0)
}

type errorWriter struct{ log *slog.Logger }

func (w errorWriter) Write(p []byte) (int, error) {
	msg := bytes.TrimSuffix(p, []byte("\n"))
	lower := bytes.ToLower(msg)
	level := mainlog.LevelTrace
	if bytes.Contains(lower, []byte("error")) || bytes.Contains(lower, []byte("panic")) {
		level = mainlog.LevelError
	}
	w.log.Log(context.Background(), level, string(msg))
	return len(p), nil
}
