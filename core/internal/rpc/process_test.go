package rpc

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

func TestProcessMethods(t *testing.T) {
	runCases(t, []rpcCase{
		{name: "start", method: "supervisor.startProcess", params: []any{"workers:w0", false}, want: true,
			check: func(t *testing.T, f *fakeSupervisor) { hasCall(t, f, "start workers:w0") }},
		{name: "start wait truthy string", method: "supervisor.startProcess", params: []any{"workers:w0", "yes"}, want: true},
		{name: "start already started", method: "supervisor.startProcess", params: []any{"web"}, fault: "ALREADY_STARTED: web"},
		{name: "start not executable", method: "supervisor.startProcess", params: []any{"broken"},
			fault: "NOT_EXECUTABLE: command at '/bin/broken' is not executable"},
		{name: "start bad name", method: "supervisor.startProcess", params: []any{"nosuch"}, fault: "BAD_NAME: nosuch"},
		{name: "start bad type", method: "supervisor.startProcess", params: []any{7}, fault: "INCORRECT_PARAMETERS"},
		{name: "start too many", method: "supervisor.startProcess", params: []any{"web", true, 1}, fault: "INCORRECT_PARAMETERS"},
		{name: "start group form", method: "supervisor.startProcess", params: []any{"workers:*", false},
			want: []any{ok("workers", "w0"), ok("workers", "w1")}},
		{name: "start group form colon", method: "supervisor.startProcess", params: []any{"workers:", false},
			want: []any{ok("workers", "w0"), ok("workers", "w1")}},
		{name: "start group form bad name", method: "supervisor.startProcess", params: []any{"nosuch:*"}, fault: "BAD_NAME: nosuch:*"},
		{name: "start group", method: "supervisor.startProcessGroup", params: []any{"workers", false},
			want: []any{ok("workers", "w0"), ok("workers", "w1")}},
		{name: "start group running", method: "supervisor.startProcessGroup", params: []any{"web"}, want: []any{}},
		{name: "start group star", method: "supervisor.startProcessGroup", params: []any{"workers:*"}, fault: "BAD_NAME: workers:*"},
		{name: "start group bad name", method: "supervisor.startProcessGroup", params: []any{"nosuch"}, fault: "BAD_NAME: nosuch"},
		{name: "start all", method: "supervisor.startAllProcesses", params: []any{false}, want: []any{
			ok("workers", "w0"), ok("workers", "w1"),
			failed("broken", "broken", 21, "NOT_EXECUTABLE: command at '/bin/broken' is not executable"),
			ok("flaky", "flaky"),
		}},
		{name: "start all wait", method: "supervisor.startAllProcesses", want: []any{
			ok("workers", "w0"), ok("workers", "w1"),
			failed("broken", "broken", 21, "NOT_EXECUTABLE: command at '/bin/broken' is not executable"),
			failed("flaky", "flaky", 50, "SPAWN_ERROR: flaky"),
		}},
		{name: "stop", method: "supervisor.stopProcess", params: []any{"web", 0}, want: true,
			check: func(t *testing.T, f *fakeSupervisor) { hasCall(t, f, "stop web") }},
		{name: "stop not running", method: "supervisor.stopProcess", params: []any{"workers:w0"}, fault: "NOT_RUNNING: workers:w0"},
		{name: "stop group form", method: "supervisor.stopProcess", params: []any{"web:*"}, want: []any{ok("web", "web")}},
		{name: "stop group", method: "supervisor.stopProcessGroup", params: []any{"web"}, want: []any{ok("web", "web")}},
		{name: "stop group none running", method: "supervisor.stopProcessGroup", params: []any{"workers"}, want: []any{}},
		{name: "stop all", method: "supervisor.stopAllProcesses", want: []any{ok("web", "web")}},
	})
}

func TestSignalMethods(t *testing.T) {
	sent := func(want string) func(*testing.T, *fakeSupervisor) {
		return func(t *testing.T, f *fakeSupervisor) { hasCall(t, f, want) }
	}
	runCases(t, []rpcCase{
		{name: "name", method: "supervisor.signalProcess", params: []any{"web", "HUP"}, want: true, check: sent("signal web 1")},
		{name: "SIG name any case", method: "supervisor.signalProcess", params: []any{"web", " sigusr2 "}, want: true, check: sent("signal web 12")},
		{name: "number", method: "supervisor.signalProcess", params: []any{"web", 9}, want: true, check: sent("signal web 9")},
		{name: "number string", method: "supervisor.signalProcess", params: []any{"web", "15"}, want: true, check: sent("signal web 15")},
		{name: "boolean", method: "supervisor.signalProcess", params: []any{"web", true}, want: true, check: sent("signal web 1")},
		{name: "alias", method: "supervisor.signalProcess", params: []any{"web", "CLD"}, want: true, check: sent("signal web 17")},
		{name: "bad name", method: "supervisor.signalProcess", params: []any{"web", "BOGUS"}, fault: "BAD_SIGNAL: BOGUS"},
		{name: "bad number", method: "supervisor.signalProcess", params: []any{"web", 32}, fault: "BAD_SIGNAL: 32"},
		{name: "bad type", method: "supervisor.signalProcess", params: []any{"web", []int{1}}, fault: "BAD_SIGNAL: [1]"},
		{name: "name checked first", method: "supervisor.signalProcess", params: []any{"nosuch", "BOGUS"}, fault: "BAD_NAME: nosuch"},
		{name: "not running", method: "supervisor.signalProcess", params: []any{"workers:w1", "HUP"}, fault: "NOT_RUNNING: workers:w1"},
		{name: "group form", method: "supervisor.signalProcess", params: []any{"web:*", "HUP"}, want: []any{ok("web", "web")}},
		{name: "group form bad signal", method: "supervisor.signalProcess", params: []any{"web:*", "X"},
			want: []any{failed("web", "web", 11, "BAD_SIGNAL: X")}},
		{name: "group form bad name", method: "supervisor.signalProcess", params: []any{"nosuch:*", "X"}, fault: "BAD_NAME: nosuch:*"},
		{name: "group", method: "supervisor.signalProcessGroup", params: []any{"web", "HUP"}, want: []any{ok("web", "web")}},
		{name: "group none signallable", method: "supervisor.signalProcessGroup", params: []any{"workers", "HUP"}, want: []any{}},
		{name: "group bad signal none signallable", method: "supervisor.signalProcessGroup", params: []any{"workers", "X"}, want: []any{}},
		{name: "group bad name", method: "supervisor.signalProcessGroup", params: []any{"nosuch", "X"}, fault: "BAD_NAME: nosuch"},
		{name: "all", method: "supervisor.signalAllProcesses", params: []any{"TERM"}, want: []any{ok("web", "web")}},
		{name: "all bad signal", method: "supervisor.signalAllProcesses", params: []any{1.5e9},
			want: []any{failed("web", "web", 11, "BAD_SIGNAL: 1500000000.0")}},
	})
}

func TestSendProcessStdin(t *testing.T) {
	wrote := func(want string) func(*testing.T, *fakeSupervisor) {
		return func(t *testing.T, f *fakeSupervisor) {
			if got := string(f.procs[0].stdin); got != want {
				t.Errorf("stdin got %q; want %q", got, want)
			}
		}
	}
	runCases(t, []rpcCase{
		{name: "string", method: "supervisor.sendProcessStdin", params: []any{"web", "héllo\n"}, want: true, check: wrote("héllo\n")},
		{name: "base64", method: "supervisor.sendProcessStdin", params: []any{"web", []byte("raw")}, want: true, check: wrote("raw")},
		{name: "not a string", method: "supervisor.sendProcessStdin", params: []any{"web", true}, fault: "INCORRECT_PARAMETERS: True"},
		{name: "chars checked first", method: "supervisor.sendProcessStdin", params: []any{"nosuch", 5}, fault: "INCORRECT_PARAMETERS: 5"},
		{name: "bad name", method: "supervisor.sendProcessStdin", params: []any{"nosuch", "x"}, fault: "BAD_NAME: nosuch"},
		{name: "group form", method: "supervisor.sendProcessStdin", params: []any{"web:*", "x"}, fault: "BAD_NAME: web:*"},
		{name: "not running", method: "supervisor.sendProcessStdin", params: []any{"workers:w0", "x"}, fault: "NOT_RUNNING: workers:w0"},
		{name: "stdin closed", method: "supervisor.sendProcessStdin", params: []any{"web", "x"}, fault: "NO_FILE: web",
			setup: func(_ *testing.T, f *fakeSupervisor, _ *Options) { f.procs[0].stdinClosed = true }},
	})
}

// TestStartWaits checks that startProcess with wait answers once the
// process is RUNNING, startsecs later, while other requests are answered
// meanwhile.
func TestStartWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := stdFake(t)
		f.procs[1].startsecs = 3 * time.Second
		h, _ := newHandler(t, f, Options{})
		start := time.Now()
		done := make(chan xmlrpc.Value)
		go func() { done <- mustCall(t, h, "supervisor.startProcess", "workers:w0") }()
		synctest.Wait()
		select {
		case v := <-done:
			t.Fatalf("startProcess answered %v before RUNNING", v)
		default:
		}
		info := mustCall(t, h, "supervisor.getProcessInfo", "workers:w0").Interface().(map[string]any)
		if info["statename"] != "STARTING" {
			t.Errorf("meanwhile statename = %v; want STARTING", info["statename"])
		}
		if v := <-done; !v.Equal(xmlrpc.Bool(true)) {
			t.Errorf("startProcess = %v; want true", v)
		}
		if d := time.Since(start); d != 3*time.Second {
			t.Errorf("startProcess took %v; want 3s (startsecs)", d)
		}
	})
}

func TestStartWaitFailures(t *testing.T) {
	runCases(t, []rpcCase{
		{name: "spawn error while waiting", method: "supervisor.startProcess", params: []any{"flaky"}, fault: "SPAWN_ERROR: flaky"},
		{name: "no wait", method: "supervisor.startProcess", params: []any{"flaky", false}, want: true},
		{name: "abnormal termination", method: "supervisor.startProcess", params: []any{"workers:w0"},
			fault: "ABNORMAL_TERMINATION: workers:w0",
			setup: func(t *testing.T, f *fakeSupervisor, _ *Options) {
				f.procs[1].startsecs = time.Second
				time.AfterFunc(time.Second/2, func() {
					f.mu.Lock()
					defer f.mu.Unlock()
					f.setState(f.procs[1], process.Exited)
				})
			}},
	})
}

// TestStopWaits checks that stopProcess with wait answers once the
// process has stopped, and without wait at once.
func TestStopWaits(t *testing.T) {
	for _, wait := range []bool{true, false} {
		synctest.Test(t, func(t *testing.T) {
			f := stdFake(t)
			f.procs[0].stopDelay = 5 * time.Second
			h, _ := newHandler(t, f, Options{})
			start := time.Now()
			mustCall(t, h, "supervisor.stopProcess", "web", wait)
			want := time.Duration(0)
			if wait {
				want = 5 * time.Second
			}
			if d := time.Since(start); d != want {
				t.Errorf("stopProcess(wait=%v) took %v; want %v", wait, d, want)
			}
		})
	}
}

// TestWaitEndsWithRequest checks that a waiting call ends when its
// client goes away.
func TestWaitEndsWithRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := stdFake(t)
		f.procs[1].startsecs = time.Hour
		h, _ := newHandler(t, f, Options{})
		ctx, cancel := context.WithCancel(t.Context())
		var body bytes.Buffer
		if err := xmlrpc.EncodeRequest(&body, "supervisor.startProcess", "workers:w0"); err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		done := make(chan struct{})
		go func() {
			defer close(done)
			h.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, http.MethodPost, "/RPC2", &body))
		}()
		synctest.Wait()
		cancel()
		<-done
		if time.Since(goldenNow) >= time.Hour {
			t.Errorf("the call waited for startsecs after its client left")
		}
	})
}
