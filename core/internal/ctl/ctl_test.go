package ctl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// harness runs command lines against a fake client and captures output.
type harness struct {
	fake *fakeClient
	ctl  *Controller
	out  *syncBuffer
	err  *syncBuffer
}

// syncBuffer is an output that goroutines may write while a test reads.
type syncBuffer struct {
	mu    sync.Mutex
	b     strings.Builder
	wrote chan struct{} // signalled after each write
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{wrote: make(chan struct{}, 1)} }

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case s.wrote <- struct{}{}:
	default:
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
func (s *syncBuffer) Reset()         { s.mu.Lock(); defer s.mu.Unlock(); s.b.Reset() }

// waitOutput waits until the output holds want.
func waitOutput(t *testing.T, h *harness, want string) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for !strings.Contains(h.out.String(), want) {
		select {
		case <-h.out.wrote:
		case <-timeout:
			t.Fatalf("output %q; timed out waiting for %q", h.out.String(), want)
		}
	}
}

func newHarness(t *testing.T, fake *fakeClient, opts Options) *harness {
	t.Helper()
	h := &harness{fake: fake, out: newSyncBuffer(), err: newSyncBuffer()}
	if opts.ServerURL == "" {
		opts.ServerURL = "unix:///run/s.sock"
	}
	opts.Stdout, opts.Stderr = h.out, h.err
	if opts.Dial == nil {
		opts.Dial = func(string, string, string) (Client, error) { return fake, nil }
	}
	h.ctl = New(opts)
	return h
}

// run runs line and returns the output and exit status.
func (h *harness) run(t *testing.T, line string) (string, int) {
	t.Helper()
	h.out.Reset()
	h.ctl.status = 0
	h.ctl.Exec(t.Context(), line)
	return h.out.String(), h.ctl.ExitStatus()
}

type execCase struct {
	name   string
	fake   *fakeClient
	line   string
	want   string // output, lines joined by \n with a final \n
	status int
	calls  []string // the client calls made, when set
}

func runCases(t *testing.T, cases []execCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := tc.fake
			if fake == nil {
				fake = &fakeClient{}
			}
			out, status := newHarness(t, fake, Options{}).run(t, tc.line)
			if diff := cmp.Diff(tc.want, out); diff != "" || status != tc.status {
				t.Errorf("Exec(%q) status %d, want %d; output (-want +got):\n%s", tc.line, status, tc.status, diff)
			}
			if diff := cmp.Diff(tc.calls, fake.recorded()); tc.calls != nil && diff != "" {
				t.Errorf("Exec(%q) calls (-want +got):\n%s", tc.line, diff)
			}
		})
	}
}

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

func sampleInfos() []xmlrpc.ProcessInfo {
	return []xmlrpc.ProcessInfo{
		proc("grp", "a", "RUNNING"), proc("grp", "b", "STOPPED"),
		proc("sleeper", "sleeper", "RUNNING"),
	}
}

func TestStatus(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 43)
	runCases(t, []execCase{
		{name: "all running", fake: &fakeClient{infos: []xmlrpc.ProcessInfo{proc("sleeper", "sleeper", "RUNNING")}},
			line: "status", want: lines("sleeper                          RUNNING   pid 7, uptime 0:00:20")},
		{name: "a stopped one exits 3", fake: &fakeClient{infos: sampleInfos()}, line: "status all", status: 3,
			want: lines("grp:a                            RUNNING   pid 7, uptime 0:00:20",
				"grp:b                            STOPPED   Not started",
				"sleeper                          RUNNING   pid 7, uptime 0:00:20")},
		{name: "long name widens", fake: &fakeClient{infos: []xmlrpc.ProcessInfo{proc(long, long, "RUNNING"), proc("a", "a", "FATAL")}},
			line: "status", status: 3, want: lines(long+"   RUNNING   pid 7, uptime 0:00:20", "a"+strings.Repeat(" ", 45)+"FATAL     ")},
		{name: "names and groups", fake: &fakeClient{infos: sampleInfos()}, line: "status sleeper grp:* nosuch nog: grp:zz",
			status: 3, want: lines("nosuch: ERROR (no such process)", "nog: ERROR (no such group)", "grp:zz: ERROR (no such process)",
				"sleeper                          RUNNING   pid 7, uptime 0:00:20",
				"grp:a                            RUNNING   pid 7, uptime 0:00:20",
				"grp:b                            STOPPED   Not started")},
		{name: "only unknown exits 4", fake: &fakeClient{infos: sampleInfos()}, line: "status grp", status: 4,
			want: lines("grp: ERROR (no such process)")},
		{name: "refused", fake: &fakeClient{errs: map[string]error{"getAPIVersion": refused()}}, line: "status", status: 4,
			want: lines("unix:///run/s.sock refused connection")},
		{name: "no socket", fake: &fakeClient{errs: map[string]error{"getAPIVersion": noSocket()}}, line: "status", status: 4,
			want: lines("unix:///run/s.sock no such file")},
	})
}

func refused() error {
	return fmt.Errorf("call: %w", &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED})
}

func noSocket() error {
	return fmt.Errorf("call: %w", &os.SyscallError{Syscall: "connect", Err: syscall.ENOENT})
}

func TestUpcheck(t *testing.T) {
	t.Parallel()
	runCases(t, []execCase{
		{name: "refused", fake: &fakeClient{errs: map[string]error{"getAPIVersion": refused()}}, line: "version", status: 4,
			want: lines("unix:///run/s.sock refused connection")},
		{name: "no socket", fake: &fakeClient{errs: map[string]error{"getAPIVersion": noSocket()}}, line: "start x", status: 7,
			want: lines("unix:///run/s.sock no such file")},
		{name: "other API", fake: &fakeClient{api: "2.0"}, line: "pid", status: 5,
			want: lines("Sorry, this version of supervisorctl expects to talk to a server with API version 3.0, but the remote version is 2.0.")},
		{name: "no namespace", fake: &fakeClient{errs: map[string]error{"getAPIVersion": fault(xmlrpc.FaultUnknownMethod, "")}},
			line: "clear x", status: 3, want: lines("Sorry, supervisord responded but did not recognize the supervisor namespace commands " +
				"that supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] section is enabled in the " +
				"configuration file (see sample.conf).")},
		{name: "no upcheck for reread", fake: &fakeClient{errs: map[string]error{"reloadConfig": refused()}}, line: "reread", status: 1,
			want: lines("error: <class 'ConnectionRefusedError'>, [Errno 111] Connection refused")},
		{name: "shutdown already down", fake: &fakeClient{errs: map[string]error{"shutdown": noSocket()}}, line: "shutdown", status: 1,
			want: lines("ERROR: unix:///run/s.sock no such file (already shut down?)")},
		{name: "unauthorized", fake: &fakeClient{errs: map[string]error{"getAPIVersion": fmt.Errorf("call: %w", xmlrpc.ErrUnauthorized)}},
			line: "status", status: 1, want: lines("Server requires authentication",
				"error: <class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1/RPC2: 401 Unauthorized>")},
	})
}

func TestStartStopSignal(t *testing.T) {
	t.Parallel()
	errs := map[string]error{
		"startProcess nosuch": fault(xmlrpc.FaultBadName, "nosuch"), "startProcess sleeper": fault(xmlrpc.FaultAlreadyStarted, "sleeper"),
		"startProcess grp:q": fault(xmlrpc.FaultAbnormalTermination, "grp:q"), "startProcessGroup nog": fault(xmlrpc.FaultBadName, "nog"),
		"stopProcess grp:b": fault(xmlrpc.FaultNotRunning, "grp:b"), "stopProcess x": fault(xmlrpc.FaultFailed, "x: whatever went wrong"),
		"stopProcessGroup nog": fault(xmlrpc.FaultBadName, "nog"), "signalProcess grp:b HUP": fault(xmlrpc.FaultNotRunning, "grp:b"),
		"signalProcess sleeper FOO": fault(xmlrpc.FaultBadSignal, "FOO"), "startProcess odd": fault(xmlrpc.FaultShutdownState, ""),
	}
	results := map[string][]xmlrpc.Result{
		"startAllProcesses": {result("nofile", "nofile", xmlrpc.FaultNoFile, "NO_FILE"), result("grp", "a", xmlrpc.FaultSuccess, "OK"),
			result("quick", "quick", xmlrpc.FaultSpawnError, "SPAWN_ERROR")},
		"startProcessGroup grp": {result("grp", "b", xmlrpc.FaultSuccess, "OK")},
		"stopAllProcesses":      {result("grp", "a", xmlrpc.FaultSuccess, "OK")},
		"signalProcessGroup grp USR1": {result("grp", "a", xmlrpc.FaultSuccess, "OK"),
			result("grp", "b", xmlrpc.FaultNotRunning, "NOT_RUNNING")},
	}
	f := func() *fakeClient { return &fakeClient{errs: errs, results: results} }
	runCases(t, []execCase{
		{name: "start one", fake: f(), line: "start grp:a", want: lines("grp:a: started")},
		{name: "start errors", fake: f(), line: "start nosuch sleeper grp:q", status: 7,
			want: lines("nosuch: ERROR (no such process)", "sleeper: ERROR (already started)", "grp:q: ERROR (abnormal termination)")},
		{name: "already started is fine", fake: f(), line: "start sleeper", want: lines("sleeper: ERROR (already started)")},
		{name: "start group", fake: f(), line: "start grp:*", want: lines("grp:b: started")},
		{name: "start no group", fake: f(), line: "start nog:", status: 2, want: lines("nog: ERROR (no such group)")},
		{name: "start all", fake: f(), line: "start all", status: 7,
			want: lines("nofile: ERROR (no such file)", "grp:a: started", "quick: ERROR (spawn error)")},
		{name: "start nothing", fake: f(), line: "start", status: 2, want: lines("Error: start requires a process name", helpTexts["start"])},
		{name: "start unknown fault", fake: f(), line: "start odd", status: 1,
			want: lines("error: <class 'ValueError'>, Unknown result code 6 for odd")},
		{name: "stop", fake: f(), line: "stop grp:a grp:b", want: lines("grp:a: stopped", "grp:b: ERROR (not running)")},
		{name: "stop failed", fake: f(), line: "stop x", status: 1, want: lines("FAILED: x: whatever went wrong")},
		{name: "stop no group", fake: f(), line: "stop nog:*", status: 1, want: lines("nog: ERROR (no such group)")},
		{name: "stop all", fake: f(), line: "stop all", want: lines("grp:a: stopped")},
		{name: "stop nothing", fake: f(), line: "stop", status: 1, want: lines("Error: stop requires a process name", helpTexts["stop"])},
		{name: "signal", fake: f(), line: "signal HUP sleeper grp:b", status: 7,
			want: lines("sleeper: signalled", "grp:b: ERROR (not running)")},
		{name: "signal bad", fake: f(), line: "signal FOO sleeper", status: 1, want: lines("sleeper: ERROR (bad signal name)")},
		{name: "signal group", fake: f(), line: "signal USR1 grp:*", status: 7, want: lines("grp:a: signalled", "grp:b: ERROR (not running)")},
		{name: "signal few", fake: f(), line: "signal HUP", status: 1,
			want: lines("Error: signal requires a signal name and a process name", helpTexts["signal"])},
	})
}

func TestPidClearAvailVersion(t *testing.T) {
	t.Parallel()
	f := func() *fakeClient {
		return &fakeClient{infos: sampleInfos(), errs: map[string]error{"clearProcessLogs nosuch": fault(xmlrpc.FaultBadName, "nosuch")},
			results: map[string][]xmlrpc.Result{"clearAllProcessLogs": {result("grp", "a", xmlrpc.FaultSuccess, "OK"),
				result("grp", "b", xmlrpc.FaultFailed, "FAILED")}},
			configs: []xmlrpc.ConfigInfo{{Group: "grp", Name: "a", InUse: true, Autostart: true, GroupPrio: 999, ProcessPrio: 5},
				{Group: "new", Name: "new", GroupPrio: 1, ProcessPrio: 2}}}
	}
	runCases(t, []execCase{
		{name: "pid", fake: f(), line: "pid", want: lines("42")},
		{name: "pid all", fake: f(), line: "pid all", want: lines("7", "0", "7")},
		{name: "pid names", fake: f(), line: "pid grp:a grp:b nosuch", status: 1, want: lines("7", "0", "No such process nosuch")},
		{name: "pid stopped", fake: f(), line: "pid grp:b", status: 7, want: lines("0")},
		{name: "clear", fake: f(), line: "clear grp:a nosuch", status: 1, want: lines("grp:a: cleared", "nosuch: ERROR (no such process)")},
		{name: "clear all", fake: f(), line: "clear all", status: 1, want: lines("grp:a: cleared", "grp:b: ERROR (failed)")},
		{name: "avail", fake: f(), line: "avail", want: lines("grp:a                            in use    auto      999:5",
			"new                              avail     manual    1:2")},
		{name: "avail args", fake: f(), line: "avail x", status: 1, want: lines("Error: avail accepts no arguments", helpTexts["avail"])},
		{name: "version", fake: f(), line: "version", want: lines("4.2.5")},
	})
}

func TestTail(t *testing.T) {
	t.Parallel()
	f := func() *fakeClient {
		return &fakeClient{logs: map[string]string{"a stdout": "out\n", "a stderr": "err", "main": "log\n"},
			errs: map[string]error{"readProcessStdoutLog nosuch -1600 0": fault(xmlrpc.FaultBadName, "nosuch"),
				"readProcessStdoutLog nolog -1600 0": fault(xmlrpc.FaultNoFile, "nolog")}}
	}
	runCases(t, []execCase{
		{name: "default", fake: f(), line: "tail a", want: "out\n\n"},
		{name: "bytes stderr", fake: f(), line: "tail -5 a STDERR", want: "err\n"},
		{name: "unknown", fake: f(), line: "tail nosuch", status: 1, want: lines("nosuch: ERROR (no such process name)")},
		{name: "no log", fake: f(), line: "tail nolog", status: 1, want: lines("nolog: ERROR (no log file)")},
		{name: "bad channel", fake: f(), line: "tail a b", status: 1, want: lines("Error: bad channel 'b'")},
		{name: "bad argument", fake: f(), line: "tail -x a", status: 1, want: lines("Error: bad argument -x")},
		{name: "no name", fake: f(), line: "tail -f", status: 1, want: lines("Error: tail requires process name")},
		{name: "too few", fake: f(), line: "tail", status: 1, want: lines("Error: too few arguments", helpTexts["tail"])},
		{name: "too many", fake: f(), line: "tail a b c d", status: 1, want: lines("Error: too many arguments", helpTexts["tail"])},
		{name: "maintail", fake: f(), line: "maintail -3", want: "log\n\n"},
		{name: "maintail bad", fake: f(), line: "maintail 3", status: 1, want: lines("Error: bad argument 3")},
		{name: "maintail many", fake: f(), line: "maintail -3 x", status: 1, want: lines("Error: too many arguments", helpTexts["maintail"])},
	})
	h := newHarness(t, f(), Options{})
	h.run(t, "tail -100 a stderr")
	h.run(t, "maintail")
	want := []string{"getAPIVersion", "readProcessStderrLog a -100 0", "getAPIVersion", "readLog -1600 0"}
	if diff := cmp.Diff(want, h.fake.recorded()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestConfigCommands(t *testing.T) {
	t.Parallel()
	runCases(t, []execCase{
		{name: "reread", fake: &fakeClient{changes: [3][]string{{"new"}, {"b", "a"}, {"old"}}}, line: "reread",
			want: lines("a: changed", "b: changed", "new: available", "old: disappeared")},
		{name: "reread nothing", line: "reread", want: lines("No config updates to processes")},
		{name: "reread error", fake: &fakeClient{errs: map[string]error{"reloadConfig": fault(xmlrpc.FaultCantReread, "bad line")}},
			line: "reread", status: 1, want: lines("ERROR: CANT_REREAD: bad line")},
		{name: "add", fake: &fakeClient{errs: map[string]error{"addProcessGroup x": fault(xmlrpc.FaultAlreadyAdded, "x"),
			"addProcessGroup y": fault(xmlrpc.FaultBadName, "y")}}, line: "add g x y", status: 1,
			want: lines("g: added process group", "ERROR: process group already active", "ERROR: no such process/group: y")},
		{name: "remove", fake: &fakeClient{errs: map[string]error{"removeProcessGroup x": fault(xmlrpc.FaultStillRunning, "x")}},
			line: "remove g x", status: 1, want: lines("g: removed process group", "ERROR: process/group still running: x")},
		{name: "reload", line: "reload", want: lines("Restarted supervisord")},
		{name: "shutdown", line: "shutdown", want: lines("Shut down")},
		{name: "shutdown args", line: "shutdown now", status: 1, want: lines("Error: shutdown accepts no arguments", helpTexts["shutdown"])},
		{name: "shutting down", fake: &fakeClient{errs: map[string]error{"shutdown": fault(xmlrpc.FaultShutdownState, "")}},
			line: "shutdown", want: lines("ERROR: already shutting down")},
	})
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	fake := &fakeClient{changes: [3][]string{{"new"}, {"changed"}, {"gone", "stuck"}}, infos: []xmlrpc.ProcessInfo{proc("changed", "changed", "RUNNING")},
		results: map[string][]xmlrpc.Result{"stopProcessGroup stuck": {result("stuck", "stuck", xmlrpc.FaultFailed, "FAILED: no")}}}
	h := newHarness(t, fake, Options{})
	out, status := h.run(t, "update")
	want := lines("gone: stopped", "gone: removed process group", "stuck: stopped", "stuck: has problems; not removing",
		"changed: stopped", "changed: updated process group", "new: added process group")
	if diff := cmp.Diff(want, out); diff != "" || status != 1 {
		t.Errorf("update: status %d, want 1; output (-want +got):\n%s", status, diff)
	}
	calls := []string{"reloadConfig", "stopProcessGroup gone", "removeProcessGroup gone", "stopProcessGroup stuck",
		"stopProcessGroup changed", "removeProcessGroup changed", "addProcessGroup changed", "addProcessGroup new"}
	if diff := cmp.Diff(calls, fake.recorded()); diff != "" {
		t.Errorf("update calls (-want +got):\n%s", diff)
	}
	out, status = newHarness(t, fake, Options{}).run(t, "update new nog")
	if want := lines("ERROR: no such group: nog", "new: added process group"); out != want || status != 1 {
		t.Errorf("update new nog = %q, %d; want %q, 1", out, status, want)
	}
}

// TestUpdateOnlyChanged checks update --only-changed: one lancer.update
// call, the reference's lines for whole groups, one line per process.
func TestUpdateOnlyChanged(t *testing.T) {
	t.Parallel()
	change := func(group, name, action string, err error) xmlrpc.Change {
		c := xmlrpc.Change{Group: group, Name: name, Action: action, Status: xmlrpc.FaultSuccess, Description: "OK"}
		var f *xmlrpc.Fault
		if errors.As(err, &f) {
			c.Status, c.Description = f.Code, f.String
		}
		return c
	}
	updates := []xmlrpc.Change{
		change("gone", "", "removed", nil),
		change("stuck", "", "removed", fault(xmlrpc.FaultStillRunning, "stuck")),
		change("web", "web_01", "updated", nil),
		change("web", "web_02", "added", nil),
		change("web", "web_03", "removed", nil),
		change("g", "a", "updated", fault(xmlrpc.FaultStillRunning, "g:b")),
		change("pool", "", "updated", nil),
		change("new", "", "added", nil),
	}
	runCases(t, []execCase{
		{name: "all", fake: &fakeClient{updates: updates}, line: "update --only-changed", status: 1, calls: []string{"lancer.update"},
			want: lines("gone: stopped", "gone: removed process group", "stuck: stopped", "stuck: has problems; not removing",
				"web:web_01: updated process", "web:web_02: added process", "web:web_03: removed process",
				"g:a: ERROR (STILL_RUNNING: g:b)", "pool: stopped", "pool: updated process group", "new: added process group")},
		{name: "nothing", line: "update --only-changed all", calls: []string{"lancer.update all"}},
		{name: "groups", fake: &fakeClient{updates: updates[2:3]}, line: "update --only-changed web new",
			calls: []string{"lancer.update web new"}, want: lines("web:web_01: updated process")},
		{name: "no such group", fake: &fakeClient{errs: map[string]error{"lancer.update nog": fault(xmlrpc.FaultBadName, "nog")}},
			line: "update --only-changed nog", status: 1, want: lines("ERROR: no such group: nog")},
		{name: "cannot reread", fake: &fakeClient{errs: map[string]error{"lancer.update": fault(xmlrpc.FaultCantReread, "bad line")}},
			line: "update --only-changed", status: 1, want: lines("ERROR: CANT_REREAD: bad line")},
		{name: "shutting down", fake: &fakeClient{errs: map[string]error{"lancer.update": fault(xmlrpc.FaultShutdownState, "")}},
			line: "update --only-changed", status: 1, want: lines("ERROR: already shutting down")},
		{name: "python supervisord", fake: &fakeClient{errs: map[string]error{"lancer.update": fault(xmlrpc.FaultUnknownMethod, "")}},
			line: "update --only-changed", status: 1,
			want: lines("ERROR: update --only-changed needs Lancer's supervisord (this server has no lancer.update)")},
	})
}

func TestRestartIsPerProcess(t *testing.T) {
	t.Parallel()
	// a's stop cannot finish until b has been started again: the
	// reference, which stops everything before starting anything, would
	// never finish; restarting each process on its own does.
	bStarted := make(chan struct{})
	fake := &fakeClient{infos: []xmlrpc.ProcessInfo{proc("grp", "a", "RUNNING"), proc("grp", "b", "RUNNING"), proc("grp", "c", "STOPPED")},
		errs: map[string]error{"startProcess grp:c": fault(xmlrpc.FaultSpawnError, "grp:c")},
		hooks: map[string]func(context.Context){"stopProcess grp:a": func(context.Context) { <-bStarted },
			"startProcess grp:b": func(context.Context) { close(bStarted) }}}
	out, status := newHarness(t, fake, Options{}).run(t, "restart grp:* nog:* grp:a x")
	want := lines("grp:a: stopped", "grp:b: stopped", "nog: ERROR (no such group)", "x: stopped",
		"grp:a: started", "grp:b: started", "grp:c: ERROR (spawn error)", "nog: ERROR (no such group)", "x: started")
	if diff := cmp.Diff(want, out); diff != "" || status != 2 {
		t.Errorf("restart: status %d, want 2; output (-want +got):\n%s", status, diff)
	}
	calls := fake.recorded()
	for _, p := range []string{"grp:a", "grp:b", "x"} {
		if i, j := slices.Index(calls, "stopProcess "+p), slices.Index(calls, "startProcess "+p); i < 0 || j < i {
			t.Errorf("calls %q: want stopProcess %s before startProcess %s", calls, p, p)
		}
	}
	if slices.Contains(calls, "stopProcess grp:c") {
		t.Errorf("calls %q: stopped grp:c, which was not running", calls)
	}
}

func TestRestartNamedProcesses(t *testing.T) {
	t.Parallel()
	fake := &fakeClient{errs: map[string]error{"stopProcess s": fault(xmlrpc.FaultNotRunning, "s"),
		"stopProcess nosuch": fault(xmlrpc.FaultBadName, "nosuch"), "startProcess nosuch": fault(xmlrpc.FaultBadName, "nosuch")}}
	out, status := newHarness(t, fake, Options{}).run(t, "restart s nosuch")
	want := lines("s: ERROR (not running)", "nosuch: ERROR (no such process)", "s: started", "nosuch: ERROR (no such process)")
	if diff := cmp.Diff(want, out); diff != "" || status != 1 {
		t.Errorf("restart: status %d, want 1; output (-want +got):\n%s", status, diff)
	}
}

func TestHelpAndSyntax(t *testing.T) {
	t.Parallel()
	table := lines("", "default commands (type help <topic>):", "=====================================",
		"add    exit      open  reload  restart   start   tail   ",
		"avail  fg        pid   remove  shutdown  status  update ",
		"clear  maintail  quit  reread  signal    stop    version", "")
	runCases(t, []execCase{
		{name: "help", line: "help", want: table},
		{name: "question mark", line: "?", want: table},
		{name: "help topic", line: "help status", want: lines(helpTexts["status"])},
		{name: "help help", line: "help help", want: lines("help\t\tPrint a list of available actions", "help <action>\tPrint help for <action>")},
		{name: "no help", line: "help nope", want: lines("*** No help on nope")},
		{name: "maintail help ends blank", line: "help maintail", want: helpTexts["maintail"] + "\n"},
		{name: "unknown", line: "frob x y", status: 1, want: lines("*** Unknown syntax: frob x y")},
		{name: "shell escape", line: "!ls", status: 1, want: lines("*** Unknown syntax: !ls")},
		{name: "case matters", line: "STATUS", status: 1, want: lines("*** Unknown syntax: STATUS")},
		{name: "empty", line: "   ", want: ""},
		{name: "quit", line: "quit", want: "\n"},
		{name: "EOF", line: "EOF", want: "\n"},
		{name: "open bad", line: "open ftp://x", status: 1, want: lines("ERROR: url must be http:// or unix://")},
		{name: "fg nothing", line: "fg", status: 1, want: lines("ERROR: no process name supplied", helpTexts["fg"])},
		{name: "fg unknown", fake: &fakeClient{}, line: "fg x", status: 1, want: lines("ERROR: bad process name supplied")},
		{name: "fg stopped", fake: &fakeClient{infos: sampleInfos()}, line: "fg grp:b", status: 1, want: lines("ERROR: process not running")},
	})
}

func TestOpenKeepsStatus(t *testing.T) {
	t.Parallel()
	var dialled []string
	fake := &fakeClient{infos: sampleInfos()}
	h := newHarness(t, fake, Options{Dial: func(u, _, _ string) (Client, error) { dialled = append(dialled, u); return fake, nil }})
	h.ctl.Exec(t.Context(), "version")
	h.out.Reset()
	h.ctl.Exec(t.Context(), "open http://127.0.0.1:9001")
	if st := h.ctl.ExitStatus(); st != 0 || !strings.Contains(h.out.String(), "grp:b") {
		t.Errorf("open: status %d, output %q; want 0 and the new server's status", st, h.out.String())
	}
	if want := []string{"unix:///run/s.sock", "http://127.0.0.1:9001"}; !slices.Equal(dialled, want) {
		t.Errorf("dialled %q; want %q", dialled, want)
	}
}

func TestConfirmationAndCredentials(t *testing.T) {
	t.Parallel()
	fake := &fakeClient{}
	h := newHarness(t, fake, Options{Interactive: true, Stdin: strings.NewReader("n\nyes\n")})
	if out, _ := h.run(t, "shutdown"); out != "Really shut the remote supervisord process down y/N? " {
		t.Errorf("shutdown answered n: output %q", out)
	}
	if out, _ := h.run(t, "reload"); out != "Really restart the remote supervisord process y/N? Restarted supervisord\n" {
		t.Errorf("reload answered yes: output %q", out)
	}
	if out, st := h.run(t, "reload"); st != 1 || !strings.HasSuffix(out, "error: <class 'EOFError'>, EOF when reading a line\n") {
		t.Errorf("reload at end of input: %q, %d", out, st)
	}
	if want := []string{"restart"}; !slices.Equal(fake.recorded(), want) {
		t.Errorf("calls %q; want %q", fake.recorded(), want)
	}

	var creds []string
	locked := &fakeClient{errs: map[string]error{"getAPIVersion": xmlrpc.ErrUnauthorized}}
	h = newHarness(t, nil, Options{Interactive: true, Stdin: strings.NewReader("ops\ns3cret\n"),
		Dial: func(_, u, p string) (Client, error) {
			creds = append(creds, u+"/"+p)
			if p == "s3cret" {
				return &fakeClient{}, nil
			}
			return locked, nil
		}})
	out, st := h.run(t, "version")
	if want := "Server requires authentication\nUsername:\n4.2.5\n"; out != want || st != 0 {
		t.Errorf("version with a 401 = %q, %d; want %q, 0", out, st, want)
	}
	if want := []string{"/", "ops/s3cret"}; !slices.Equal(creds, want) || h.err.String() != "Password:" {
		t.Errorf("credentials dialled %q, stderr %q; want %q and the password prompt", creds, h.err.String(), want)
	}
}

func TestShellPlainInput(t *testing.T) {
	t.Parallel()
	fake := &fakeClient{infos: []xmlrpc.ProcessInfo{proc("s", "s", "RUNNING")}}
	h := newHarness(t, fake, Options{Prompt: "lancer", Stdin: strings.NewReader("version\n\nnope\nversion")})
	h.ctl.Shell(t.Context())
	want := "s                                RUNNING   pid 7, uptime 0:00:20\n" +
		"lancer> 4.2.5\nlancer> lancer> *** Unknown syntax: nope\nlancer> 4.2.5\nlancer> \n"
	if diff := cmp.Diff(want, h.out.String()); diff != "" {
		t.Errorf("shell output (-want +got):\n%s", diff)
	}
}

func TestShellInterrupted(t *testing.T) {
	t.Parallel()
	intr := make(chan os.Signal, 1)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer r.Close()
	h := newHarness(t, &fakeClient{}, Options{Stdin: r, Interrupts: intr})
	done := make(chan struct{})
	go func() { h.ctl.Shell(context.Background()); close(done) }()
	if _, err := w.WriteString("version\n"); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, h, "supervisor> 4.2.5\nsupervisor> ")
	intr <- os.Interrupt
	<-done
	if got := h.out.String(); !strings.HasSuffix(got, "supervisor> 4.2.5\nsupervisor> \n") {
		t.Errorf("output after Ctrl-C at the prompt = %q; want it to end with a newline", got)
	}
}
