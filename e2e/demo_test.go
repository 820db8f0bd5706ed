package e2e

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/testproc"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// TestDemoConfigLoads checks the config `make run` starts with our
// supervisord -t, so the README's first command keeps working.
func TestDemoConfigLoads(t *testing.T) {
	cmd := exec.Command(lancerBinary(t, "supervisord"), "-t", "-c", "../deploy/examples/demo.conf")
	cmd.Env = append(os.Environ(), "LANCER_DEMO_DIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "configuration is valid") || strings.Contains(string(out), "warning:") {
		t.Errorf("supervisord -t -c demo.conf = %v\n%s\nwant a valid config without warnings", err, out)
	}
}

// demoAddrs are the loopback ports demo.conf uses.
var demoAddrs = []string{"127.0.0.1:8080", "127.0.0.1:9001"}

// TestDemoAlerts runs what `make run` runs, the demo config with our
// supervisord and listeners laid out as in a checkout after make build,
// and makes the web program crash, hang and grow: crashmail, httpok and
// memmon must each restart it or report it, with mail landing in the
// demo's mbox through the sendmail-compatible command.
func TestDemoAlerts(t *testing.T) {
	for _, a := range demoAddrs {
		if l, err := net.Listen("tcp", a); err != nil {
			t.Fatalf("the demo needs %s free (is `make run` running?): %v", a, err)
		} else {
			l.Close()
		}
	}
	root := t.TempDir()
	conf := demoCheckout(t, root)
	run := filepath.Join(root, "run")
	if err := os.Mkdir(run, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(root, "bin", "supervisord"), "-n", "-c", conf)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Env = append(os.Environ(), "LANCER_DEMO_DIR="+run, "LANCER_E2E_RUN="+run)
	d := &daemon{cmd: cmd, output: new(bytes.Buffer), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = d.output, d.output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(d.done) }()
	defer assertNoneLeft(t, run)
	defer d.stop(t)
	defer func() {
		if t.Failed() {
			for _, f := range []string{"crashmail.log", "httpok.log", "memmon.log", "mail.mbox"} {
				b, _ := os.ReadFile(filepath.Join(run, f))
				t.Logf("%s:\n%s", f, b)
			}
		}
	}()
	mbox := filepath.Join(run, "mail.mbox")
	for _, step := range []struct{ path, subject string }{
		{"/crash", "Subject:  web crashed at "},
		{"/stick", "Subject: httpok: http://127.0.0.1:8080/: bad status returned"},
		{"/grow?mb=150", "Subject: memmon: process web:web restarted"},
	} {
		waitWeb(t, d, run)
		get(t, "http://127.0.0.1:8080"+step.path)
		testproc.WaitFor(t, 30*time.Second, "a mail with "+step.subject, func() bool {
			b, _ := os.ReadFile(mbox)
			return bytes.Contains(b, []byte(step.subject))
		})
	}
	waitWeb(t, d, run)
}

// demoCheckout lays out root as a checkout after make build, the demo
// config in deploy/examples and the binaries in bin, and returns the
// config's path.
func demoCheckout(t *testing.T, root string) string {
	t.Helper()
	examples, bin := filepath.Join(root, "deploy", "examples"), filepath.Join(root, "bin")
	for _, dir := range []string{examples, bin} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile("../deploy/examples/demo.conf")
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(examples, "demo.conf")
	if err := os.WriteFile(conf, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"supervisord", "supervisorctl", "memmon", "httpok", "crashmail", "demoapp"} {
		if err := os.Symlink(lancerBinary(t, name), filepath.Join(bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	return conf
}

// waitWeb waits until the demo's web program is RUNNING (an exit
// before startsecs is a BACKOFF, which crashmail does not hear of) and
// its page answers.
func waitWeb(t *testing.T, d *daemon, run string) {
	t.Helper()
	c := &http.Client{Timeout: time.Second}
	rpc, err := xmlrpc.NewClient("unix://"+filepath.Join(run, "supervisor.sock"), xmlrpc.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer rpc.Close()
	testproc.WaitFor(t, 30*time.Second, "the demo web program RUNNING and answering", func() bool {
		select {
		case <-d.done:
			t.Fatalf("supervisord exited:\n%s", d.output)
		default:
		}
		if info, err := rpc.GetProcessInfo(t.Context(), "web"); err != nil || info.StateName != "RUNNING" {
			return false
		}
		resp, err := c.Get("http://127.0.0.1:8080/")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode == http.StatusOK && bytes.Contains(body, []byte("Holding 0 MB"))
	})
}

func get(t *testing.T, url string) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
}
