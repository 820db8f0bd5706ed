package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/testproc"
)

// TestPID1InNamespace runs our supervisord as PID 1 of a new PID
// namespace, as in a container: the orphans its programs leave are
// reparented to it and must be reaped, and the SIGTERM a container
// runtime sends PID 1 (which the kernel drops for PID 1 unless it has a
// handler) must shut everything down.
func TestPID1InNamespace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("a PID namespace needs root (CAP_SYS_ADMIN); make test runs as root in CI")
	}
	d := newConfData(t)
	conf := writeConf(t, "pid1.conf", d)
	cmd := exec.Command(lancerBinary(t, "supervisord"), "-n", "-c", conf)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID, Setpgid: true}
	dmn := &daemon{cmd: cmd, output: new(bytes.Buffer), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = dmn.output, dmn.output
	if err := cmd.Start(); err != nil {
		t.Fatalf("start supervisord in a new PID namespace: %v", err)
	}
	go func() { _ = cmd.Wait(); close(dmn.done) }()
	defer assertNoneLeft(t, d.Dir)
	reaped := regexp.MustCompile(`INFO reaped unknown pid \d+ \(exit status 0\)`)
	defer func() {
		if t.Failed() {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			t.Logf("main log:\n%s\noutput:\n%s", mainLog(d.Dir), dmn.output)
		}
	}()
	testproc.WaitFor(t, 15*time.Second, "the orphaned sleep reaped and sleeper RUNNING", func() bool {
		select {
		case <-dmn.done:
			t.Fatalf("supervisord exited:\n%s", dmn.output)
		default:
		}
		log := mainLog(d.Dir)
		return reaped.MatchString(log) && bytes.Contains([]byte(log), []byte("success: sleeper entered RUNNING"))
	})
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-dmn.done:
	case <-time.After(15 * time.Second):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		t.Fatalf("supervisord as PID 1 ignored SIGTERM:\n%s", mainLog(d.Dir))
	}
	if st := cmd.ProcessState; !st.Success() {
		t.Errorf("supervisord as PID 1 exited with %v; want 0\n%s", st, mainLog(d.Dir))
	}
	if !bytes.Contains([]byte(mainLog(d.Dir)), []byte("stopped: sleeper (terminated by SIGTERM)")) {
		t.Errorf("main log:\n%s\nwant sleeper stopped by SIGTERM", mainLog(d.Dir))
	}
}
