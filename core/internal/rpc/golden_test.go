package rpc

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/core/internal/supervisor"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// The files in testdata/golden are exchanges with Python supervisord
// 4.2.5 running testdata/golden.conf: each <case>.request.xml as Python's
// xmlrpc.client sent it, and <case>.response.xml as supervisord answered,
// with pids and times normalised to the state goldenState describes.
// testdata/capture.py produces them (see its doc string); they are not
// rewritten by our tests, which must answer every request with exactly
// the response's bytes.

// goldenNow is where testing/synctest's clock starts, and the "now" the
// captured responses were normalised to.
var goldenNow = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// goldenState is each process's state when the responses were captured:
// state, pid, seconds since start and since stop, spawnerr, exit status.
var goldenState = map[string]struct {
	state         process.State
	pid           int
	start, stop   int
	spawnErr      string
	exitStatus    int
	startCheckErr error
}{
	"sleeper":  {state: process.Running, pid: 4001, start: 20},
	"echoer":   {state: process.Running, pid: 4002, start: 20},
	"stubborn": {state: process.Running, pid: 4003, start: 20},
	"missing": {state: process.Fatal, start: 100, spawnErr: "can't find command '/nonexistent/cmd'",
		startCheckErr: &process.SpawnError{Msg: "can't find command '/nonexistent/cmd'", Err: process.ErrNotFound}},
	"quick":   {state: process.Exited, start: 100, stop: 50},
	"failing": {state: process.Exited, start: 100, stop: 50, exitStatus: 3, spawnErr: "Bad exit code 3"},
}

// goldenConfig is our own loader's reading of golden.conf.
func goldenConfig(t *testing.T) *config.File {
	t.Helper()
	cfg, err := config.Load(filepath.Join("testdata", "golden.conf"), config.Options{
		Environ: []string{"GOLDEN_DIR=" + t.TempDir()}, Hostname: "golden",
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// goldenFake is a fake supervisor in the captured state over cfg, which
// it only reads.
func goldenFake(t *testing.T, cfg *config.File) *fakeSupervisor {
	t.Helper()
	f := newFake(t)
	for gi := range cfg.Groups {
		g := &cfg.Groups[gi]
		for pi := range g.Processes {
			f.procs = append(f.procs, goldenProc(t, g, &g.Processes[pi]))
		}
	}
	return f
}

func goldenProc(t *testing.T, g *config.Group, pc *config.Process) *fakeProc {
	s := goldenState[pc.Name]
	p := &fakeProc{startErr: s.startCheckErr}
	p.st = supervisor.ProcessStatus{
		Info: process.Info{Name: pc.Name, Group: g.Name, State: s.state, Pid: s.pid,
			SpawnErr: s.spawnErr, ExitStatus: s.exitStatus},
		Config: pc, GroupConfig: g,
		StdoutLogfile: goldenLogfile(pc, pc.Stdout, "stdout"),
		StderrLogfile: goldenLogfile(pc, pc.Stderr, "stderr"),
	}
	if s.start != 0 {
		p.st.Start = goldenNow.Add(-time.Duration(s.start) * time.Second)
	}
	if s.stop != 0 {
		p.st.Stop = goldenNow.Add(-time.Duration(s.stop) * time.Second)
	}
	dir := t.TempDir()
	out := ""
	if pc.Name == "echoer" {
		out = "café <&>\n"
	}
	if pc.Stdout.Kind != config.LogNone {
		p.stdout = newChannel(t, filepath.Join(dir, "stdout.log"), out)
	}
	p.stderr = newChannel(t, "", "") // NONE or redirected: no file, as supervisor builds it
	if pc.Stderr.Kind != config.LogNone {
		p.stderr = newChannel(t, filepath.Join(dir, "stderr.log"), "")
	}
	return p
}

// goldenLogfile is the resolved log path, with an AUTO name's random part
// normalised as capture.py does.
func goldenLogfile(pc *config.Process, l config.Log, stream string) string {
	switch l.Kind {
	case config.LogAuto:
		return "/tmp/" + pc.Name + "-" + stream + "---lancer-golden-XXXXXXXX.log"
	case config.LogFile:
		return l.Path
	}
	return ""
}

func TestGolden(t *testing.T) {
	requests, err := filepath.Glob(filepath.Join("testdata", "golden", "*.request.xml"))
	if err != nil || len(requests) == 0 {
		t.Fatalf("no golden requests: %v", err)
	}
	cfg := goldenConfig(t)
	for _, req := range requests {
		name := strings.TrimSuffix(filepath.Base(req), ".request.xml")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body := readFile(t, req)
			want := readFile(t, strings.TrimSuffix(req, ".request.xml")+".response.xml")
			synctest.Test(t, func(t *testing.T) {
				h := goldenHandler(t, cfg, strings.HasPrefix(name, "shutdown_"))
				rec := post(t, h, body)
				if got := rec.Body.Bytes(); rec.Code != 200 || !bytes.Equal(got, want) {
					t.Errorf("HTTP %d, response:\n%s\nwant (from supervisord):\n%s", rec.Code, got, want)
				}
				if ct := rec.Header().Get("Content-Type"); ct != "text/xml" {
					t.Errorf("Content-Type = %q; want text/xml", ct)
				}
			})
		})
	}
}

// goldenHandler serves the captured state; shuttingDown puts the daemon
// in the SHUTDOWN mood, as for the shutdown_* cases.
func goldenHandler(t *testing.T, cfg *config.File, shuttingDown bool) *Handler {
	t.Helper()
	f := goldenFake(t, cfg)
	if shuttingDown {
		f.mood = supervisor.Shutdown
	}
	mainLog, err := logcap.NewRotatingFile(filepath.Join(t.TempDir(), "supervisord.log"), logcap.FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mainLog.Write([]byte("2000-01-01 00:00:00,000 INFO supervisord started with pid 4242\n")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mainLog.Close() })
	h, _ := newHandler(t, f, Options{Config: func() *config.File { return cfg }, MainLog: mainLog})
	return h
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGoldenListMatchesTable checks that the reference's methods are
// exactly our supervisor and system rows: 41 names.
func TestGoldenListMatchesTable(t *testing.T) {
	v, err := xmlrpc.DecodeResponse(bytes.NewReader(readFile(t, "testdata/golden/list_methods.response.xml")), xmlrpc.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	if err := xmlrpc.Unmarshal(v, &names); err != nil {
		t.Fatal(err)
	}
	if len(names) != 41 || len(names) != len(systemMethods)+len(supervisorMethods) {
		t.Errorf("reference lists %d methods; we have %d system + %d supervisor", len(names), len(systemMethods), len(supervisorMethods))
	}
	for _, n := range names {
		if _, ok := supervisorMethods[n]; !ok && systemMethods[n].call == nil {
			t.Errorf("reference method %s is not in our table", n)
		}
	}
}
