package mainlog_test

import (
	"context"
	"log"
	"log/slog"
	"os"
	"time"

	"github.com/lancerhq/lancer/core/internal/mainlog"
)

// How main builds the root logger: the main log with a copy on stdout, as
// with nodaemon=true; here without a file.
func Example() {
	ml, err := mainlog.Open(mainlog.Options{Stdout: os.Stdout, Errors: os.Stderr})
	if err != nil {
		log.Fatal(err)
	}
	defer ml.Close()
	level, _ := mainlog.ParseLevel("info")
	logger := slog.New(mainlog.NewHandler(ml, &mainlog.HandlerOptions{Level: level}))

	// A fixed time for the example; a logger uses time.Now.
	at := time.Date(2026, 11, 22, 4, 18, 32, 298e6, time.Local)
	for _, r := range []slog.Record{
		slog.NewRecord(at, mainlog.LevelInfo, "spawned: 'quick' with pid 8365", 0),
		slog.NewRecord(at, mainlog.LevelDebug, "not at info", 0),
	} {
		if logger.Enabled(context.Background(), r.Level) {
			logger.With("program", "quick").Handler().Handle(context.Background(), r)
		}
	}
	// Output: 2026-11-22 04:18:32,298 INFO spawned: 'quick' with pid 8365
}
