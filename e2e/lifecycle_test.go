package e2e

import (
	"bytes"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/testproc"
)

// A scenario is one config run under a daemon, driven by steps, whose main
// log is then compared line by line between the reference and ours.
type scenario struct {
	name  string
	conf  string // testdata/lifecycle/<name>.conf unless set
	steps []step

	// concurrent marks scenarios in which several processes change state
	// at the same instant. The reference serialises them in its poll
	// loop; ours runs one actor per process, so the interleaving of
	// their lines is the scheduler's. Such logs are compared per process
	// (each process's lines in order), for the daemon's own lines in
	// order, and as a whole as a multiset.
	concurrent bool
}

// A step waits for the main log to match until (if set), then sends
// signal (if set).
type step struct {
	until  string
	signal syscall.Signal
}

// waitLine is the step that only waits.
func waitLine(re string) step { return step{until: re} }

// lifecycleScenarios are the differential lifecycle cases of issue 4. Each
// ends with SIGTERM once its last step is done, so shutdown is compared too.
var lifecycleScenarios = []scenario{
	{name: "clean_exit", steps: []step{waitLine(`exited: quick \(exit status 0; expected\)`)}},
	{name: "crash", steps: []step{waitLine(`exited: crasher \(exit status 3; not expected\)`)}},
	{name: "exit_before_startsecs", steps: []step{waitLine(`gave up: early`)}},
	{name: "startretries_exhausted", steps: []step{waitLine(`gave up: flaky`)}},
	{name: "autorestart_true", steps: []step{waitLine(`(?s)exited: looper.*exited: looper.*spawned: 'looper'`)}},
	{name: "autorestart_false", steps: []step{waitLine(`exited: once \(exit status 4; not expected\)`)}},
	{name: "autorestart_unexpected", concurrent: true, steps: []step{waitLine(`(?s)exited: good.*exited: bad.*spawned: 'bad'.*success: bad`)}},
	{name: "exitcodes", steps: []step{waitLine(`exited: three \(exit status 3; expected\)`)}},
	{name: "stop_ignores_term", steps: []step{waitLine(`success: stubborn entered RUNNING`)}},
	{name: "stopasgroup", steps: []step{waitLine(`success: forker entered RUNNING`)}},
	{name: "numprocs", steps: []step{waitLine(`(?s)success: worker_02.*`)}},
	{name: "priorities", steps: []step{waitLine(`(?s)success: (first|second|third).*success: (first|second|third).*success: (first|second|third)`)}},
	{name: "spawn_errors", concurrent: true, steps: []step{waitLine(`gave up: missing`), waitLine(`gave up: notexec`)}},
	{name: "missing_directory", steps: []step{waitLine(`gave up: nodir`)}},
	{name: "hup_reload", steps: []step{
		waitLine(`success: sleeper entered RUNNING`),
		{signal: syscall.SIGHUP},
		waitLine(`(?s)received SIGHUP.*success: sleeper entered RUNNING`),
	}},
	{name: "usr2_reopen", steps: []step{
		waitLine(`success: sleeper entered RUNNING`),
		{signal: syscall.SIGUSR2},
		waitLine(`supervisord logreopen`),
	}},
}

// lifecycleLog runs sc under the daemon at argv0 and returns its main log,
// masked.
func lifecycleLog(t *testing.T, daemonPath string, sc scenario) []string {
	t.Helper()
	d := newConfData(t)
	name := sc.conf
	if name == "" {
		name = filepath.Join("lifecycle", sc.name+".conf")
	}
	conf := writeConf(t, name, d)
	logPath := filepath.Join(d.Dir, "supervisord.log")
	dmn := startDaemon(t, daemonPath, conf, "")
	waitLog(t, logPath, `supervisord started with pid`)
	for _, st := range sc.steps {
		if st.until != "" {
			waitLog(t, logPath, st.until)
		}
		if st.signal != 0 {
			_ = dmn.cmd.Process.Signal(st.signal)
		}
	}
	dmn.stop(t)
	assertNoneLeft(t, d.Dir)
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	return maskLog(string(b), d.Dir)
}

// waitLog waits until the main log at path matches re.
func waitLog(t *testing.T, path, re string) {
	t.Helper()
	rx := regexp.MustCompile(re)
	testproc.WaitFor(t, 30*time.Second, "main log to match "+re, func() bool {
		b, _ := os.ReadFile(path)
		return rx.Match(b)
	})
}

var logMasks = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} `), ""},
	{regexp.MustCompile(`pid \d+`), "pid N"},
	{regexp.MustCompile(`' \(\d+\) with`), "' (N) with"},
	{regexp.MustCompile(`reaped unknown pid \d+`), "reaped unknown pid N"},
}

// referenceOnly matches main-log lines that only the reference writes, on
// purpose: Medusa's start-up banner, which it logs at ERRO level (with two
// continuation lines) when formatting a unix socket's "port" fails.
var referenceOnly = regexp.MustCompile(`Medusa \(V[\d.]+\) started at|^\tHostname: |^\tPort:`)

// oursOnly matches main-log lines that only ours writes, on purpose: as a
// child subreaper (the reference's #1101) it adopts the grandchildren of
// its programs and logs reaping them, as the reference logs any pid it
// reaps but did not spawn.
var oursOnly = regexp.MustCompile(`^INFO reaped unknown pid N \(`)

// progress matches lines that report how long something takes rather
// than what happened: whether "waiting for x to stop" appears depends on
// whether the process had died before the waiting call first looked.
var progress = regexp.MustCompile(`^INFO waiting for .* to stop$`)

// sameInstant matches lines whose relative order is decided by timing:
// which of several children stopped together is reaped first, which of
// several processes spawned together passes startsecs first. Runs of them
// are compared as sets.
var sameInstant = regexp.MustCompile(`^(WARN|INFO) stopped: |^INFO success: `)

func maskLog(s, dir string) []string {
	s = strings.ReplaceAll(s, dir, "DIR")
	for _, m := range logMasks {
		s = m.re.ReplaceAllString(s, m.repl)
	}
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if !referenceOnly.MatchString(l) && !oursOnly.MatchString(l) && !progress.MatchString(l) {
			out = append(out, l)
		}
	}
	sortRuns(out, sameInstant)
	return out
}

// sortRuns sorts each run of consecutive lines matching re in place.
func sortRuns(lines []string, re *regexp.Regexp) {
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && re.MatchString(lines[j]) {
			j++
		}
		if j > i {
			slices.Sort(lines[i:j])
			i = j
		} else {
			i++
		}
	}
}

// startDaemon runs a supervisord (ours or the reference) in the foreground.
func startDaemon(t *testing.T, path, conf, sock string) *daemon {
	t.Helper()
	cmd := exec.Command(path, "-n", "-c", conf)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "PYTHONIOENCODING=utf-8")
	d := &daemon{cmd: cmd, output: new(bytes.Buffer), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = d.output, d.output
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	go func() { _ = cmd.Wait(); close(d.done) }()
	t.Cleanup(func() { d.stop(t) })
	if sock != "" {
		d.waitSocket(t, sock)
	}
	return d
}

// assertNoneLeft fails t if a process started under the scenario in dir
// (marked by LANCER_E2E_RUN=dir in its environment, which children and
// grandchildren inherit) is still alive.
func assertNoneLeft(t *testing.T, dir string) {
	t.Helper()
	marker := []byte("LANCER_E2E_RUN=" + dir + "\x00")
	var left []string
	testproc.WaitFor(t, 5*time.Second, "processes of the scenario to be gone", func() bool {
		left = left[:0]
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
			if err == nil && bytes.Contains(env, marker) {
				left = append(left, e.Name())
			}
		}
		return len(left) == 0
	})
}

// TestLifecycleDifferential runs every lifecycle scenario under the Python
// supervisord and under ours, and compares the main logs line by line once
// pids and times are masked. A few scenarios run at once, each under both
// daemons in parallel; more would load a 2-core machine enough to delay
// the reference's 1-second poll loop past startsecs.
func TestLifecycleDifferential(t *testing.T) {
	requireOracle(t)
	ours := lancerBinary(t, "supervisord")
	slots := make(chan struct{}, 3)
	for _, sc := range lifecycleScenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			slots <- struct{}{}
			defer func() { <-slots }()
			var want []string
			done := make(chan struct{})
			go func() { defer close(done); want = lifecycleLog(t, oracleDaemon, sc) }()
			got := lifecycleLog(t, ours, sc)
			<-done
			if sc.concurrent {
				want, got = byProcess(want), byProcess(got)
			}
			if diff := diffLines(want, got); diff != "" {
				t.Errorf("main log differs from the reference's (-reference +ours):\n%s", diff)
			}
		})
	}
}

// processOf extracts the process a main-log line is about.
var processOf = regexp.MustCompile(`(?:spawned: '|success: |exited: |gave up: |stopped: |killing ')([^' ]+)`)

// byProcess reorders a log for a concurrent scenario: the daemon's own
// lines in order, then each process's lines in order (processes sorted by
// name), then the lines naming no process, sorted.
func byProcess(lines []string) []string {
	var daemon, anon []string
	per := map[string][]string{}
	for _, l := range lines {
		switch m := processOf.FindStringSubmatch(l); {
		case m != nil:
			per[m[1]] = append(per[m[1]], l)
		case strings.Contains(l, "spawnerr: "):
			anon = append(anon, l)
		default:
			daemon = append(daemon, l)
		}
	}
	out := daemon
	for _, name := range slices.Sorted(maps.Keys(per)) {
		out = append(out, "== "+name)
		out = append(out, per[name]...)
	}
	slices.Sort(anon)
	return append(out, anon...)
}

// diffLines returns a line diff of want and got, or "" if they are equal.
func diffLines(want, got []string) string {
	if slices.Equal(want, got) {
		return ""
	}
	var b strings.Builder
	for i := range max(len(want), len(got)) {
		w, g := at(want, i), at(got, i)
		mark := " "
		if w != g {
			mark = "!"
		}
		b.WriteString(mark + " - " + w + "\n" + mark + " + " + g + "\n")
	}
	return b.String()
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "<none>"
}
