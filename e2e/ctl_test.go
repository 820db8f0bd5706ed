package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// oracleCtl is the Python supervisorctl our supervisorctl is compared with.
const oracleCtl = "/usr/bin/supervisorctl"

// ctlStep is one command run by both supervisorctls against the same
// Python supervisord, each from the same starting state.
type ctlStep struct {
	args   []string // after the transport's options
	stdin  string
	before []string           // commands run before each side, to set the state up
	prep   func(t *testing.T) // run before each side, after before
	sorted bool               // the server's completion order decides the order of lines
}

// ctlRun is what one supervisorctl printed and its exit status.
type ctlRun struct {
	Stdout, Stderr string
	Status         int
}

// ctlEnv runs supervisorctls in one scenario.
type ctlEnv struct {
	d    *confData
	conf string
	ours string
}

// run runs bin with args and stdin.
func (e *ctlEnv) run(t *testing.T, bin string, args []string, stdin string) ctlRun {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = e.d.Dir
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "PYTHONIOENCODING=utf-8")
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run %s %q: %v", bin, args, err)
	}
	return ctlRun{Stdout: stdout.String(), Stderr: stderr.String(), Status: cmd.ProcessState.ExitCode()}
}

// setup runs a command on the unix socket to set a state up, with our
// supervisorctl, which starts in milliseconds where Python's takes a
// quarter of a second; both sides of a comparison get the same set-up.
func (e *ctlEnv) setup(t *testing.T, line string) {
	t.Helper()
	e.run(t, e.ours, append([]string{"-c", e.conf}, strings.Fields(line)...), "")
}

// exited is a prep that waits for process name, started by a "start all"
// and gone once it has printed, to be EXITED. Python's supervisorctl takes
// long enough to start that it always finds it so; ours, started within
// milliseconds, could find it still RUNNING and stop it.
func (e *ctlEnv) exited(name string) func(t *testing.T) {
	return func(t *testing.T) {
		c, err := xmlrpc.NewClient("unix://"+e.d.Sock, xmlrpc.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		waitState(t, c, name, "EXITED")
	}
}

// compare runs step with the reference and with ours, and compares what
// they print and their exit statuses once times and pids are masked.
func (e *ctlEnv) compare(t *testing.T, opts []string, step ctlStep) {
	t.Helper()
	args := append(slices.Clone(opts), step.args...)
	var runs [2]ctlRun
	for i, bin := range []string{oracleCtl, e.ours} {
		for _, line := range step.before {
			e.setup(t, line)
		}
		if step.prep != nil {
			step.prep(t)
		}
		runs[i] = maskRun(e.run(t, bin, args, step.stdin), step.sorted)
	}
	if diff := cmp.Diff(runs[0], runs[1]); diff != "" {
		t.Errorf("supervisorctl %q differs from the reference's (-reference +ours):\n%s", args, diff)
	}
}

var ctlMasks = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`pid \d+, uptime \d+:\d\d:\d\d`), "pid PID, uptime T"},
	{regexp.MustCompile(`(?m)^\d+$`), "PID"},
	{regexp.MustCompile(`[A-Z][a-z]{2} [ \d]\d \d\d:\d\d [AP]M`), "DATE"},
	{regexp.MustCompile(`(?m): file: \S+ line: \d+$`), ""}, // Python's traceback place, which ours omits
	{regexp.MustCompile(`For help, use \S+ -h`), "For help, use supervisorctl -h"},
	// Whether a waiting start of quick, which exits at once, finds it in
	// BACKOFF or already FATAL depends on the server's timing.
	{regexp.MustCompile(`quick: ERROR \((spawn error|abnormal termination)\)`), "quick: ERROR (START FAILED)"},
}

func maskRun(r ctlRun, sorted bool) ctlRun {
	for _, m := range ctlMasks {
		r.Stdout = m.re.ReplaceAllString(r.Stdout, m.with)
		r.Stderr = m.re.ReplaceAllString(r.Stderr, m.with)
	}
	if sorted {
		lines := strings.SplitAfter(r.Stdout, "\n")
		slices.Sort(lines)
		r.Stdout = strings.Join(lines, "")
	}
	return r
}

func steps(lines ...string) []ctlStep {
	out := make([]ctlStep, len(lines))
	for i, l := range lines {
		out[i] = ctlStep{args: strings.Fields(l)}
	}
	return out
}

// TestCtlAgainstReference runs our supervisorctl and Python's against the
// same daemon, command by command, over its unix socket and over TCP with
// basic auth, and compares their output and exit statuses: first against
// Python's supervisord (our client is a drop-in), then against ours (our
// daemon answers Python's supervisorctl as the reference does).
func TestCtlAgainstReference(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Python supervisord and runs many supervisorctls")
	}
	requireOracle(t)
	t.Run("reference daemon", func(t *testing.T) { ctlScenario(t, oracleDaemon) })
	t.Run("our daemon", func(t *testing.T) { ctlScenario(t, lancerBinary(t, "supervisord")) })
}

// ctlScenario compares the two supervisorctls against the daemon at path.
func ctlScenario(t *testing.T, path string) {
	d := newConfData(t)
	e := &ctlEnv{d: d, conf: writeConf(t, "ctl.conf", d), ours: lancerBinary(t, "supervisorctl")}
	daemon := startDaemon(t, path, e.conf, d.Sock)
	c, err := xmlrpc.NewClient("unix://"+d.Sock, xmlrpc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitState(t, c, "sleeper", "RUNNING")
	if err := c.StartProcess(t.Context(), "printer", true); err != nil {
		t.Fatal(err)
	}
	waitState(t, c, "printer", "EXITED")

	unix := []string{"-c", e.conf}
	tcp := []string{"-s", fmt.Sprintf("http://127.0.0.1:%d", d.Port), "-u", d.User, "-p", d.Pass}
	t.Run("unix", func(t *testing.T) { e.compareAll(t, unix, e.processSteps()) })
	t.Run("tcp+auth", func(t *testing.T) { e.compareAll(t, tcp, tcpSteps()) })
	t.Run("bad auth", func(t *testing.T) {
		e.compareAll(t, tcp[:4], steps("status", "reread", "tail printer"))
		e.compareAll(t, append(tcp[:5:5], "nope"), steps("status", "version", "avail"))
	})
	t.Run("command line", func(t *testing.T) { e.compareAll(t, nil, commandLineSteps(e.conf)) })
	t.Run("shell", func(t *testing.T) { e.compareAll(t, unix, shellSteps()) })
	t.Run("config changes", func(t *testing.T) { e.compareAll(t, unix, e.configSteps(t)) })
	t.Run("shutdown", func(t *testing.T) { e.shutdown(t, unix, tcp, daemon) })
}

func (e *ctlEnv) compareAll(t *testing.T, opts []string, steps []ctlStep) {
	t.Helper()
	for _, s := range steps {
		e.compare(t, opts, s)
	}
}

// processSteps are the commands on processes, logs and the daemon.
func (e *ctlEnv) processSteps() []ctlStep {
	out := steps("status", "status sleeper grp:* nosuch nog:* grp", "status grp:b", "pid", "pid all", "pid sleeper grp:b nosuch",
		"version", "version x", "help", "help start", "help help", "help nope", "avail", "frob x", "",
		"start", "start nosuch nog:* grp:zz", "start sleeper", "start nofile", "stop", "stop nosuch nog:*",
		"signal", "signal HUP", "signal FOO sleeper", "signal WINCH sleeper", "signal WINCH grp:* nosuch", "signal WINCH all",
		"tail", "tail printer", "tail -20 printer stderr", "tail -0 printer", "tail printer bad", "tail -x printer",
		"tail nosuch", "tail a b c d", "maintail x", "maintail -5 x", "fg", "fg nosuch", "fg a b",
		"clear nosuch", "clear")
	return append(out,
		ctlStep{args: []string{"fg", "grp:b"}, before: []string{"stop grp:b"}},
		ctlStep{args: []string{"start", "sleeper", "grp:b"}, before: []string{"stop sleeper grp:b"}},
		ctlStep{args: []string{"stop", "sleeper", "sleeper"}, before: []string{"start sleeper"}},
		ctlStep{args: []string{"stop", "grp:*"}, before: []string{"start grp:*"}, sorted: true},
		ctlStep{args: []string{"start", "grp:*"}, before: []string{"stop grp:*"}},
		// quick exits at once: it is in BACKOFF for a second before its
		// one retry, so a waiting start reports abnormal termination.
		ctlStep{args: []string{"start", "quick"}, before: []string{"stop quick"}},
		ctlStep{args: []string{"restart", "sleeper", "nosuch", "nog:*"}, before: []string{"start sleeper"}},
		ctlStep{args: []string{"restart", "grp:*"}, before: []string{"start grp:a", "stop grp:b"}, sorted: true},
		ctlStep{args: []string{"restart", "all"}, before: []string{"start all", "stop quick"}, prep: e.exited("printer"), sorted: true},
		ctlStep{args: []string{"stop", "all"}, before: []string{"start all", "stop quick"}, prep: e.exited("printer"), sorted: true},
		ctlStep{args: []string{"start", "all"}, before: []string{"stop all"}, sorted: true},
		ctlStep{args: []string{"status"}, before: []string{"stop quick"}},
		ctlStep{args: []string{"clear", "printer", "nosuch", "sleeper"}},
		ctlStep{args: []string{"clear", "all"}},
	)
}

// tcpSteps are the commands whose transport differs over TCP: XML-RPC
// calls and the HTTP log tail.
func tcpSteps() []ctlStep {
	out := steps("status", "pid all", "version", "avail", "reread", "tail -20 printer stderr", "maintail x", "signal WINCH all",
		"start nosuch", "clear printer")
	return append(out,
		ctlStep{args: []string{"fg", "grp:b"}, before: []string{"stop grp:b"}},
		ctlStep{args: []string{"restart", "grp:*"}, before: []string{"start grp:a", "stop grp:b"}, sorted: true},
		ctlStep{args: []string{"stop", "sleeper"}, before: []string{"start sleeper"}},
		ctlStep{args: []string{"start", "sleeper"}, before: []string{"stop sleeper"}},
	)
}

// commandLineSteps check options and config file handling.
func commandLineSteps(conf string) []ctlStep {
	return steps("--history-file x", "-x", "-c", "--serverurl", "-s foo", "-i -i", "--interactive=1", "--h",
		"-c /nonexistent/x.conf status", "-c "+conf+" -- version -x", "-c "+conf+" version -c foo",
		"--serv=unix:///nonexistent/s.sock status", "-s unix:///nonexistent/s.sock version",
		"-s unix:///nonexistent/s.sock reread", "-s unix:///nonexistent/s.sock shutdown")
}

// shellSteps feed the shell lines on a pipe, the way scripts do.
func shellSteps() []ctlStep {
	return []ctlStep{
		{stdin: "version\nfoo\n\nhelp help\n?stop\nshutdown\nn\nstatus grp:*\n"},
		{stdin: "version"},
		{stdin: "quit\nversion\n"},
		{args: []string{"-i", "reload"}, stdin: "no\n"},
		{args: []string{"-i", "shutdown"}},
	}
}

// configSteps change the config file: reread and update see a program
// added, a group changed and a program removed; remove and add act on a
// group.
func (e *ctlEnv) configSteps(t *testing.T) []ctlStep {
	orig, err := os.ReadFile(e.conf)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(orig), "stopwaitsecs=10", "stopwaitsecs=11", 1)
	changed = changed[:strings.Index(changed, "[program:printer]")] + "[program:added]\ncommand=/bin/true\nautostart=false\n"
	write := func(t *testing.T, s string) {
		if err := os.WriteFile(e.conf, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	toChanged := func(t *testing.T) { write(t, string(orig)); e.setup(t, "update"); write(t, changed) }
	return []ctlStep{
		{args: []string{"reread"}, prep: func(t *testing.T) { write(t, changed) }},
		{args: []string{"update", "nog"}, prep: toChanged},
		{args: []string{"update", "added", "grp"}, prep: toChanged},
		{args: []string{"update"}, prep: toChanged},
		{args: []string{"update", "all"}, prep: toChanged},
		{args: []string{"reread"}},
		{args: []string{"avail"}},
		{args: []string{"remove", "grp"}, before: []string{"start grp:a"}},
		{args: []string{"remove", "grp", "nog"}, before: []string{"add grp", "stop grp:*"}},
		{args: []string{"add", "grp", "nog"}, before: []string{"stop grp:*", "remove grp"}},
		{args: []string{"add", "grp"}},
	}
}

// shutdown compares the confirmation, shuts the daemon down with ours,
// and compares what both print once it is gone.
func (e *ctlEnv) shutdown(t *testing.T, unix, tcp []string, d *daemon) {
	e.compare(t, unix, ctlStep{args: []string{"-i", "shutdown"}, stdin: "n\n"})
	got := e.run(t, e.ours, append(slices.Clone(unix), "shutdown"), "")
	if want := (ctlRun{Stdout: "Shut down\n"}); got != want {
		t.Fatalf("shutdown = %+v; want %+v", got, want)
	}
	select {
	case <-d.done:
	case <-time.After(20 * time.Second):
		t.Fatal("supervisord did not exit after shutdown")
	}
	down := steps("status", "version", "pid", "tail x", "reread", "avail", "update", "add x", "remove x", "reload", "shutdown")
	e.compareAll(t, unix, down)
	e.compareAll(t, tcp, down)
}
