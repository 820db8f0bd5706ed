package supervisor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// levelsConf has three priority levels: low (100); a and b_0, b_1 (200,
// two groups); z (300), which ignores SIGTERM for stopwaitsecs.
const levelsConf = `
[program:low]
command = low
priority = 100

[program:a]
command = a
priority = 200

[program:b]
command = b
priority = 200
numprocs = 2
process_name = b_%(process_num)d

[program:z]
command = z
priority = 300
stopwaitsecs = 5
`

// TestShutdownOrder checks the shutdown sequence: descending priority
// levels, every process of a level signalled at once, the next level
// as soon as the previous one is down, "waiting for ... to die" first and
// then every three seconds, and SIGKILL after stopwaitsecs.
func TestShutdownOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, levelsConf)
		h.fake.script("low", script{dieAfter: time.Second})
		h.fake.script("a", script{dieAfter: 2 * time.Second})
		h.fake.script("b_0", script{dieAfter: 2 * time.Second})
		h.fake.script("b_1", script{dieAfter: 2 * time.Second})
		h.fake.script("z", script{ignoreTerm: true})
		h.start()
		time.Sleep(2 * time.Second)
		h.mark()
		h.stop()
		h.expect(
			"0s WARN received SIGTERM indicating exit request",
			"0s INFO waiting for low, a, b_0, b_1, z to die",
			"0s signal z SIGTERM",
			"3s INFO waiting for low, a, b_0, b_1, z to die",
			"5s WARN killing 'z' (105) with SIGKILL",
			"5s signal z SIGKILL",
			"5s WARN stopped: z (terminated by SIGKILL)",
			"5s signal b_1 SIGTERM", // groups and their processes in descending order
			"5s signal b_0 SIGTERM",
			"5s signal a SIGTERM",
			"6s INFO waiting for low, a, b_0, b_1 to die",
			"7s WARN stopped: a (terminated by SIGTERM)",
			"7s WARN stopped: b_0 (terminated by SIGTERM)",
			"7s WARN stopped: b_1 (terminated by SIGTERM)",
			"7s signal low SIGTERM",
			"8s WARN stopped: low (terminated by SIGTERM)",
		)
		if got := h.Mood(); got != Shutdown {
			t.Errorf("Mood() after Run = %v; want SHUTDOWN", got)
		}
	})
}

// TestShutdownIsNotPerGroup checks that shutting down 500 programs of one
// priority takes as long as the slowest of them, with no delay per group
// (the reference takes about a second per group).
func TestShutdownIsNotPerGroup(t *testing.T) {
	const n = 500
	var conf strings.Builder
	for i := range n {
		fmt.Fprintf(&conf, "[program:p%03d]\ncommand = p\n\n", i)
	}
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, conf.String())
		for i := range n {
			h.fake.script(fmt.Sprintf("p%03d", i), script{dieAfter: 100 * time.Millisecond})
		}
		h.start()
		if got := len(h.fake.spawnOrder()); got != n {
			t.Fatalf("spawned %d; want %d", got, n)
		}
		time.Sleep(2 * time.Second)
		start := time.Now()
		h.stop()
		if d := time.Since(start); d != 100*time.Millisecond {
			t.Errorf("shutdown of %d programs took %v; want 100ms", n, d)
		}
		for _, st := range h.states() {
			if !strings.HasSuffix(st, " STOPPED") {
				t.Errorf("after shutdown %s; want STOPPED", st)
			}
		}
	})
}

// TestShutdownLevelsAreImmediate checks that a level whose processes die
// at once costs no time: three levels are down at the instant of the
// request.
func TestShutdownLevelsAreImmediate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, levelsConf).start()
		time.Sleep(2 * time.Second)
		start := time.Now()
		h.stop()
		if d := time.Since(start); d != 0 {
			t.Errorf("shutdown took %v; want 0", d)
		}
	})
}

// TestShutdownBackoff checks that a process in BACKOFF gives up
// (FATAL, silently) and, being in the last group stopped first, is not
// reported as waited for, as in the reference.
func TestShutdownBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, "[program:up]\ncommand = up\n\n[program:flaky]\ncommand = flaky\npriority = 1000\n")
		h.fake.script("flaky", script{spawnErr: "can't find command 'flaky'"})
		h.start()
		time.Sleep(1500 * time.Millisecond) // up RUNNING; flaky in its second BACKOFF
		if got, want := h.states(), []string{"up:up RUNNING", "flaky:flaky BACKOFF"}; !slices.Equal(got, want) {
			t.Fatalf("states = %q; want %q", got, want)
		}
		h.mark()
		h.stop()
		h.expect(
			"0s WARN received SIGTERM indicating exit request",
			"0s INFO waiting for up to die",
			"0s signal up SIGTERM",
			"0s WARN stopped: up (terminated by SIGTERM)",
		)
		if got, want := h.states(), []string{"up:up STOPPED", "flaky:flaky FATAL"}; !slices.Equal(got, want) {
			t.Errorf("states = %q; want %q", got, want)
		}
	})
}

func TestExitSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT} {
		t.Run(sig.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newHarness(t, "[program:x]\ncommand = x\n").start()
				h.mark()
				h.sigs <- sig
				h.waitRun()
				h.expect(
					fmt.Sprintf("0s WARN received %s indicating exit request", sigName(sig)),
					"0s INFO waiting for x to die",
					"0s signal x SIGTERM",
					"0s WARN stopped: x (terminated by SIGTERM)",
				)
				h.expectEvents(
					"SUPERVISOR_STATE_CHANGE_STOPPING",
					"PROCESS_STATE_STOPPING processname:x groupname:x from_state:STARTING pid:101",
					"PROCESS_STATE_STOPPED processname:x groupname:x from_state:STOPPING pid:101",
				)
			})
		})
	}
}

func sigName(sig syscall.Signal) string {
	return map[syscall.Signal]string{syscall.SIGTERM: "SIGTERM", syscall.SIGINT: "SIGINT", syscall.SIGQUIT: "SIGQUIT"}[sig]
}

// TestSignalsDuringShutdown checks that HUP is ignored with the
// reference's warning while shutting down, that the shutdown method and
// a second TERM are harmless, and that commands meet the shutdown gate.
func TestSignalsDuringShutdown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, "[program:x]\ncommand = x\nstopwaitsecs = 10\n")
		h.fake.script("x", script{ignoreTerm: true})
		h.start()
		time.Sleep(2 * time.Second)
		h.mark()
		h.sigs <- syscall.SIGTERM
		time.Sleep(time.Second)
		h.sigs <- syscall.SIGHUP
		h.sigs <- syscall.SIGTERM
		time.Sleep(time.Second)
		if got := h.Mood(); got != Shutdown {
			t.Errorf("Mood() = %v; want SHUTDOWN", got)
		}
		checkGate(t, h)
		h.waitRun()
		h.expect(
			"0s WARN received SIGTERM indicating exit request",
			"0s INFO waiting for x to die",
			"0s signal x SIGTERM",
			"1s WARN ignored SIGHUP indicating restart request (shutdown in progress)",
			"1s WARN received SIGTERM indicating exit request",
			"3s INFO waiting for x to die",
			"6s INFO waiting for x to die",
			"9s INFO waiting for x to die",
			"10s WARN killing 'x' (101) with SIGKILL",
			"10s signal x SIGKILL",
			"10s WARN stopped: x (terminated by SIGKILL)",
		)
	})
}

// checkGate checks that every command is refused with ErrShutdownState.
func checkGate(t *testing.T, h *harness) {
	t.Helper()
	ctx := t.Context()
	for name, err := range map[string]error{
		"StartProcess":  h.StartProcess(ctx, "x", false),
		"StopProcess":   h.StopProcess(ctx, "x", false),
		"SignalProcess": h.SignalProcess(ctx, "x", syscall.SIGHUP),
		"WriteStdin":    h.WriteStdin(ctx, "x", nil),
		"Shutdown":      h.Shutdown(ctx),
		"Restart":       h.Restart(ctx),
		"AddGroup":      h.AddGroup(ctx, "x"),
		"RemoveGroup":   h.RemoveGroup(ctx, "x"),
		"Reread":        second(h.Reread()),
		"StartGroup":    second(h.StartGroup(ctx, "x", false)),
		"StartAll":      second(h.StartAll(ctx, false)),
		"StopGroup":     second(h.StopGroup(ctx, "x", false)),
		"StopAll":       second(h.StopAll(ctx, false)),
		"SignalGroup":   second(h.SignalGroup(ctx, "x", syscall.SIGHUP)),
		"SignalAll":     second(h.SignalAll(ctx, syscall.SIGHUP)),
	} {
		if !errors.Is(err, ErrShutdownState) {
			t.Errorf("%s during shutdown = %v; want %v", name, err, ErrShutdownState)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestReopenLogs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, "[program:x]\ncommand = x\nstdout_logfile = %(here)s/x.log\nstderr_logfile = %(here)s/x.err\n")
		reopened := 0
		h.opts.Reopen = func() error {
			reopened++
			if reopened == 2 {
				return errors.New("disk on fire")
			}
			return nil
		}
		h.start()
		logPath := h.Snapshot()[0].StdoutLogfile
		// logrotate moves the files away, then sends USR2.
		for _, p := range []string{logPath, h.Snapshot()[0].StderrLogfile} {
			if err := os.Rename(p, p+".1"); err != nil {
				t.Fatal(err)
			}
		}
		h.mark()
		h.sigs <- syscall.SIGUSR2
		synctest.Wait()
		if reopened != 1 {
			t.Errorf("Reopen called %d times; want 1", reopened)
		}
		for _, p := range []string{logPath, h.Snapshot()[0].StderrLogfile} {
			if _, err := os.Stat(p); err != nil {
				t.Errorf("after USR2: %v; want the log reopened", err)
			}
		}
		h.sigs <- syscall.SIGUSR2
		synctest.Wait()
		h.expect(
			"0s INFO received SIGUSR2 indicating log reopen request",
			"0s INFO supervisord logreopen",
			"0s INFO received SIGUSR2 indicating log reopen request",
			"0s INFO supervisord logreopen",
			"0s ERRO could not reopen the main log: disk on fire",
		)
		h.stop()
	})
}

// TestOtherSignals checks that signals that ask nothing change nothing.
func TestOtherSignals(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, "[program:x]\ncommand = x\n")
		h.tl.debug = true
		h.start()
		time.Sleep(2 * time.Second)
		h.mark()
		h.sigs <- syscall.SIGUSR1
		synctest.Wait()
		h.expect("0s BLAT received SIGUSR1 indicating nothing")
		if got := h.states(); !slices.Equal(got, []string{"x:x RUNNING"}) {
			t.Errorf("states = %q; want x RUNNING", got)
		}
		h.stop()
	})
}

// TestContextEndsRun checks that cancelling Run's context stops
// everything: no child outlives Run.
func TestContextEndsRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, levelsConf)
		h.fake.script("z", script{ignoreTerm: true})
		s, err := New(h.opts)
		if err != nil {
			t.Fatal(err)
		}
		h.Supervisor = s
		ctx, cancel := context.WithCancel(t.Context())
		go func() { h.runErr <- s.Run(ctx) }()
		time.Sleep(2 * time.Second)
		cancel()
		h.waitRun()
	})
}

// TestShutdownReportStates checks the BLAT lines after each "waiting for"
// report, with the states the reference would show: the last group,
// which the reference stops before its first report, is STOPPING.
func TestShutdownReportStates(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, "[program:a]\ncommand = a\npriority = 1\n\n[program:z]\ncommand = z\npriority = 2\nstopwaitsecs = 4\n")
		h.fake.script("z", script{ignoreTerm: true})
		h.tl.debug = true
		h.start()
		time.Sleep(2 * time.Second)
		h.mark()
		h.stop()
		h.expect(
			"0s WARN received SIGTERM indicating exit request",
			"0s INFO waiting for a, z to die",
			"0s BLAT a state: RUNNING",
			"0s BLAT z state: STOPPING",
			"0s DEBG killing z (pid 102) with signal SIGTERM",
			"0s signal z SIGTERM",
			"3s INFO waiting for a, z to die",
			"3s BLAT a state: RUNNING",
			"3s BLAT z state: STOPPING",
			"4s WARN killing 'z' (102) with SIGKILL",
			"4s DEBG killing z (pid 102) with signal SIGKILL",
			"4s signal z SIGKILL",
			"4s WARN stopped: z (terminated by SIGKILL)",
			"4s DEBG killing a (pid 101) with signal SIGTERM",
			"4s signal a SIGTERM",
			"4s WARN stopped: a (terminated by SIGTERM)",
		)
	})
}
