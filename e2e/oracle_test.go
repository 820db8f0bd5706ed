package e2e

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/lancerhq/lancer/internal/testproc"
)

// The oracle is Debian's Python supervisord 4.2.5; `make deps` installs it.
const (
	oracleDaemon = "/usr/bin/supervisord"
	oraclePython = "/usr/bin/python3"
)

// requireOracle fails (never skips) when the Python supervisor is missing:
// a test that silently skipped would hide the missing dependency.
func requireOracle(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(oracleDaemon); err != nil {
		t.Fatalf("Python supervisord not found at %s (run `make deps`): %v", oracleDaemon, err)
	}
	if err := exec.Command(oraclePython, "-c", "import supervisor.childutils").Run(); err != nil {
		t.Fatalf("%s cannot import supervisor (run `make deps`): %v", oraclePython, err)
	}
}

// confData is what config templates in testdata/ can refer to.
type confData struct {
	Dir      string // the test's temporary directory
	Sock     string // unix socket path
	Port     int    // free loopback TCP port
	User     string // basic-auth user of the inet server
	Pass     string // its password
	Helper   func(name string, args ...string) string
	Listener string // command line of the protocol.Serve recording listener
	Record   string // file the recording listener appends to

	// Py and Go give the command lines of the Python (childutils) and the
	// Go (protocol.Serve) recording listeners for pool name, recording to
	// Dir/name.jsonl, with record.py's optional arguments.
	Py, Go func(pool string, args ...string) string
}

func newConfData(t *testing.T) *confData {
	t.Helper()
	dir := t.TempDir()
	return &confData{
		Dir:    dir,
		Sock:   filepath.Join(dir, "supervisor.sock"),
		Port:   freePort(t),
		User:   "ops",
		Pass:   "s3cret",
		Helper: testproc.CommandLine,
		Record: filepath.Join(dir, "events.jsonl"),
		Py: func(pool string, args ...string) string {
			script, _ := filepath.Abs(filepath.Join("testdata", "record.py"))
			return strings.Join(append([]string{oraclePython, "-u", script, filepath.Join(dir, pool+".jsonl")}, args...), " ")
		},
		Go: func(pool string, args ...string) string {
			return testproc.CommandLine("record", append([]string{filepath.Join(dir, pool+".jsonl")}, args...)...)
		},
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// writeConf renders testdata/name with d into the test directory; the
// templates of testdata/common.tmpl are available to it.
func writeConf(t *testing.T, name string, d *confData) string {
	t.Helper()
	tmpl, err := template.ParseFiles(filepath.Join("testdata", name),
		filepath.Join("testdata", "common.tmpl"), filepath.Join("testdata", "events.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, d); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(d.Dir, "supervisord.conf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// daemon is a running supervisord under test.
type daemon struct {
	cmd    *exec.Cmd
	output *bytes.Buffer
	done   chan struct{}
}

// startOracle runs the Python supervisord in the foreground on conf and
// waits until its unix socket answers. Cleanup shuts it down with SIGTERM,
// escalating to SIGKILL.
func startOracle(t *testing.T, conf, sock string) *daemon {
	t.Helper()
	requireOracle(t)
	return startDaemon(t, oracleDaemon, conf, sock)
}

func (d *daemon) waitSocket(t *testing.T, sock string) {
	t.Helper()
	testproc.WaitFor(t, 15*time.Second, "supervisord socket "+sock, func() bool {
		select {
		case <-d.done:
			t.Fatalf("supervisord exited early:\n%s", d.output)
		default:
		}
		c, err := net.Dial("unix", sock)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

// stop shuts the daemon down with SIGTERM and waits for it; it is a no-op
// once the daemon has exited.
func (d *daemon) stop(t *testing.T) {
	t.Helper()
	select {
	case <-d.done:
		return
	default:
	}
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(20 * time.Second):
		t.Errorf("supervisord did not stop within 20s; killing it")
		_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		<-d.done
	}
	if t.Failed() {
		t.Logf("supervisord output:\n%s", d.output)
	}
}

// mainLog returns the daemon's main log file, for failure messages.
func mainLog(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "supervisord.log"))
	if err != nil {
		return fmt.Sprintf("(no main log: %v)", err)
	}
	return strings.TrimSpace(string(b))
}

// requireTool returns the path of an outside program a test needs. Where
// it is missing the test fails in CI (CI=true), where a skip would hide
// the missing dependency, and is skipped elsewhere; either way the
// message says which Debian package `make deps` installs it from.
func requireTool(t *testing.T, name, debianPkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	msg := fmt.Sprintf("%s not found (run `make deps`, or `apt-get install %s`): %v", name, debianPkg, err)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
