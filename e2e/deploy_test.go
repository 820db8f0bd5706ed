package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lancerhq/lancer/internal/testproc"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// The files of deploy/, as seen from e2e/.
const (
	deployUnit      = "../deploy/systemd/supervisord.service"
	deployPlone     = "../deploy/examples/plone.conf"
	deployRulesDir  = "../deploy/prometheus"
	deployRules     = deployRulesDir + "/alerts.yml"
	deployRulesTest = deployRulesDir + "/alerts_test.yml"
)

// unitBinary and unitConfig are where the unit expects our supervisord
// and its config file (deploy/README.md installs them there).
const (
	unitBinary = "/usr/local/bin/supervisord"
	unitConfig = "/etc/supervisor/supervisord.conf"
)

// promtoolBinary is Debian's prometheus package; `make deps` installs it.
const promtoolBinary = "/usr/bin/promtool"

// unitFile is a systemd unit: each section's settings, repeated keys
// kept in file order.
type unitFile map[string]map[string][]string

// readUnit parses the systemd unit at path: sections, key=value lines and
// # or ; comments, which is all the unit uses.
func readUnit(t *testing.T, path string) unitFile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	u := unitFile{}
	section := ""
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case strings.HasSuffix(line, `\`):
			t.Fatalf("%s:%d: continuation lines are not parsed by this test", path, i+1)
		case line[0] == '[' && line[len(line)-1] == ']':
			section = line[1 : len(line)-1]
			u[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("%s:%d: not a setting: %q", path, i+1, line)
			}
			k = strings.TrimSpace(k)
			u[section][k] = append(u[section][k], strings.TrimSpace(v))
		}
	}
	return u
}

// get returns the one value of key in section, failing t unless it is
// set exactly once.
func (u unitFile) get(t *testing.T, section, key string) string {
	t.Helper()
	vs := u[section][key]
	if len(vs) != 1 {
		t.Fatalf("[%s] %s is set %d times; want once", section, key, len(vs))
	}
	return vs[0]
}

// args returns the arguments ExecStart gives supervisord, with the config
// file it names replaced by conf.
func (u unitFile) args(t *testing.T, conf string) []string {
	t.Helper()
	argv := strings.Fields(u.get(t, "Service", "ExecStart"))
	if argv[0] != unitBinary {
		t.Fatalf("ExecStart runs %s; want %s", argv[0], unitBinary)
	}
	args := slices.Clone(argv[1:])
	i := slices.Index(args, "-c")
	if i < 0 || i+1 == len(args) || args[i+1] != unitConfig {
		t.Fatalf("ExecStart = %q; want -c %s", argv, unitConfig)
	}
	args[i+1] = conf
	return args
}

// unitTestConf writes a config file with one sleeping program x and a
// unix socket in dir, and returns its path and the socket's.
func unitTestConf(t *testing.T, dir string) (conf, sock string) {
	t.Helper()
	sock = filepath.Join(dir, "supervisor.sock")
	conf = filepath.Join(dir, "supervisord.conf")
	text := fmt.Sprintf(`[supervisord]
logfile=%[1]s/supervisord.log
pidfile=%[1]s/supervisord.pid
childlogdir=%[1]s

[unix_http_server]
file=%[2]s

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[program:x]
command=%[3]s
startsecs=0
`, dir, sock, testproc.CommandLine("sleep", "1h"))
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return conf, sock
}

// TestDeploySystemdUnit checks the decisions the unit's comments explain,
// and that our supervisord accepts the command line of its ExecStart.
func TestDeploySystemdUnit(t *testing.T) {
	u := readUnit(t, deployUnit)
	for _, w := range []struct{ section, key, value string }{
		{"Service", "Type", "simple"}, // our daemon does not speak sd_notify
		{"Service", "ExecReload", "/bin/kill -HUP $MAINPID"},
		{"Service", "KillMode", "mixed"}, // supervisord stops its children itself
		{"Service", "Restart", "on-failure"},
		{"Service", "OOMPolicy", "continue"}, // supervisord restarts an OOM-killed child
		{"Install", "WantedBy", "multi-user.target"},
	} {
		if got := u.get(t, w.section, w.key); got != w.value {
			t.Errorf("[%s] %s = %q; want %q", w.section, w.key, got, w.value)
		}
	}
	// Settings that break programs writing or running where they expect.
	for _, key := range []string{"ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices",
		"NoNewPrivileges", "MemoryDenyWriteExecute", "ProtectClock", "DynamicUser"} {
		if vs := u["Service"][key]; len(vs) > 0 {
			t.Errorf("[Service] %s = %q; supervised programs need it unset", key, vs)
		}
	}
	// Time for supervisord to stop every priority level (10s each by
	// default), well beyond one stopwaitsecs.
	if d, err := time.ParseDuration(u.get(t, "Service", "TimeoutStopSec")); err != nil || d < time.Minute {
		t.Errorf("TimeoutStopSec = %v, %v; want at least 1m", d, err)
	}
	soft, _, _ := strings.Cut(u.get(t, "Service", "LimitNOFILE"), ":")
	if n, err := strconv.Atoi(soft); err != nil || n < 1024 {
		t.Errorf("LimitNOFILE soft limit = %q; want at least the default minfds, 1024", soft)
	}

	args := u.args(t, "")
	if !slices.Contains(args, "-n") {
		t.Errorf("ExecStart arguments %q lack -n: supervisord would go to the background", args)
	}
	conf, _ := unitTestConf(t, t.TempDir())
	out, err := exec.Command(lancerBinary(t, "supervisord"), append(u.args(t, conf), "-t")...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "configuration is valid") {
		t.Errorf("supervisord %q -t = %v\n%s", u.args(t, conf), err, out)
	}
}

// TestDeploySystemdUnitVerifies has systemd check the unit, with ExecStart
// pointing at the supervisord under test (systemd requires it to exist).
func TestDeploySystemdUnitVerifies(t *testing.T) {
	analyze := requireTool(t, "systemd-analyze", "systemd")
	sup, err := filepath.Abs(lancerBinary(t, "supervisord"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(deployUnit)
	if err != nil {
		t.Fatal(err)
	}
	unit := filepath.Join(t.TempDir(), "supervisord.service")
	if err := os.WriteFile(unit, bytes.ReplaceAll(data, []byte(unitBinary), []byte(sup)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(t.Context(), analyze, "verify", unit).CombinedOutput()
	// Warnings (an unknown key, say) do not change the exit status; other
	// units of the machine may have their own, which are not ours.
	var ours []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "supervisord.service") {
			ours = append(ours, l)
		}
	}
	if err != nil || len(ours) > 0 {
		t.Errorf("systemd-analyze verify = %v\n%s", err, out)
	}
}

// TestDeploySystemdUnitLifecycle runs supervisord as the unit does and
// does to it what systemd does: ExecStart's command line must keep the
// daemon in the foreground (Type=simple), ExecReload must restart the
// programs under the same main pid, and SIGTERM to the main pid alone
// (KillMode=mixed) must stop the programs and exit 0, so that
// Restart=on-failure leaves a clean stop alone.
func TestDeploySystemdUnitLifecycle(t *testing.T) {
	if testing.Short() {
		t.Skip("runs supervisord")
	}
	u := readUnit(t, deployUnit)
	dir := t.TempDir()
	conf, sock := unitTestConf(t, dir)
	cmd := exec.Command(lancerBinary(t, "supervisord"), u.args(t, conf)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	d := &daemon{cmd: cmd, output: new(bytes.Buffer), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = d.output, d.output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(d.done) }()
	t.Cleanup(func() {
		d.stop(t)
		stopDaemonized(t, filepath.Join(dir, "supervisord.pid"), cmd.Process.Pid)
	})
	d.waitSocket(t, sock)
	inForeground(t, d, "at start")
	c, err := xmlrpc.NewClient("unix://"+sock, xmlrpc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	first := runningPID(t, c, 0)

	reload := strings.Fields(strings.ReplaceAll(u.get(t, "Service", "ExecReload"), "$MAINPID", strconv.Itoa(cmd.Process.Pid)))
	if out, err := exec.Command(reload[0], reload[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("ExecReload %q = %v\n%s", reload, err, out)
	}
	second := runningPID(t, c, first)
	inForeground(t, d, "after ExecReload")
	if !testproc.PIDGone(first) {
		t.Errorf("x's pid %d before the reload is still alive", first)
	}

	timeout, _ := time.ParseDuration(u.get(t, "Service", "TimeoutStopSec"))
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-d.done:
	case <-time.After(timeout):
		t.Fatalf("supervisord did not stop within TimeoutStopSec %v:\n%s", timeout, d.output)
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("supervisord exited %d on SIGTERM; want 0 (a clean stop)\n%s", code, d.output)
	}
	if !testproc.PIDGone(second) {
		t.Errorf("x (pid %d) outlived supervisord's SIGTERM", second)
	}
}

// inForeground fails t if the supervisord systemd would have started
// has returned: systemd would take the unit for stopped.
func inForeground(t *testing.T, d *daemon, when string) {
	t.Helper()
	select {
	case <-d.done:
		t.Fatalf("supervisord returned %s (a daemon in the background, or a crash); Type=simple needs it in the foreground\n%s", when, d.output)
	default:
	}
}

// stopDaemonized stops the daemon named by pidfile unless it is main:
// the copy a supervisord that went to the background left running. It
// gets SIGTERM, so that it stops its programs too.
func stopDaemonized(t *testing.T, pidfile string, main int) {
	t.Helper()
	b, err := os.ReadFile(pidfile)
	if pid, _ := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 && pid != main {
		_ = syscall.Kill(pid, syscall.SIGTERM)
		testproc.WaitFor(t, 20*time.Second, "the daemonized supervisord to stop", func() bool { return testproc.PIDGone(pid) })
	}
}

// runningPID waits until x is RUNNING with a pid other than not, and
// returns it. The daemon may not answer while it restarts.
func runningPID(t *testing.T, c *xmlrpc.Client, not int) int {
	t.Helper()
	pid := 0
	testproc.WaitFor(t, 15*time.Second, "x to run with a new pid", func() bool {
		info, err := c.GetProcessInfo(t.Context(), "x")
		pid = info.PID
		return err == nil && info.StateName == "RUNNING" && pid != not
	})
	return pid
}

// ploneListeners are the listeners of the Plone issue, verbatim; the
// example gives their binaries' path from %(here)s instead of bin/.
var ploneListeners = []string{
	"[eventlistener:MemoryMonitor]\ncommand=bin/memmon -g zeo-clients=800MB -m ops@example.org\nevents=TICK_60\n",
	"[eventlistener:HttpOk1]\ncommand=bin/httpok -p client1 -t 20 http://127.0.0.1:8080/Plone\nevents=TICK_60\n",
	"[eventlistener:crashmail]\ncommand=bin/crashmail -a -m ops@example.org\nevents=PROCESS_STATE_EXITED\n",
}

// TestDeployPloneExample installs deploy/examples/plone.conf in a
// buildout-shaped directory (etc/, var/log/, bin/ with our listeners) and
// requires the Python supervisord's config parser and ours to see the
// same groups and processes: ours checking it with -t, and running it
// (the Zope clients, ZEO, haproxy and varnish are missing and fail to
// spawn; the listeners run with the example's command lines).
func TestDeployPloneExample(t *testing.T) {
	if testing.Short() {
		t.Skip("runs supervisord and the Python config parser")
	}
	requireOracle(t)
	data, err := os.ReadFile(deployPlone)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, l := range ploneListeners {
		if want := strings.Replace(l, "command=bin/", "command=%(here)s/../bin/", 1); !strings.Contains(text, want) {
			t.Errorf("%s lacks the listener\n%s", deployPlone, want)
		}
	}
	const pass = "s3cret"
	t.Setenv("SUPERVISOR_HTTP_PASSWORD", pass) // the [inet_http_server] password
	root := t.TempDir()
	conf, port := installPlone(t, root, text)
	sup := lancerBinary(t, "supervisord")

	out, err := exec.Command(sup, "-t", "-c", conf).CombinedOutput()
	var groups, procs int
	if _, serr := fmt.Sscanf(string(out[bytes.LastIndexByte(out, '(')+1:]), "%d groups, %d processes, 0 warnings)", &groups, &procs); err != nil || serr != nil {
		t.Fatalf("supervisord -t -c %s = %v\n%s", conf, err, out)
	}
	want := referencePrograms(t, conf)
	wantGroups := map[string]bool{}
	for _, p := range want {
		wantGroups[strings.Split(p, ":")[0]] = true
	}
	if groups != len(wantGroups) || procs != len(want) {
		t.Errorf("supervisord -t counts %d groups, %d processes; the reference %d, %d (%q)", groups, procs, len(wantGroups), len(want), want)
	}

	sock := filepath.Join(root, "var", "supervisord.sock")
	startDaemon(t, sup, conf, sock)
	c, err := xmlrpc.NewClient("unix://"+sock, xmlrpc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, l := range []string{"MemoryMonitor", "HttpOk1", "crashmail"} {
		waitState(t, c, l, "RUNNING") // our listeners accept the flags
	}
	infos, err := c.GetAllProcessInfo(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range infos {
		got = append(got, p.Group+":"+p.Name)
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("processes: reference (-) vs ours (+):\n%s", diff)
	}
	checkRuleSeries(t, fmt.Sprintf("http://127.0.0.1:%d/metrics", port), "ops", pass)
}

// installPlone writes the Plone example into the buildout at root as
// etc/supervisord.conf, with its [inet_http_server] on a free port, and
// links our listeners into bin/. It returns the config and the port.
func installPlone(t *testing.T, root, text string) (string, int) {
	t.Helper()
	for _, d := range []string{"etc", "bin", "var/log"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range []string{"memmon", "httpok", "crashmail"} {
		if err := os.Symlink(lancerBinary(t, l), filepath.Join(root, "bin", l)); err != nil {
			t.Fatal(err)
		}
	}
	const inet = "port = 127.0.0.1:9001"
	if strings.Count(text, inet) != 1 {
		t.Fatalf("%s: want one %q", deployPlone, inet)
	}
	port := freePort(t)
	text = strings.Replace(text, inet, fmt.Sprintf("port = 127.0.0.1:%d", port), 1)
	conf := filepath.Join(root, "etc", "supervisord.conf")
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return conf, port
}

// referenceScript prints every process of a config file as group:name,
// as the Python supervisord reads the file. realize() parses and checks
// the config only: sockets, the pid file and the children are the
// business of supervisord's main(), which it never calls.
const referenceScript = `import json, sys
from supervisor.options import ServerOptions
o = ServerOptions()
o.realize(args=["-c", sys.argv[1]])
print(json.dumps(sorted("%s:%s" % (g.name, p.name) for g in o.process_group_configs for p in g.process_configs)))
`

// referencePrograms returns the processes of conf as the reference sees
// them, sorted group:name.
func referencePrograms(t *testing.T, conf string) []string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), oraclePython, "-c", referenceScript, conf)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the reference's config parser on %s: %v\n%s", conf, err, stderr.String())
	}
	var names []string
	if err := json.Unmarshal(out, &names); err != nil {
		t.Fatalf("the reference's config parser: %v\n%s", err, out)
	}
	return names
}

// ruleSeries matches the names of our series in alerts.yml.
var ruleSeries = regexp.MustCompile(`\bsupervisord_[a-z_]+\b`)

// checkRuleSeries requires every supervisord_* series the alert rules use
// to be served at url, so a renamed metric cannot leave a rule silent.
func checkRuleSeries(t *testing.T, url, user, pass string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(user, pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %s, %v", url, resp.Status, err)
	}
	rules, err := os.ReadFile(deployRules)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range ruleSeries.FindAllString(string(rules), -1) {
		if !regexp.MustCompile(`(?m)^` + name + `[{ ]`).Match(body) {
			t.Errorf("%s uses %s, which supervisord does not serve", deployRules, name)
		}
	}
}

// requirePromtool returns promtool's path (see requireTool).
func requirePromtool(t *testing.T) string { return requireTool(t, promtoolBinary, "prometheus") }

// alertRule matches a rule's name in alerts.yml; firingCase a case of
// alerts_test.yml that expects that alert to fire.
var (
	alertRule  = regexp.MustCompile(`(?m)^\s*- alert: (\w+)$`)
	firingCase = `(?m)^\s*alertname: %s\n\s*exp_alerts:\n\s*- exp_labels:`
)

// TestDeployPrometheusRules checks the alert rules with promtool, runs
// their unit tests, and requires each rule to have a summary, a
// description and a test case in which it fires.
func TestDeployPrometheusRules(t *testing.T) {
	requirePromtool(t)
	rules, err := os.ReadFile(deployRules)
	if err != nil {
		t.Fatal(err)
	}
	tests, err := os.ReadFile(deployRulesTest)
	if err != nil {
		t.Fatal(err)
	}
	blocks := alertRule.FindAllStringSubmatchIndex(string(rules), -1)
	if len(blocks) == 0 {
		t.Fatalf("%s has no alert rules", deployRules)
	}
	for i, m := range blocks {
		end := len(rules)
		if i+1 < len(blocks) {
			end = blocks[i+1][0]
		}
		name, rule := string(rules[m[2]:m[3]]), string(rules[m[0]:end])
		if !strings.Contains(rule, "summary:") || !strings.Contains(rule, "description:") {
			t.Errorf("%s: %s lacks a summary or a description annotation", deployRules, name)
		}
		if !regexp.MustCompile(fmt.Sprintf(firingCase, name)).Match(tests) {
			t.Errorf("%s: no case expects %s to fire", deployRulesTest, name)
		}
	}

	out, err := exec.CommandContext(t.Context(), promtoolBinary, "check", "rules", deployRules).CombinedOutput()
	if want := fmt.Sprintf("SUCCESS: %d rules found", len(blocks)); err != nil || !strings.Contains(string(out), want) {
		t.Errorf("promtool check rules %s = %v; want %q\n%s", deployRules, err, want, out)
	}
	cmd := exec.CommandContext(t.Context(), promtoolBinary, "test", "rules", filepath.Base(deployRulesTest))
	cmd.Dir = deployRulesDir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool test rules %s = %v\n%s", deployRulesTest, err, out)
	}
}
