package supervisor

import (
	"context"
	"slices"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

const (
	beforeReload = "[program:keep]\ncommand = keep\n\n[program:old]\ncommand = old\n"
	afterReload  = "[program:keep]\ncommand = keep\n\n[program:new]\ncommand = new\npriority = 1\n"
)

// notProcessState drops PROCESS_STATE events, whose order across
// processes is the scheduler's.
func notProcessState(evs []string) []string {
	return slices.DeleteFunc(evs, func(e string) bool { return strings.HasPrefix(e, "PROCESS_STATE_") })
}

// TestRestart checks a restart by the restart method and by SIGHUP:
// everything stops, the config is read again and its programs start in
// a new generation, in the same process.
func TestRestart(t *testing.T) {
	tests := []struct {
		name    string
		restart func(context.Context, *harness) error
		logged  []string
	}{
		{"method", func(ctx context.Context, h *harness) error { return h.Restart(ctx) }, nil},
		{"SIGHUP", func(_ context.Context, h *harness) error { h.sigs <- syscall.SIGHUP; return nil },
			[]string{"0s WARN received SIGHUP indicating restart request"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newHarness(t, beforeReload)
				for _, name := range []string{"keep", "old"} {
					h.fake.script(name, script{dieAfter: time.Second})
				}
				h.start()
				time.Sleep(2 * time.Second)
				oldGen := h.view.Load().gen
				h.conf.write(t, afterReload)
				h.mark()
				if err := tt.restart(t.Context(), h); err != nil {
					t.Fatalf("restart = %v", err)
				}
				synctest.Wait()
				if got := h.Mood(); got != Restarting {
					t.Errorf("Mood() while restarting = %v; want RESTARTING", got)
				}
				if err := h.StartProcess(t.Context(), "keep", false); err != ErrShutdownState {
					t.Errorf("StartProcess while restarting = %v; want %v", err, ErrShutdownState)
				}
				time.Sleep(2500 * time.Millisecond)
				h.expect(append(slices.Clone(tt.logged),
					"0s INFO waiting for keep, old to die",
					"0s signal old SIGTERM",
					"0s signal keep SIGTERM",
					"1s WARN stopped: keep (terminated by SIGTERM)",
					"1s WARN stopped: old (terminated by SIGTERM)",
					"1s INFO supervisord started with pid 42",
					"1s spawn new 103",
					"1s INFO spawned: 'new' with pid 103",
					"1s spawn keep 104",
					"1s INFO spawned: 'keep' with pid 104",
					"2s INFO success: new entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)",
					"2s INFO success: keep entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)",
				)...)
				if d := diffLines(notProcessState(h.events.take()), []string{
					"SUPERVISOR_STATE_CHANGE_STOPPING",
					"PROCESS_GROUP_ADDED groupname:new",
					"PROCESS_GROUP_ADDED groupname:keep",
					"SUPERVISOR_STATE_CHANGE_RUNNING",
				}); d != "" {
					t.Errorf("events:\n%s", d)
				}
				if h.view.Load().gen == oldGen {
					t.Error("restart kept the old generation")
				}
				if got, want := h.states(), []string{"new:new RUNNING", "keep:keep RUNNING"}; !slices.Equal(got, want) {
					t.Errorf("states = %q; want %q", got, want)
				}
				if got := h.Mood(); got != Running {
					t.Errorf("Mood() after restart = %v; want RUNNING", got)
				}
				h.stop()
			})
		})
	}
}

// TestRestartKeepsConfigOnError checks that a restart with a config file
// that no longer loads logs why and runs the previous config again,
// where the reference would exit.
func TestRestartKeepsConfigOnError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, beforeReload).start()
		time.Sleep(2 * time.Second)
		h.conf.write(t, "[program:bad]\ncommand = bad\nstartsecs = soon\n")
		h.mark()
		h.sigs <- syscall.SIGHUP
		synctest.Wait()
		var errLine string
		for _, l := range logsOnly(h.tl.take()) {
			if strings.HasPrefix(l, "ERRO ") {
				errLine = l
			}
		}
		const want = "ERRO could not reload the configuration, keeping the previous one: "
		if !strings.HasPrefix(errLine, want) || !strings.Contains(errLine, `startsecs: invalid integer "soon"`) {
			t.Errorf("error line = %q; want %q and the config error", errLine, want)
		}
		if got, want := h.fake.spawnOrder(), []string{"keep", "old", "keep", "old"}; !slices.Equal(got, want) {
			t.Errorf("spawns = %q; want %q", got, want)
		}
		h.stop()
	})
}

// TestRestartWithoutReload checks that without Options.Reload a restart
// runs the same config again.
func TestRestartWithoutReload(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, beforeReload)
		h.opts.Reload = nil
		h.start()
		h.conf.write(t, afterReload)
		if err := h.Restart(t.Context()); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if got, want := h.fake.spawnOrder(), []string{"keep", "old", "keep", "old"}; !slices.Equal(got, want) {
			t.Errorf("spawns = %q; want %q", got, want)
		}
		h.stop()
	})
}

// TestShutdownMethod checks the shutdown method: it answers at once and
// Run returns once everything is stopped.
func TestShutdownMethod(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, beforeReload)
		h.fake.script("keep", script{dieAfter: time.Second})
		h.fake.script("old", script{dieAfter: 4 * time.Second})
		h.start()
		h.mark()
		if err := h.Shutdown(t.Context()); err != nil {
			t.Fatalf("Shutdown = %v", err)
		}
		h.waitRun()
		h.expect(
			"0s INFO waiting for keep, old to die",
			"0s signal old SIGTERM",
			"0s signal keep SIGTERM",
			"1s WARN stopped: keep (terminated by SIGTERM)",
			"3s INFO waiting for old to die",
			"4s WARN stopped: old (terminated by SIGTERM)",
		)
	})
}
