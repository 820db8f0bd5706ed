package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/testproc"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// An rpcStep is one XML-RPC request of the differential script, sent to
// each daemon in turn from the same state.
type rpcStep struct {
	method string
	params []any
	body   string // a raw request body, sent instead of method and params

	when   func(r *rpcRun) // sets the state up on each daemon before the call (see after)
	during *rpcStep        // sent, after its when, while this call waits for its answer

	// kindOnly compares only the type of the answer (or its fault): the
	// value is each daemon's own, such as its pid.
	kindOnly bool
	// anyOrder compares the elements of an array answer as a multiset:
	// the daemons order them differently (a known difference).
	anyOrder bool
	// ours adjusts our answer for a deliberate extension (lancer.*).
	ours func(xmlrpc.Value) xmlrpc.Value
	// known, if set, says why ours answers differently from the
	// reference: both answers are logged, not compared.
	known string
}

// sup, sys and raw make steps: a supervisor.* or system.* call, or a
// request body as is.
func sup(method string, params ...any) rpcStep {
	return rpcStep{method: "supervisor." + method, params: params}
}

func sys(method string, params ...any) rpcStep {
	return rpcStep{method: "system." + method, params: params}
}

func raw(body string) rpcStep { return rpcStep{body: body} }

// after sets the step's state up with f, in order; while, kind,
// unordered and differs set the fields of the same names.
func (s rpcStep) after(f ...func(r *rpcRun)) rpcStep {
	s.when = func(r *rpcRun) {
		for _, g := range f {
			g(r)
		}
	}
	return s
}

func (s rpcStep) while(d rpcStep) rpcStep { s.during = &d; return s }
func (s rpcStep) kind() rpcStep           { s.kindOnly = true; return s }
func (s rpcStep) unordered() rpcStep      { s.anyOrder = true; return s }
func (s rpcStep) differs(why string) rpcStep {
	s.known = why
	return s
}

// label names the step in failure messages.
func (s rpcStep) label() string {
	if s.body != "" {
		return fmt.Sprintf("raw body %q", s.body)
	}
	args := make([]string, len(s.params))
	for i, p := range s.params {
		v, err := xmlrpc.Marshal(p)
		if err != nil {
			panic("BUG: step params: " + err.Error())
		}
		args[i] = v.String()
	}
	return fmt.Sprintf("%q(%s)", s.method, strings.Join(args, ", "))
}

// TestXMLRPCDifferential runs one script of XML-RPC calls (every
// supervisor.* and system.* method, each fault path they have, multicall
// nested and mixed) against the Python supervisord and ours on
// testdata/xmlrpc.conf, and compares the answers step by step once pids,
// times and the run directory are masked. Struct members are compared
// sorted: their order means nothing to an XML-RPC client.
func TestXMLRPCDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the Python supervisord and ours through a long script")
	}
	requireOracle(t)
	steps := rpcSteps()
	var runs [2]rpcTranscript
	t.Run("daemons", func(t *testing.T) {
		paths := []string{oracleDaemon, lancerBinary(t, "supervisord")}
		for i, name := range []string{"reference", "ours"} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				runs[i] = runRPCScript(t, paths[i], i == 1, steps)
			})
		}
	})
	if t.Failed() {
		return
	}
	ref, ours := runs[0], runs[1]
	for i, s := range steps {
		switch {
		case s.known != "" && ref.answers[i] == ours.answers[i]:
			t.Logf("step %d %s: known difference (%s) not seen any more; both answer %s", i, s.label(), s.known, ours.answers[i])
		case s.known != "":
			t.Logf("step %d %s: known difference: %s\n  reference: %s\n  ours:      %s", i, s.label(), s.known, ref.answers[i], ours.answers[i])
		case ref.answers[i] != ours.answers[i]:
			t.Errorf("step %d %s differs:\n  reference: %s\n  ours:      %s", i, s.label(), ref.answers[i], ours.answers[i])
		case testing.Verbose():
			t.Logf("step %d %s: %s", i, s.label(), ours.answers[i])
		}
	}
	for _, m := range ref.methods {
		if !slices.Contains(calledMethods(steps), m) {
			t.Errorf("no step calls %s, which the reference serves", m)
		}
	}
}

// rpcTranscript is what one daemon answered to the script.
type rpcTranscript struct {
	answers []string // one per step, normalized
	methods []string // system.listMethods at the start
}

// rpcRun is one daemon running the script.
type rpcRun struct {
	t    *testing.T
	d    *confData
	ours bool // the daemon is ours, not the reference
	conf string
	orig string // the config as first written
	c    *xmlrpc.Client
	hc   *http.Client

	pidBefore int // sleeper's pid before the restart step
}

func runRPCScript(t *testing.T, path string, ours bool, steps []rpcStep) rpcTranscript {
	d := newConfData(t)
	if err := os.Mkdir(filepath.Join(d.Dir, "doomed"), 0o700); err != nil {
		t.Fatal(err)
	}
	r := &rpcRun{t: t, d: d, ours: ours, conf: writeConf(t, "xmlrpc.conf", d)}
	orig, err := os.ReadFile(r.conf)
	if err != nil {
		t.Fatal(err)
	}
	r.orig = string(orig)
	startDaemon(t, path, r.conf, d.Sock)
	if r.c, err = xmlrpc.NewClient("unix://"+d.Sock, xmlrpc.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.c.Close() })
	dial := func(ctx context.Context, _, _ string) (net.Conn, error) {
		return new(net.Dialer).DialContext(ctx, "unix", d.Sock)
	}
	r.hc = &http.Client{Transport: &http.Transport{DialContext: dial}, Timeout: 30 * time.Second}
	t.Cleanup(r.hc.CloseIdleConnections)

	go wake(t.Context(), r.c)
	waitStates("sleeper", "RUNNING", "cat", "RUNNING", "closed", "RUNNING", "doomed", "RUNNING", "grp:a", "RUNNING")(r)
	var tr rpcTranscript
	if tr.methods, err = r.c.ListMethods(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		if s.when != nil {
			s.when(r)
		}
		tr.answers = append(tr.answers, r.send(s))
	}
	return tr
}

// wake calls getAPIVersion every 50 ms until ctx is done. The reference's
// main loop blocks in poll for up to a second when nothing is ready, and
// moves a deferred call on once per pass: clearAllProcessLogs clears one
// process per pass, restart and shutdown stop one group per pass. Being
// woken, it runs the script in seconds instead of a minute. The call
// changes nothing; both daemons get it.
func wake(ctx context.Context, c *xmlrpc.Client) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			_, _ = c.GetAPIVersion(ctx)
		}
	}
}

// send sends s (and s.during) and returns the normalized answer.
func (r *rpcRun) send(s rpcStep) string {
	if s.during == nil {
		return r.answer(s)
	}
	main := make(chan string, 1)
	go func() { main <- r.answer(s) }()
	if s.during.when != nil {
		s.during.when(r)
	}
	also := r.answer(*s.during)
	return <-main + " | meanwhile " + s.during.label() + ": " + also
}

// answer posts s and renders what came back: a value, a fault, an HTTP
// error status or a transport error.
func (r *rpcRun) answer(s rpcStep) string {
	body := []byte(s.body)
	if s.body == "" {
		var buf bytes.Buffer
		if err := xmlrpc.EncodeRequest(&buf, s.method, s.params...); err != nil {
			return "encode: " + err.Error()
		}
		body = buf.Bytes()
	}
	req, err := http.NewRequestWithContext(r.t.Context(), http.MethodPost, "http://localhost/RPC2", bytes.NewReader(body))
	if err != nil {
		return "request: " + err.Error()
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := r.hc.Do(req)
	if err != nil {
		return r.mask("transport error: " + err.Error())
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return "http " + resp.Status
	}
	v, err := xmlrpc.DecodeResponse(resp.Body, xmlrpc.Limits{})
	var f *xmlrpc.Fault
	switch {
	case errors.As(err, &f):
		return r.mask(fmt.Sprintf("fault %d %s", f.Code, f.String))
	case err != nil:
		return "bad response: " + err.Error()
	case s.kindOnly:
		return "a " + v.Kind().String()
	}
	if s.ours != nil && r.ours {
		v = s.ours(v)
	}
	v = canonical(v)
	if vs, ok := v.AsArray(); ok && s.anyOrder {
		vs = slices.Clone(vs)
		slices.SortFunc(vs, func(a, b xmlrpc.Value) int { return strings.Compare(a.String(), b.String()) })
		v = xmlrpc.Array(vs...)
	}
	return r.mask(v.String())
}

// volatile are the struct members whose non-zero ints differ per run.
var volatile = map[string]string{"pid": "PID", "start": "TIME", "stop": "TIME", "now": "TIME"}

// canonical sorts struct members by name and masks volatile members.
func canonical(v xmlrpc.Value) xmlrpc.Value {
	if vs, ok := v.AsArray(); ok {
		out := make([]xmlrpc.Value, len(vs))
		for i, e := range vs {
			out[i] = canonical(e)
		}
		return xmlrpc.Array(out...)
	}
	ms, ok := v.AsStruct()
	if !ok {
		return v
	}
	out := make([]xmlrpc.Member, len(ms))
	for i, m := range ms {
		out[i] = xmlrpc.Member{Name: m.Name, Value: canonical(m.Value)}
		if n, ok := m.Value.AsInt(); ok && n != 0 && volatile[m.Name] != "" {
			out[i].Value = xmlrpc.String(volatile[m.Name])
		}
	}
	slices.SortFunc(out, func(a, b xmlrpc.Member) int { return strings.Compare(a.Name, b.Name) })
	return xmlrpc.Struct(out...)
}

var rpcMasks = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`pid \d+, uptime \d+:\d\d:\d\d`), "pid PID, uptime T"},
	{regexp.MustCompile(`[A-Z][a-z]{2} [ \d]\d \d\d:\d\d [AP]M`), "DATE"},
	{regexp.MustCompile(`---e2e-[A-Za-z0-9_]+\.log`), "---e2e-RANDOM.log"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}`), "STAMP"},
}

// mask replaces the run directory and what differs per run in s.
func (r *rpcRun) mask(s string) string {
	s = strings.ReplaceAll(s, r.d.Dir, "$DIR")
	for _, m := range rpcMasks {
		s = m.re.ReplaceAllString(s, m.with)
	}
	return s
}

// waitStates waits until each named process (name, state, name, state...)
// is in its state.
func waitStates(pairs ...string) func(r *rpcRun) {
	return func(r *rpcRun) {
		for i := 0; i < len(pairs); i += 2 {
			name, want := pairs[i], pairs[i+1]
			testproc.WaitFor(r.t, 20*time.Second, name+" "+want, func() bool {
				info, err := r.c.GetProcessInfo(r.t.Context(), name)
				return err == nil && info.StateName == want
			})
		}
	}
}

// waitOutput waits until the stdout log of process name contains s.
func waitOutput(name, s string) func(r *rpcRun) {
	return func(r *rpcRun) {
		testproc.WaitFor(r.t, 10*time.Second, name+" log to hold "+s, func() bool {
			got, err := r.c.ReadProcessStdoutLog(r.t.Context(), name, 0, 0)
			return err == nil && strings.Contains(got, s)
		})
	}
}

// restarted waits until supervisor.restart has run: sleeper has a new
// pid and the autostarted processes are RUNNING again.
func restarted(r *rpcRun) {
	testproc.WaitFor(r.t, 30*time.Second, "the daemon to restart", func() bool {
		info, err := r.c.GetProcessInfo(r.t.Context(), "sleeper")
		return err == nil && info.StateName == "RUNNING" && info.PID != r.pidBefore
	})
	waitStates("cat", "RUNNING", "closed", "RUNNING", "doomed", "RUNNING", "grp:a", "RUNNING", "ignoreterm", "RUNNING")(r)
}

// stopped stops the named processes, waiting.
func stopped(names ...string) func(r *rpcRun) {
	return func(r *rpcRun) {
		for _, name := range names {
			if err := r.c.StopProcess(r.t.Context(), name, true); err != nil && !errors.Is(err, xmlrpc.ErrNotRunning) {
				r.t.Fatalf("stop %s: %v", name, err)
			}
		}
	}
}

// rememberPID notes sleeper's pid, for restarted.
func rememberPID(r *rpcRun) {
	info, err := r.c.GetProcessInfo(r.t.Context(), "sleeper")
	if err != nil {
		r.t.Fatal(err)
	}
	r.pidBefore = info.PID
}

// editConf rewrites the config file as edit makes the original.
func editConf(edit func(string) string) func(r *rpcRun) {
	return func(r *rpcRun) {
		if err := os.WriteFile(r.conf, []byte(edit(r.orig)), 0o600); err != nil {
			r.t.Fatal(err)
		}
	}
}

// doomedDir removes (gone) or recreates the directory of doomed's log.
func doomedDir(gone bool) func(r *rpcRun) {
	return func(r *rpcRun) {
		dir := filepath.Join(r.d.Dir, "doomed")
		err := os.RemoveAll(dir)
		if !gone && err == nil {
			err = os.Mkdir(dir, 0o700)
		}
		if err != nil {
			r.t.Fatal(err)
		}
	}
}

// calledMethods returns every method the steps call, directly or in a
// system.multicall.
func calledMethods(steps []rpcStep) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.method)
		if s.method != "system.multicall" || len(s.params) != 1 {
			continue
		}
		if calls, ok := s.params[0].([]xmlrpc.Call); ok {
			for _, c := range calls {
				out = append(out, c.Method)
			}
		}
	}
	return out
}

// rpcSteps is the script, in order: each part leaves the state the next
// one expects.
func rpcSteps() []rpcStep {
	return slices.Concat(daemonSteps(), systemSteps(), infoSteps(), startStopSteps(), logSteps(),
		stdinSteps(), signalSteps(), multicallSteps(), configSteps(), endSteps())
}

func daemonSteps() []rpcStep {
	return []rpcStep{
		sup("getAPIVersion"), sup("getVersion"), sup("getSupervisorVersion"), sup("getIdentification"),
		sup("getState"), sup("getPID").kind(), sup("getPID", 1),
		sup("readLog", 0, 0).kind(), sup("readMainLog", -50, 0).kind(), sup("readLog", 100000, 10),
		sup("readLog", -1, 5), sup("readLog", 0, -5), sup("readLog", 0),
		sup("readLog", "x", 0).differs("documented: ours answers INCORRECT_PARAMETERS where the reference's int() raises (HTTP 500)"),
	}
}

// referenceMethods are the methods the reference serves.
var referenceMethods = []string{
	"supervisor.addProcessGroup", "supervisor.clearAllProcessLogs", "supervisor.clearLog", "supervisor.clearProcessLog",
	"supervisor.clearProcessLogs", "supervisor.getAPIVersion", "supervisor.getAllConfigInfo", "supervisor.getAllProcessInfo",
	"supervisor.getIdentification", "supervisor.getPID", "supervisor.getProcessInfo", "supervisor.getState",
	"supervisor.getSupervisorVersion", "supervisor.getVersion", "supervisor.readLog", "supervisor.readMainLog",
	"supervisor.readProcessLog", "supervisor.readProcessStderrLog", "supervisor.readProcessStdoutLog", "supervisor.reloadConfig",
	"supervisor.removeProcessGroup", "supervisor.restart", "supervisor.sendProcessStdin", "supervisor.sendRemoteCommEvent",
	"supervisor.shutdown", "supervisor.signalAllProcesses", "supervisor.signalProcess", "supervisor.signalProcessGroup",
	"supervisor.startAllProcesses", "supervisor.startProcess", "supervisor.startProcessGroup", "supervisor.stopAllProcesses",
	"supervisor.stopProcess", "supervisor.stopProcessGroup", "supervisor.tailProcessLog", "supervisor.tailProcessStderrLog",
	"supervisor.tailProcessStdoutLog", "system.listMethods", "system.methodHelp", "system.methodSignature", "system.multicall",
}

// withoutLancer drops our lancer.* methods from a method list: they are
// Lancer's own namespace (core/internal/rpc doc), which the reference
// does not have. The daemon serves them only once it wires an rpc.Scaler;
// until then this drops nothing.
func withoutLancer(v xmlrpc.Value) xmlrpc.Value {
	vs, _ := v.AsArray()
	var out []xmlrpc.Value
	for _, e := range vs {
		if s, _ := e.AsString(); !strings.HasPrefix(s, "lancer.") {
			out = append(out, e)
		}
	}
	return xmlrpc.Array(out...)
}

func systemSteps() []rpcStep {
	signatures := make([]xmlrpc.Call, len(referenceMethods))
	for i, m := range referenceMethods {
		signatures[i] = xmlrpc.Call{Method: "system.methodSignature", Params: []any{m}}
	}
	listMethods := sys("listMethods")
	listMethods.ours = withoutLancer
	return []rpcStep{
		listMethods, sys("listMethods", "x"),
		// Ours answers its own help text, not the reference's docstrings.
		sys("methodHelp", "supervisor.getPID").kind(), sys("methodHelp", "nosuch.method"), sys("methodHelp"),
		sys("methodSignature", "supervisor.startProcess"), sys("methodSignature", "supervisor.nosuch"),
		sys("methodSignature"), sys("multicall", signatures),
		sup("nosuch"), sys("nosuch"), {method: "nosuch"}, {method: "supervisor._update", params: []any{"x"}},
		{method: "supervisor.getPID.x"},
		{method: ""}, raw("this is not XML"), raw("<?xml version='1.0'?>\n<methodCall><methodName>supervisor.getState</methodName></methodCall>"),
		raw("<?xml version='1.0'?>\n<methodCall><methodName>supervisor.getProcessInfo</methodName>" +
			"<params><param><value>sleeper</value></param></params></methodCall>"),
	}
}

func infoSteps() []rpcStep {
	return []rpcStep{
		sup("getProcessInfo", "sleeper"), sup("getProcessInfo", "grp:a"), sup("getProcessInfo", "grp:*"),
		sup("getProcessInfo", "nosuch"), sup("getProcessInfo", "grp:nosuch"), sup("getProcessInfo", "nog:a"),
		sup("getProcessInfo"), sup("getProcessInfo", "closed"), sup("getProcessInfo", "nolog"),
		sup("getProcessInfo", 42).differs("documented: ours answers INCORRECT_PARAMETERS where the reference raises (HTTP 500)"),
		sup("getAllProcessInfo"), sup("getAllConfigInfo"),
	}
}

// startStopSteps start and stop processes. Known difference: the results
// of a bulk start or stop that waits (startProcessGroup, stopProcessGroup,
// startAllProcesses, stopAllProcesses, "group:*") are in process order in
// ours; the reference's make_allfunc appends each result when its process
// is done, so those done at once (startsecs=0, NO_FILE...) come first and
// the waited ones follow in the order they finished, which varies from run
// to run. Those steps compare their results in any order.
func startStopSteps() []rpcStep {
	return []rpcStep{
		sup("startProcess", "sleeper"), sup("startProcess", "nosuch"), sup("startProcess", "nofile"),
		sup("startProcess", "notexec"), sup("startProcess", "quick", true),
		sup("getProcessInfo", "quick").after(waitStates("quick", "FATAL")),
		sup("startProcess", "printer", true),
		sup("getProcessInfo", "printer").after(waitStates("printer", "EXITED")),
		sup("stopProcess", "printer"), sup("stopProcess", "nosuch"), sup("stopProcess"),
		sup("startProcess", "slow", true).while(sup("stopProcess", "slow", true).after(waitStates("slow", "STARTING"))),
		sup("getProcessInfo", "slow"),
		sup("startProcess", "grp:*"), sup("stopProcessGroup", "grp").unordered(), sup("startProcessGroup", "grp", false),
		sup("stopProcess", "grp:*", true).unordered().after(waitStates("grp:a", "RUNNING", "grp:b", "RUNNING")),
		sup("startProcessGroup", "nosuch"), sup("stopProcessGroup", "nosuch"), sup("startProcess", "nog:*"),
		sup("startProcess", "grp:a", false), sup("startProcess", "grp:a", true, 1),
		sup("stopProcess", "sleeper", true).after(waitStates("grp:a", "RUNNING")), sup("getProcessInfo", "sleeper"),
		sup("startProcess", "sleeper", "yes"),
		sup("stopAllProcesses", true).unordered(), sup("getAllProcessInfo"), sup("stopAllProcesses"),
		sup("startAllProcesses", true).unordered(), sup("startAllProcesses", false, 1),
		sup("getAllProcessInfo").after(waitStates("quick", "FATAL", "printer", "EXITED")),
	}
}

// printerLog is the printer's stdout log once it has run twice.
const printerLog = 2 * 5 * 49

func logSteps() []rpcStep {
	return []rpcStep{
		sup("readProcessStdoutLog", "printer", 0, 0), sup("readProcessStdoutLog", "printer", 10, 5),
		sup("readProcessStdoutLog", "printer", -20, 0), sup("readProcessStdoutLog", "printer", 1000, 5),
		sup("readProcessStdoutLog", "printer", -1, 5), sup("readProcessStdoutLog", "printer", 0, -5),
		sup("readProcessStdoutLog", "nosuch", 0, 0), sup("readProcessStdoutLog", "nolog", 0, 0),
		sup("readProcessStdoutLog", "printer", 0), sup("readProcessLog", "printer", 49, 49),
		sup("readProcessStderrLog", "printer", 0, 0), sup("readProcessStderrLog", "nofile", 0, 0),
		sup("tailProcessStdoutLog", "printer", 0, 10), sup("tailProcessStdoutLog", "printer", printerLog, 100),
		sup("tailProcessStdoutLog", "printer", 0, 0), sup("tailProcessStdoutLog", "printer", printerLog-30, 10),
		sup("tailProcessStdoutLog", "printer", 1000, 10), sup("tailProcessStdoutLog", "printer", -5, 10),
		sup("tailProcessStdoutLog", "nolog", 0, 10), sup("tailProcessStdoutLog", "nosuch", 0, 10),
		sup("tailProcessLog", "printer", 0, 49), sup("tailProcessStderrLog", "printer", 0, 10),
		sup("tailProcessStderrLog", "nofile", 0, 10),
		sup("clearProcessLogs", "printer"),
		sup("readProcessStdoutLog", "printer", 0, 0).differs("clearProcessLogs of a process that is not running " +
			"empties its log in ours; in the reference it is a no-op answering true (finish() drops the process's dispatchers, " +
			"which removelogs walks), so the log keeps its 490 bytes"),
		sup("clearProcessLog", "cat"), sup("clearProcessLogs", "nosuch"), sup("clearProcessLogs"),
		sup("clearProcessLogs", "doomed").after(doomedDir(true)), sup("clearAllProcessLogs"),
		sup("clearAllProcessLogs").after(doomedDir(false)),
		sup("clearLog"),
		sup("readLog", 0, 0).differs(`after clearLog the reference's main log is empty: it logs "reopening log file" ` +
			`before reopening, into the removed file; ours logs it after, into the new one`),
		sup("clearLog", 1),
	}
}

func stdinSteps() []rpcStep {
	return []rpcStep{
		sup("sendProcessStdin", "cat", "hello\n"),
		sup("readProcessStdoutLog", "cat", 0, 0).after(waitOutput("cat", "hello\n")),
		sup("sendProcessStdin", "cat", ""), sup("sendProcessStdin", "cat", 42), sup("sendProcessStdin", "cat"),
		sup("sendProcessStdin", "printer", "x"), sup("sendProcessStdin", "nosuch", "x"),
		sup("sendProcessStdin", "closed", "x"), sup("sendProcessStdin", "closed", "x"),
		sup("sendRemoteCommEvent", "type", "data"), sup("sendRemoteCommEvent", "type"), sup("sendRemoteCommEvent", 1, 2),
	}
}

func signalSteps() []rpcStep {
	return []rpcStep{
		sup("signalProcess", "sleeper", "WINCH"), sup("signalProcess", "sleeper", "sigwinch"),
		sup("signalProcess", "sleeper", 28), sup("signalProcess", "sleeper", "28"),
		sup("signalProcess", "sleeper", "FOO"), sup("signalProcess", "printer", "HUP"),
		sup("signalProcess", "nosuch", "HUP"), sup("signalProcess", "sleeper"),
		sup("signalProcess", "grp:*", "WINCH"), sup("signalProcessGroup", "grp", "WINCH"),
		sup("signalProcessGroup", "grp", "FOO"), sup("signalProcessGroup", "nosuch", "WINCH"),
		sup("signalAllProcesses", "WINCH"), sup("signalAllProcesses", "FOO"), sup("signalAllProcesses"),
	}
}

func multicallSteps() []rpcStep {
	mixed := []xmlrpc.Call{
		{Method: "supervisor.getAPIVersion"}, {Method: "supervisor.nosuch"},
		{Method: "supervisor.getProcessInfo", Params: []any{"sleeper"}},
		{Method: "supervisor.getProcessInfo", Params: []any{"nosuch"}},
		{Method: "supervisor.startProcess", Params: []any{"sleeper"}},
		{Method: "supervisor.getPID", Params: []any{"extra"}},
		{Method: "system.multicall", Params: []any{[]xmlrpc.Call{{Method: "supervisor.getAPIVersion"}}}},
	}
	waiting := []xmlrpc.Call{
		{Method: "supervisor.stopProcess", Params: []any{"sleeper", true}},
		{Method: "supervisor.getProcessInfo", Params: []any{"sleeper"}},
		{Method: "supervisor.startProcess", Params: []any{"grp:b", true}},
		{Method: "supervisor.startProcess", Params: []any{"sleeper", true}},
		{Method: "supervisor.stopProcess", Params: []any{"printer", true}},
		{Method: "supervisor.getProcessInfo", Params: []any{"grp:b"}},
	}
	odd := []any{
		map[string]any{"params": []any{}},
		map[string]any{"methodName": "supervisor.getAPIVersion"},
		map[string]any{"methodName": "supervisor.getProcessInfo", "params": []any{"cat"}},
	}
	return []rpcStep{
		sys("multicall", mixed), sys("multicall", waiting).after(stopped("grp:b")),
		sys("multicall", []xmlrpc.Call{}), sys("multicall", odd), sys("multicall"),
		sys("multicall", "x").differs("documented: ours answers INCORRECT_PARAMETERS where the reference raises"),
	}
}

// reconfigured is the config the reloadConfig step reads: ignoreterm
// added, sleeper changed, nolog removed.
func reconfigured(conf string) string {
	conf = strings.Replace(conf, "[program:sleeper]\n", "[program:sleeper]\nstartretries=5\n", 1)
	conf = conf[:strings.Index(conf, "[program:nolog]")]
	// ignoreterm keeps the daemon in its shutdown for stopwaitsecs.
	return conf + "[program:ignoreterm]\ncommand=" + testproc.CommandLine("ignore-term", "120s") +
		"\nstartsecs=0\nstopwaitsecs=3\n"
}

func broken(conf string) string { return reconfigured(conf) + "\n[program:broken]\nautostart=false\n" }

func configSteps() []rpcStep {
	return []rpcStep{
		sup("removeProcessGroup", "grp").after(waitStates("grp:a", "RUNNING")), sup("stopProcessGroup", "grp").unordered(),
		sup("removeProcessGroup", "grp"), sup("removeProcessGroup", "grp"), sup("removeProcessGroup"),
		sup("addProcessGroup", "grp"), sup("addProcessGroup", "grp"), sup("addProcessGroup", "nosuch"),
		sup("addProcessGroup"), sup("getAllProcessInfo").after(waitStates("grp:a", "RUNNING")),
		sup("reloadConfig"), sup("reloadConfig", "x"),
		sup("reloadConfig").after(editConf(reconfigured)), sup("getAllConfigInfo"),
		sup("addProcessGroup", "ignoreterm"), sup("removeProcessGroup", "nolog"), sup("stopProcess", "nolog"),
		sup("removeProcessGroup", "nolog"), sup("getAllProcessInfo").after(waitStates("ignoreterm", "RUNNING")),
		sup("reloadConfig").after(editConf(broken)).differs("CANT_REREAD carries each daemon's own config error text"),
		sup("reloadConfig").after(editConf(reconfigured)),
	}
}

func endSteps() []rpcStep {
	listMethods := sys("listMethods")
	listMethods.ours = withoutLancer
	return []rpcStep{
		sup("restart").after(rememberPID), sup("getAllProcessInfo").after(restarted),
		sup("shutdown", 1), sup("shutdown"),
		sup("getState"), sup("getProcessInfo", "sleeper"), sup("startProcess", "sleeper"),
		sup("signalAllProcesses", "WINCH"), sup("sendRemoteCommEvent", "type", "data"), listMethods,
		sup("shutdown"), sup("restart"),
	}
}
