package supervisor

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol"
)

// windowExec is an ExecSpawner given another window than forkWindow.
type windowExec struct {
	*process.ExecSpawner
	window int
}

func (w windowExec) SpawnWindow() int { return w.window }

// BenchmarkLaunch measures the start of a fleet of /bin/sleep programs,
// from Run to the last spawn, for several spawn windows, with AUTO logs
// (two files to create per program) and without logs: the part of
// bench's BenchmarkStart500 that is this package's. Run it with
// -benchtime=5x: each iteration starts and stops the whole fleet.
func BenchmarkLaunch(b *testing.B) {
	const fleet = 500
	for _, logs := range []string{"AUTO", "NONE"} {
		for _, window := range []int{1, 2, forkWindow} {
			b.Run(fmt.Sprintf("programs=%d/logs=%s/window=%d", fleet, logs, window), func(b *testing.B) {
				for b.Loop() {
					launchFleet(b, fleet, logs, windowExec{&process.ExecSpawner{}, window})
				}
			})
		}
	}
}

// launchFleet runs n programs with their logs under sp until all have
// spawned, which it times, then shuts them down.
func launchFleet(b *testing.B, n int, logs string, sp process.Spawner) {
	b.StopTimer()
	dir := b.TempDir()
	var text strings.Builder
	fmt.Fprintf(&text, "[supervisord]\nchildlogdir = %s\nidentifier = bench\n", dir)
	for i := range n {
		fmt.Fprintf(&text, "\n[program:p%03d]\ncommand = /bin/sleep 600\nstdout_logfile = %s\nstderr_logfile = %[2]s\n", i, logs)
	}
	path := filepath.Join(dir, "supervisord.conf")
	if err := os.WriteFile(path, []byte(text.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(path, config.Options{Environ: []string{}, Hostname: "h", Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	sigs := make(chan os.Signal, 1)
	running := make(chan struct{}, 1)
	s, err := New(Options{
		Config: cfg, Logger: slog.New(slog.DiscardHandler), Spawner: sp, Signals: sigs,
		Environ: []string{"PATH=/bin"},
		Events: func(p protocol.Payload) {
			if p.EventType() == protocol.SupervisorStateChangeRunning {
				running <- struct{}{}
			}
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan error, 1)
	b.StartTimer()
	go func() { done <- s.Run(context.WithoutCancel(b.Context())) }()
	<-running
	for _, st := range s.Snapshot() {
		p, _ := s.view.Load().lookup(st.Group + ":" + st.Name)
		awaitSpawn(b.Context(), p)
	}
	b.StopTimer()
	sigs <- syscall.SIGTERM
	select {
	case err := <-done:
		if err != nil {
			b.Fatal(err)
		}
	case <-time.After(time.Minute):
		b.Fatal("Run did not return after SIGTERM")
	}
	b.StartTimer()
}
