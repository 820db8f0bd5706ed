package process

import (
	"errors"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/testproc"
)

// TestExecProcWait: Wait reaps the child and decodes its end, and Signal
// after the exit is not an error, whether the exit is awaited through a
// pidfd in the poller or, without pidfds, in os.Process's blocking Wait.
func TestExecProcWait(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		helper []string
		sig    syscall.Signal
		want   ExitStatus
	}{
		{"exit 3", []string{"exit", "3"}, 0, ExitStatus{Code: 3}},
		{"exit 0", []string{"exit", "0"}, 0, ExitStatus{}},
		{"SIGTERM", []string{"sleep", "20s"}, syscall.SIGTERM, ExitStatus{Signal: syscall.SIGTERM}},
		{"SIGKILL", []string{"sleep", "20s"}, syscall.SIGKILL, ExitStatus{Signal: syscall.SIGKILL}},
	}
	for _, pidfd := range []bool{true, false} {
		mode := map[bool]string{true: "pidfd", false: "blocking"}[pidfd]
		for _, tt := range tests {
			t.Run(mode+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				p := startExecProc(t, pidfd, tt.helper...)
				if tt.sig != 0 {
					if err := p.Signal(tt.sig, false); err != nil {
						t.Fatalf("Signal(%v) = %v", tt.sig, err)
					}
				}
				if got := p.Wait(); got != tt.want {
					t.Errorf("Wait() = %+v; want %+v", got, tt.want)
				}
				if !testproc.PIDGone(p.Pid()) {
					t.Errorf("pid %d exists after Wait; want it reaped", p.Pid())
				}
				for _, group := range []bool{false, true} {
					if err := p.Signal(syscall.SIGTERM, group); err != nil {
						t.Errorf("Signal(SIGTERM, %v) after Wait = %v; want nil", group, err)
					}
				}
			})
		}
	}
}

// startExecProc starts helper in its own process group and returns it as
// an execProc watched by a poller of its own, through a pidfd or, with
// pidfd false, as on a kernel without pidfds.
func startExecProc(t *testing.T, pidfd bool, helper ...string) *execProc {
	t.Helper()
	argv := testproc.Argv(helper[0], helper[1:]...)
	cmd := &exec.Cmd{Path: argv[0], Args: argv, SysProcAttr: &syscall.SysProcAttr{Setpgid: true}}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	t.Cleanup(func() {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		testproc.AssertGroupGone(t, pid, 5*time.Second)
	})
	pl := &poller{}
	p := newExecProc()
	if err := pl.add(p); err != nil {
		t.Fatal(err)
	}
	p.setChild(cmd)
	switch {
	case !pidfd && p.pidfd != nil:
		_ = p.pidfd.Close()
		p.pidfd = nil
	case pidfd && p.pidfd == nil:
		if _, _, err := openPidfd(pid); errors.Is(err, syscall.ENOSYS) {
			t.Skip("no pidfd_open on this kernel")
		}
		t.Fatal("setChild did not open a pidfd")
	}
	pl.start(p)
	return p
}
