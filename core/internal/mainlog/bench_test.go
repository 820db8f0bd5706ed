package mainlog

import (
	"io"
	"log/slog"
	"testing"
)

// BenchmarkHandler formats the reference's commonest line.
func BenchmarkHandler(b *testing.B) {
	logger := slog.New(NewHandler(io.Discard, nil)).With("program", "quick")
	b.ReportAllocs()
	for b.Loop() {
		logger.Info("spawned: 'quick' with pid 8365")
	}
}
