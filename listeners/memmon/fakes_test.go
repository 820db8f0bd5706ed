package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/listeners/internal/alert/alerttest"
	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// dummyNow is superlance's _NOW: every dummy process has now=dummyNow
// and start=dummyNow-100, an uptime of 100 s.
const dummyNow = 1151365354

// dummyProcesses is superlance's DummySupervisorRPCNamespace.all_process_info.
func dummyProcesses() []xmlrpc.ProcessInfo {
	return []xmlrpc.ProcessInfo{
		{Name: "foo", Group: "foo", PID: 11, State: 20, StateName: "RUNNING",
			Start: dummyNow - 100, Now: dummyNow, Description: "foo description"},
		{Name: "bar", Group: "bar", PID: 12, State: 200, StateName: "FATAL",
			Start: dummyNow - 100, Stop: dummyNow - 50, Now: dummyNow, SpawnErr: "screwed"},
		{Name: "baz_01", Group: "baz", PID: 12, State: 0, StateName: "STOPPED",
			Start: dummyNow - 100, Stop: dummyNow - 25, Now: dummyNow},
	}
}

// fakeRPC is superlance's dummy supervisor namespace: getProcessInfo
// finds a process by bare name or group:name, stopProcess faults
// BAD_NAME for BAD_NAME:BAD_NAME and FAILED for names ending in FAILED,
// startProcess faults SPAWN_ERROR for names ending in SPAWN_ERROR. Calls
// records "stop NAME" and "start NAME" in order. It is safe for
// concurrent use (a real-process test serves it over HTTP).
type fakeRPC struct {
	mu      sync.Mutex
	procs   []xmlrpc.ProcessInfo
	listErr error            // getAllProcessInfo fails with it
	stopErr map[string]error // overrides for stopProcess
	pidNow  map[string]int   // getProcessInfo reports this pid instead
	calls   []string
}

func newFakeRPC(procs ...xmlrpc.ProcessInfo) *fakeRPC {
	if procs == nil {
		procs = dummyProcesses()
	}
	return &fakeRPC{procs: procs}
}

func (f *fakeRPC) GetAllProcessInfo(ctx context.Context) ([]xmlrpc.ProcessInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.listErr != nil {
		return nil, f.listErr
	}
	return slices.Clone(f.procs), nil
}

func (f *fakeRPC) GetProcessInfo(ctx context.Context, name string) (xmlrpc.ProcessInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.procs {
		if name == p.Name || name == p.Group+":"+p.Name {
			if pid, ok := f.pidNow[name]; ok {
				p.PID = pid
			}
			return p, nil
		}
	}
	return xmlrpc.ProcessInfo{}, xmlrpc.NewFault(xmlrpc.FaultBadName, name)
}

func (f *fakeRPC) StopProcess(ctx context.Context, name string, wait bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "stop "+name)
	switch {
	case f.stopErr[name] != nil:
		return f.stopErr[name]
	case name == "BAD_NAME:BAD_NAME":
		return &xmlrpc.Fault{Code: xmlrpc.FaultBadName, String: "BAD_NAME"}
	case strings.HasSuffix(name, "FAILED"):
		return &xmlrpc.Fault{Code: xmlrpc.FaultFailed, String: "FAILED"}
	}
	return nil
}

func (f *fakeRPC) StartProcess(ctx context.Context, name string, wait bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "start "+name)
	if strings.HasSuffix(name, "SPAWN_ERROR") {
		return &xmlrpc.Fault{Code: xmlrpc.FaultSpawnError, String: "SPAWN_ERROR"}
	}
	return nil
}

func (f *fakeRPC) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// fakeRSS is superlance's pscommand "echo 22%s": pid 11 has 2211 KB,
// pid 12 2212 KB. kids is the process table for -c; rss overrides the
// echo rule per pid.
type fakeRSS struct {
	rss  map[int]int64
	kids map[int][]int
	scan int // Children calls
}

func (f *fakeRSS) RSS(ctx context.Context, pid int) (int64, error) {
	if n, ok := f.rss[pid]; ok {
		if n < 0 {
			return 0, fmt.Errorf("no such process %d", pid)
		}
		return n, nil
	}
	kb, _ := strconv.ParseInt("22"+strconv.Itoa(pid), 10, 64)
	return kb * 1024, nil
}

func (f *fakeRSS) Children(ctx context.Context) (map[int][]int, error) {
	f.scan++
	return f.kids, nil
}

// harness is a Memmon wired to fakes, its stderr lines in out and its
// diagnostics in logs.
type harness struct {
	rpc    *fakeRPC
	rss    *fakeRSS
	mail   *alerttest.Recorder
	out    bytes.Buffer // superlance's stderr lines
	logs   bytes.Buffer // slog diagnostics
	stdout bytes.Buffer
	m      *Memmon
}

// newHarness parses args as memmon's command line and builds a Memmon
// on fakes, with 1 GiB of memory for percentage limits. The mailer
// records everything, as superlance's tests' "cat - > /dev/null".
func newHarness(t *testing.T, args ...string) *harness {
	t.Helper()
	o, err := parseArgs(args)
	if err != nil {
		t.Fatalf("parseArgs(%q): %v", args, err)
	}
	return newHarnessOpts(t, o)
}

func newHarnessOpts(t *testing.T, o *Options) *harness {
	t.Helper()
	h := &harness{rpc: newFakeRPC(), rss: &fakeRSS{}, mail: &alerttest.Recorder{}}
	h.m = newMemmon(o, 1<<30, deps{
		rpc: h.rpc, rss: h.rss, alert: h.mail, out: &h.out,
		log: slog.New(slog.NewTextHandler(&h.logs, nil)),
	})
	return h
}

// event returns the stdin of one event of type name with payload.
func event(t *testing.T, name, payload string) string {
	t.Helper()
	var b bytes.Buffer
	h := protocol.Header{Ver: "3.0", Server: "supervisor", Serial: 1, Pool: "memmon", PoolSerial: 1, EventName: name}
	if err := protocol.WriteEvent(&b, protocol.Event{Header: h, Payload: payload}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// tick serves one TICK_60 event through the listener protocol.
func (h *harness) tick(t *testing.T) {
	t.Helper()
	h.serve(t, event(t, "TICK_60", "when:1151365354"))
}

func (h *harness) serve(t *testing.T, stdin string) {
	t.Helper()
	if err := protocol.Serve(t.Context(), strings.NewReader(stdin), &h.stdout, h.m); err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

// lines returns the stderr lines split as superlance's tests split them
// (a trailing newline gives a last empty line).
func (h *harness) lines() []string { return strings.Split(h.out.String(), "\n") }

// mails returns every mail as the text superlance's sendmail pipe gets.
func (h *harness) mails() []string {
	var out []string
	for _, m := range h.mail.Messages() {
		out = append(out, alert.SendmailText(m))
	}
	return out
}

// lastMail returns the last mail's lines, or nil when none was sent
// (superlance's memmon.mailed stays False).
func (h *harness) lastMail() []string {
	ms := h.mails()
	if len(ms) == 0 {
		return nil
	}
	return strings.Split(ms[len(ms)-1], "\n")
}
