package process_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"syscall"
	"time"

	"github.com/lancerhq/lancer/core/internal/process"
)

// ExampleNew shows how the supervisor layer builds and drives a process:
// a Config filled from config.Process, Run in its own goroutine, commands
// from RPC handlers, snapshots for readers, and a shutdown that waits for
// a stopped state before cancelling Run.
func ExampleNew() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdoutLog, stderrLog io.Writer // logcap's writers for the two channels

	p := process.New(process.Config{
		Policy: process.Policy{
			Name: "web", AutoStart: true, AutoRestart: process.RestartUnexpected,
			StartSecs: time.Second, StartRetries: 3, ExitCodes: []int{0},
			StopSignal: syscall.SIGTERM, StopWaitSecs: 10 * time.Second,
		},
		Group: "web",
		Spec: process.SpawnSpec{
			Argv:   []string{"python3", "-m", "http.server", "8080"},
			Env:    append(os.Environ(), "SUPERVISOR_ENABLED=1", "SUPERVISOR_PROCESS_NAME=web"),
			Umask:  -1,
			Stdout: stdoutLog, Stderr: stderrLog,
		},
		Spawner:  &process.ExecSpawner{Shim: []string{"/proc/self/exe", process.ShimArg}},
		Logger:   slog.New(slog.DiscardHandler),
		Observer: func(c process.Change) { fmt.Println(c.Name, c.From, "->", c.To) },
	})
	go func() { _ = p.Run(ctx) }()

	// startProcess("web", wait=True):
	if err := p.Start(ctx, true); err != nil {
		fmt.Println(err)
	}
	// getProcessInfo("web"):
	info := p.Snapshot()
	fmt.Println(info.State, info.Pid)

	// Daemon shutdown: stop, wait for a stopped state, then end Run.
	_ = p.Shutdown(ctx)
	_, _ = p.WaitFor(ctx, func(i process.Info) bool { return i.State.IsStopped() })
}
