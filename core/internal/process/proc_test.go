package process

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/testproc"
)

// TestExecProcWait: Wait reaps the child and decodes its end, and Signal
// after the exit is not an error, whether the exit is awaited through a
// pidfd in the poller or, without pidfds, in a blocking wait4.
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
	fd := -1
	if pidfd {
		if !havePidfd() {
			t.Skip("no pidfds on this kernel")
		}
		r, _, e := syscall.Syscall(sysPidfdOpen, uintptr(pid), 0, 0)
		if e != 0 {
			t.Fatalf("pidfd_open: %v", e)
		}
		fd = int(r)
	}
	_ = cmd.Process.Release() // the execProc waits and signals
	p.setChild(pid, fd)
	pl.start(p)
	return p
}

// TestExecSpawnerOnePidfd: a child started by ExecSpawner is watched
// through the one pidfd its clone handed out: the daemon holds no other
// descriptor for it, and its exit is seen there.
func TestExecSpawnerOnePidfd(t *testing.T) {
	t.Parallel()
	if !havePidfd() {
		t.Skip("no pidfds on this kernel")
	}
	var s ExecSpawner
	proc, err := s.Spawn(helper("sleep", "20s"))
	if err != nil {
		t.Fatal(err)
	}
	pid := proc.Pid()
	t.Cleanup(func() { testproc.AssertGroupGone(t, pid, 5*time.Second) })
	p := proc.(*execProc)
	if p.pidfd == nil {
		t.Fatal("the child has no pidfd")
	}
	if got := pidfdsOf(t, pid); len(got) != 1 || got[0] != p.pidfdNum {
		t.Errorf("descriptors that are pidfds of %d: %v; want only %d", pid, got, p.pidfdNum)
	}
	if err := proc.Signal(syscall.SIGKILL, true); err != nil {
		t.Fatal(err)
	}
	if got := proc.Wait(); got.Signal != syscall.SIGKILL {
		t.Errorf("Wait() = %+v; want killed by SIGKILL", got)
	}
	if got := pidfdsOf(t, pid); len(got) != 0 {
		t.Errorf("pidfds of %d still open after Wait: %v", pid, got)
	}
}

// pidfdsOf returns this process's descriptors that are pidfds of pid.
func pidfdsOf(t *testing.T, pid int) []int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fdinfo")
	if err != nil {
		t.Fatal(err)
	}
	var fds []int
	for _, e := range ents {
		b, err := os.ReadFile("/proc/self/fdinfo/" + e.Name())
		if err != nil {
			continue // closed meanwhile by another test
		}
		if strings.Contains(string(b), "\nPid:\t"+strconv.Itoa(pid)+"\n") {
			fd, _ := strconv.Atoi(e.Name())
			fds = append(fds, fd)
		}
	}
	return fds
}

// TestExecProcFallbackNoSignalAfterReap: without a pidfd, once the child
// has been reaped its pid may name another process; Signal must not reach
// it. The reuse is simulated by pointing the reaped execProc at a live
// helper's pid.
func TestExecProcFallbackNoSignalAfterReap(t *testing.T) {
	t.Parallel()
	p := startExecProc(t, false, "exit", "0")
	if got := p.Wait(); got != (ExitStatus{}) {
		t.Fatalf("Wait() = %+v; want exit 0", got)
	}
	other := startExecProc(t, true, "sleep", "20s")
	p.pid = other.Pid() // the number now names another process
	if err := p.Signal(syscall.SIGKILL, false); err != nil {
		t.Errorf("Signal after the reap = %v; want nil", err)
	}
	select {
	case <-other.Done():
		t.Errorf("the process that took the pid was killed: %+v", other.Wait())
	case <-time.After(200 * time.Millisecond):
	}
}
