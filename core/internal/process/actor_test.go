package process

import (
	"errors"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// TestActorStartsecs: RUNNING strictly after startsecs, then an expected
// exit with autorestart=unexpected stays EXITED.
func TestActorStartsecs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := startActor(t, testPolicy(), script{exitAfter: 3 * time.Second})
		defer a.stop()
		time.Sleep(10 * time.Second)
		synctest.Wait()
		a.expect(t,
			"0s STARTING from_state:STOPPED tries:0",
			"0s INFO spawned: 'x' with pid 101",
			"1s RUNNING from_state:STARTING pid:101",
			"1s INFO success: x entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)",
			"3s EXITED from_state:RUNNING expected:1 pid:101",
			"3s INFO exited: x (exit status 0; expected)",
		)
		want := Info{Name: "x", Group: "g", State: Exited, Start: at(0), Stop: at(3 * time.Second)}
		if got := utc(a.Snapshot()); got != want {
			t.Errorf("Snapshot() = %+v; want %+v", got, want)
		}
	})
}

// TestActorBackoffToFatal: exits within startsecs back off 1 s, 2 s, 3 s
// and give up after startretries+1 attempts (reference: tries at +0, +1,
// +3, +6 s). Start with wait reports the first spawn error.
func TestActorBackoffToFatal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := testPolicy()
		p.AutoStart = false
		a := startActor(t, p, script{exitAfter: 100 * time.Millisecond, code: 0})
		defer a.stop()
		err := a.Start(t.Context(), true)
		wantErr(t, "Start(wait)", err, ErrSpawn)
		if err == nil || !contains(err.Error(), msgTooQuickly) || sinceT0() != 100*time.Millisecond {
			t.Errorf("Start(wait) = %v at %v; want the spawnerr at 100ms", err, sinceT0())
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		a.expect(t,
			"0s STARTING from_state:STOPPED tries:0",
			"0s INFO spawned: 'x' with pid 101",
			"100ms BACKOFF from_state:STARTING tries:1",
			"100ms WARN exited: x (exit status 0; not expected)",
			"1.1s STARTING from_state:BACKOFF tries:1",
			"1.1s INFO spawned: 'x' with pid 102",
			"1.2s BACKOFF from_state:STARTING tries:2",
			"1.2s WARN exited: x (exit status 0; not expected)",
			"3.2s STARTING from_state:BACKOFF tries:2",
			"3.2s INFO spawned: 'x' with pid 103",
			"3.3s BACKOFF from_state:STARTING tries:3",
			"3.3s WARN exited: x (exit status 0; not expected)",
			"6.3s STARTING from_state:BACKOFF tries:3",
			"6.3s INFO spawned: 'x' with pid 104",
			"6.4s BACKOFF from_state:STARTING tries:4",
			"6.4s WARN exited: x (exit status 0; not expected)",
			"6.4s FATAL from_state:BACKOFF",
			"6.4s INFO gave up: x entered FATAL state, too many start retries too quickly",
		)
		want := Info{Name: "x", Group: "g", State: Fatal, Start: at(6300 * time.Millisecond),
			Stop: at(6400 * time.Millisecond), SpawnErr: msgTooQuickly}
		if got := utc(a.Snapshot()); got != want {
			t.Errorf("Snapshot() = %+v; want %+v", got, want)
		}
	})
}

// TestActorSpawnErrors: a failure in the parent is BACKOFF with the
// spawnerr, retried like an early exit; Start returns ErrSpawn at once.
func TestActorSpawnErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := testPolicy()
		p.AutoStart, p.StartRetries = false, 1
		a := startActor(t, p, script{spawnErr: "can't find command 'nope'"})
		defer a.stop()
		err := a.Start(t.Context(), false)
		wantErr(t, "Start", err, ErrSpawn)
		time.Sleep(time.Minute)
		synctest.Wait()
		a.expect(t,
			"0s STARTING from_state:STOPPED tries:0",
			"0s INFO spawnerr: can't find command 'nope'",
			"0s BACKOFF from_state:STARTING tries:1",
			"1s STARTING from_state:BACKOFF tries:1",
			"1s INFO spawnerr: can't find command 'nope'",
			"1s BACKOFF from_state:STARTING tries:2",
			"1s FATAL from_state:BACKOFF",
			"1s INFO gave up: x entered FATAL state, too many start retries too quickly",
		)
	})
}

// TestActorCheckFirst: a Checker's verdict comes back before any state
// change, as startProcess's NO_FILE does.
func TestActorCheckFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := testPolicy()
		p.AutoStart = false
		a := startActor(t, p, script{})
		defer a.stop()
		a.fake.check = &SpawnError{Msg: "can't find command 'nope'", Err: ErrNotFound}
		err := a.Start(t.Context(), true)
		wantErr(t, "Start", err, ErrNotFound)
		if err == nil || err.Error() != "can't find command 'nope'" {
			t.Errorf("Start = %v; want the reference's message", err)
		}
		synctest.Wait()
		a.expect(t)
	})
}

// TestActorStopEscalation: a process that ignores SIGTERM gets SIGKILL
// after stopwaitsecs; a waiting Stop logs every two seconds and returns
// when STOPPED.
func TestActorStopEscalation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := testPolicy()
		p.StopWaitSecs = 5 * time.Second
		p.KillAsGroup = true
		a := startActor(t, p, script{ignoreTerm: true})
		defer a.stop()
		time.Sleep(2 * time.Second)
		if err := a.Stop(t.Context(), true); err != nil || sinceT0() != 7*time.Second {
			t.Errorf("Stop(wait) = %v at %v; want nil at 7s", err, sinceT0())
		}
		synctest.Wait()
		a.expect(t,
			"0s STARTING from_state:STOPPED tries:0",
			"0s INFO spawned: 'x' with pid 101",
			"1s RUNNING from_state:STARTING pid:101",
			"1s INFO success: x entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)",
			"2s DEBG killing x (pid 101) with signal SIGTERM",
			"2s STOPPING from_state:RUNNING pid:101",
			"2s INFO waiting for x to stop",
			"4s INFO waiting for x to stop",
			"6s INFO waiting for x to stop",
			"7s WARN killing 'x' (101) with SIGKILL",
			"7s DEBG killing x (pid 101) process group with signal SIGKILL",
			"7s STOPPED from_state:STOPPING pid:101",
			"7s WARN stopped: x (terminated by SIGKILL)",
		)
		if d := diffLines(a.fake.proc(0).received(), lines("SIGTERM", "SIGKILL group")); d != "" {
			t.Errorf("signals:\n%s", d)
		}
		wantErr(t, "Stop again", a.Stop(t.Context(), true), ErrNotRunning)
		if got := a.Snapshot(); got.State != Stopped || got.ExitStatus != -1 || got.Pid != 0 {
			t.Errorf("Snapshot() = %+v; want STOPPED, exit status -1, pid 0", got)
		}
	})
}

// TestActorUnkillable: SIGKILL is re-sent every stopwaitsecs while the
// process survives; it stays STOPPING.
func TestActorUnkillable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := testPolicy()
		p.StartSecs, p.StopWaitSecs = 0, 2*time.Second
		a := startActor(t, p, script{unkillable: true})
		defer a.stop()
		if err := a.Stop(t.Context(), false); err != nil {
			t.Fatalf("Stop = %v", err)
		}
		time.Sleep(7 * time.Second)
		synctest.Wait()
		want := lines("SIGTERM", "SIGKILL", "SIGKILL", "SIGKILL")
		if d := diffLines(a.fake.proc(0).received(), want); d != "" {
			t.Errorf("signals:\n%s", d)
		}
		if s := a.Snapshot().State; s != Stopping {
			t.Errorf("state = %v; want STOPPING", s)
		}
	})
}

// TestActorAutorestart: unexpected exits from RUNNING restart at once,
// without limit or backoff; autorestart=false does not.
func TestActorAutorestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := startActor(t, testPolicy(), script{exitAfter: 2 * time.Second, code: 1})
		defer a.stop()
		time.Sleep(4500 * time.Millisecond)
		if err := a.Stop(t.Context(), true); err != nil {
			t.Errorf("Stop = %v", err)
		}
		a.expect(t,
			"0s STARTING from_state:STOPPED tries:0",
			"0s INFO spawned: 'x' with pid 101",
			"1s RUNNING from_state:STARTING pid:101",
			"1s INFO success: x entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)",
			"2s EXITED from_state:RUNNING expected:0 pid:101",
			"2s WARN exited: x (exit status 1; not expected)",
			"2s STARTING from_state:EXITED tries:0",
			"2s INFO spawned: 'x' with pid 102",
			"3s RUNNING from_state:STARTING pid:102",
			"3s INFO success: x entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)",
			"4s EXITED from_state:RUNNING expected:0 pid:102",
			"4s WARN exited: x (exit status 1; not expected)",
			"4s STARTING from_state:EXITED tries:0",
			"4s INFO spawned: 'x' with pid 103",
			"4.5s DEBG killing x (pid 103) with signal SIGTERM",
			"4.5s STOPPING from_state:STARTING pid:103",
			"4.5s INFO waiting for x to stop",
			"4.5s STOPPED from_state:STOPPING pid:103",
			"4.5s WARN stopped: x (terminated by SIGTERM)",
		)
	})
}

// TestActorStartWait: Start with wait returns at RUNNING; the command
// answers follow startProcess and stopProcess.
func TestActorStartWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := testPolicy()
		p.AutoStart, p.StartSecs, p.AutoRestart = false, 3*time.Second, RestartNever
		a := startActor(t, p, script{})
		defer a.stop()
		ctx := t.Context()
		if err := a.Start(ctx, true); err != nil || sinceT0() != 3*time.Second {
			t.Errorf("Start(wait) = %v at %v; want nil at 3s", err, sinceT0())
		}
		wantErr(t, "Start in RUNNING", a.Start(ctx, true), ErrAlreadyStarted)
		if err := a.Signal(ctx, syscall.SIGHUP); err != nil {
			t.Errorf("Signal(HUP) = %v", err)
		}
		synctest.Wait()
		if got := a.Snapshot(); got.State != Exited || got.ExitStatus != -1 || got.SpawnErr != "Bad exit code -1" {
			t.Errorf("after SIGHUP: Snapshot() = %+v; want EXITED by signal", got)
		}
		wantErr(t, "Signal in EXITED", a.Signal(ctx, syscall.SIGHUP), ErrNotRunning)
		wantErr(t, "Stop in EXITED", a.Stop(ctx, false), ErrNotRunning)
	})
}

// TestActorStartDuringStop: Start in STOPPING only warns; with wait it is
// an abnormal termination, as startProcess's deferred check makes it.
func TestActorStartDuringStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := testPolicy()
		p.StartSecs = 0
		a := startActor(t, p, script{ignoreTerm: true})
		defer a.stop()
		if err := a.Stop(t.Context(), false); err != nil {
			t.Fatalf("Stop = %v", err)
		}
		if err := a.Start(t.Context(), false); err != nil {
			t.Errorf("Start(nowait) in STOPPING = %v; want nil", err)
		}
		wantErr(t, "Start(wait) in STOPPING", a.Start(t.Context(), true), ErrAbnormalTermination)
	})
}

// TestActorStopInBackoff: BACKOFF → STOPPED at once with pid 0; a
// waiting Start sees the stop as an abnormal termination only if no
// spawnerr came first.
func TestActorStopInBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := startActor(t, testPolicy(), script{exitAfter: 10 * time.Millisecond})
		defer a.stop()
		if _, err := a.WaitFor(t.Context(), func(i Info) bool { return i.State == Backoff }); err != nil {
			t.Fatalf("WaitFor(BACKOFF) = %v", err)
		}
		if err := a.Stop(t.Context(), true); err != nil {
			t.Errorf("Stop in BACKOFF = %v", err)
		}
		time.Sleep(5 * time.Second)
		synctest.Wait()
		a.expect(t,
			"0s STARTING from_state:STOPPED tries:0",
			"0s INFO spawned: 'x' with pid 101",
			"10ms BACKOFF from_state:STARTING tries:1",
			"10ms WARN exited: x (exit status 0; not expected)",
			"10ms DEBG Attempted to kill x, which is in BACKOFF state.",
			"10ms STOPPED from_state:BACKOFF pid:0",
		)
		if got := a.Snapshot(); got.Tries != 1 || got.SpawnErr != msgTooQuickly {
			t.Errorf("Snapshot() = %+v; want tries 1 and the spawnerr kept", got)
		}
	})
}

// TestActorShutdown: RUNNING is stopped, BACKOFF gives up, and nothing
// restarts afterwards even with autorestart=true.
func TestActorShutdown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := testPolicy()
		p.AutoRestart = RestartAlways
		a := startActor(t, p, script{})
		defer a.stop()
		time.Sleep(2 * time.Second)
		if err := a.Shutdown(t.Context()); err != nil {
			t.Fatalf("Shutdown = %v", err)
		}
		info, err := a.WaitFor(t.Context(), func(i Info) bool { return i.State.IsStopped() })
		if err != nil || info.State != Stopped {
			t.Errorf("WaitFor(stopped) = %+v, %v; want STOPPED", info, err)
		}
		wantErr(t, "Start after Shutdown", a.Start(t.Context(), false), ErrShuttingDown)
		time.Sleep(time.Minute)
		synctest.Wait()
		if got := a.Snapshot().State; got != Stopped {
			t.Errorf("state a minute after shutdown = %v; want STOPPED", got)
		}
	})
}

// TestActorSignalFailure: a signal failing for another reason than ESRCH
// makes the process UNKNOWN, as the reference does.
func TestActorSignalFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := testPolicy()
		p.StartSecs = 0
		a := startActor(t, p, script{signalErr: syscall.EPERM})
		defer a.stop()
		err := a.Stop(t.Context(), true)
		if !errors.Is(err, syscall.EPERM) {
			t.Errorf("Stop = %v; want EPERM", err)
		}
		if got := a.Snapshot().State; got != Unknown {
			t.Errorf("state = %v; want UNKNOWN", got)
		}
		wantErr(t, "Start in UNKNOWN", a.Start(t.Context(), false), ErrUnknownState)
		a.fake.proc(0).exit(code(0)) // let Run's final kill find it gone
	})
}

// TestActorStdin: stdin is writable only for a live child that is not
// being stopped.
func TestActorStdin(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := testPolicy()
		p.StartSecs = 0
		a := startActor(t, p, script{ignoreTerm: true})
		defer a.stop()
		if err := a.WriteStdin(t.Context(), []byte("hello\n")); err != nil {
			t.Errorf("WriteStdin = %v", err)
		}
		if got := a.fake.proc(0).stdin.String(); got != "hello\n" {
			t.Errorf("stdin got %q; want %q", got, "hello\n")
		}
		_ = a.Stop(t.Context(), false)
		wantErr(t, "WriteStdin in STOPPING", a.WriteStdin(t.Context(), []byte("x")), ErrNotRunning)
	})
}

// TestActorRunEndKills: a child still alive when Run's context ends is
// killed with its group and reaped before Run returns.
func TestActorRunEndKills(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := startActor(t, testPolicy(), script{ignoreTerm: true})
		time.Sleep(2 * time.Second)
		a.stop()
		if d := diffLines(a.fake.proc(0).received(), lines("SIGKILL group")); d != "" {
			t.Errorf("signals:\n%s", d)
		}
		wantErr(t, "Start after Run", a.Start(t.Context(), false), ErrClosed)
		if err := a.Run(t.Context()); err == nil {
			t.Errorf("second Run = nil; want an error")
		}
	})
}
