package bench

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"text/template"
	"time"
)

// The reference is Debian's Python supervisord 4.2.5; `make deps` installs it.
const (
	oracleDaemon = "/usr/bin/supervisord"
	oraclePython = "/usr/bin/python3"
)

// marker is the environment variable every daemon of the benchmark runs
// with, valued with the run's directory. Children inherit it, so a scan of
// /proc finds whatever a run left behind.
const marker = "LANCER_BENCH_RUN"

// A contender is one of the two daemons being compared.
type contender struct {
	name string // "ours" or "reference"
	path string
}

// contenders returns our daemon, built from this tree, and the reference,
// in the order they run. It fails (never skips) when the reference is
// missing: a benchmark without its comparison is no benchmark.
func contenders(b *testing.B) []contender {
	b.Helper()
	requireOracle(b)
	return []contender{{"ours", oursBinary(b)}, {"reference", oracleDaemon}}
}

func requireOracle(b *testing.B) {
	b.Helper()
	if _, err := os.Stat(oracleDaemon); err != nil {
		b.Fatalf("Python supervisord not found at %s (run `make deps`): %v", oracleDaemon, err)
	}
	if err := exec.Command(oraclePython, "-c", "import supervisor.supervisord").Run(); err != nil {
		b.Fatalf("%s cannot import supervisor (run `make deps`): %v", oraclePython, err)
	}
}

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
	buildOut  []byte
)

// oursBinary returns our supervisord built as `make build` builds it
// (static, stripped), once per run, or $LANCER_BIN_DIR/supervisord if set.
func oursBinary(b *testing.B) string {
	b.Helper()
	if dir := os.Getenv("LANCER_BIN_DIR"); dir != "" {
		return filepath.Join(dir, "supervisord")
	}
	buildOnce.Do(func() {
		var dir string
		if dir, buildErr = os.MkdirTemp("", "lancer-bench-bin-"); buildErr != nil {
			return
		}
		buildPath = filepath.Join(dir, "supervisord")
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", buildPath, "../core/cmd/supervisord")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		b.Fatalf("build supervisord: %v\n%s", buildErr, buildOut)
	}
	return buildPath
}

// writeConf renders testdata/name with data into dir/supervisord.conf.
func writeConf(b *testing.B, dir, name string, data any) string {
	b.Helper()
	tmpl, err := template.ParseFiles(filepath.Join("testdata", name))
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "supervisord.conf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}

// daemon is a supervisord running in the foreground under the benchmark.
type daemon struct {
	cmd     *exec.Cmd
	dir     string
	log     string    // main log path
	started time.Time // just before the daemon was started
	done    chan struct{}
	exited  time.Time // when Wait returned; valid once done is closed
}

// startDaemon runs the supervisord at path on conf, with its output in
// dir/daemon.out. Cleanup kills it and everything it started.
func startDaemon(b *testing.B, path, conf, dir string) *daemon {
	b.Helper()
	out, err := os.Create(filepath.Join(dir, "daemon.out"))
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(path, "-n", "-c", conf)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", marker+"="+dir)
	cmd.Stdout, cmd.Stderr = out, out
	d := &daemon{cmd: cmd, dir: dir, log: filepath.Join(dir, "supervisord.log"), done: make(chan struct{})}
	d.started = time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatalf("start %s: %v", path, err)
	}
	go func() {
		_ = cmd.Wait()
		d.exited = time.Now()
		out.Close()
		close(d.done)
	}()
	b.Cleanup(func() { d.kill() })
	return d
}

// kill ends the daemon and every process of its run with SIGKILL. Each
// child is the leader of its own process group (both daemons setpgid), so
// the whole group goes.
func (d *daemon) kill() {
	_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
	<-d.done
	for _, pid := range markedPIDs(d.dir) {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// stop sends SIGTERM and waits up to limit for the daemon to exit. It
// reports whether the daemon exited in time.
func (d *daemon) stop(limit time.Duration) bool {
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
		return true
	case <-time.After(limit):
		return false
	}
}

// exitedEarly fails b if the daemon has exited.
func (d *daemon) exitedEarly(b *testing.B) {
	b.Helper()
	select {
	case <-d.done:
		out, _ := os.ReadFile(filepath.Join(d.dir, "daemon.out"))
		b.Fatalf("supervisord exited early:\n%s", out)
	default:
	}
}

// poll calls cond every interval until it holds, the daemon exits or
// timeout passes; the last two fail b. It observes another process, which
// can only be polled.
func (d *daemon) poll(b *testing.B, interval, timeout time.Duration, what string, cond func() bool) {
	b.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		d.exitedEarly(b)
		if time.Now().After(deadline) {
			b.Fatalf("timed out after %v waiting for %s; main log:\n%s", timeout, what, tail(d.log))
		}
		time.Sleep(interval)
	}
}

// markedPIDs returns the processes that carry dir's run marker.
func markedPIDs(dir string) []int {
	want := []byte(marker + "=" + dir + "\x00")
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, ok := atoi(e.Name())
		if !ok {
			continue
		}
		env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err == nil && bytes.Contains(env, want) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// assertNoneLeft fails b if a process of the run in dir is still alive.
func assertNoneLeft(b *testing.B, dir string) {
	b.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		left := markedPIDs(dir)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("processes of the run left behind: %v", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// gone reports whether none of pids exists any more (a zombie still does).
func gone(pids []int) bool {
	for _, pid := range pids {
		if !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			return false
		}
	}
	return true
}
