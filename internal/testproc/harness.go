package testproc

import (
	"errors"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// Command returns an unstarted command running helper name in its own
// process group. A cleanup registered on t kills that whole group, so a
// failing test leaves nothing behind.
func Command(t testing.TB, name string, args ...string) *exec.Cmd {
	t.Helper()
	argv := Argv(name, args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	t.Cleanup(func() {
		if cmd.Process != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			_ = cmd.Wait()
		}
	})
	return cmd
}

// WaitFor polls cond until it holds or timeout passes, then fails t. It is
// for observing another process; state inside one process is awaited on
// channels, never polled.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// GroupGone reports whether no process is left in process group pgid.
func GroupGone(pgid int) bool {
	return errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH)
}

// PIDGone reports whether pid no longer exists (zombies count as existing
// until reaped).
func PIDGone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// AssertGroupGone fails t unless process group pgid is empty within timeout:
// the leak check every real-process test ends with.
func AssertGroupGone(t testing.TB, pgid int, timeout time.Duration) {
	t.Helper()
	WaitFor(t, timeout, "process group to be empty", func() bool { return GroupGone(pgid) })
}
