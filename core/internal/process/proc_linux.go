package process

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// Linux system call numbers, the same on every architecture since 5.1;
// the syscall package predates them.
const (
	sysPidfdSendSignal = 424
	sysPidfdOpen       = 434
)

// execProc is a child started by ExecSpawner.
//
// Its exit is awaited through a pidfd in the runtime's netpoller, so that
// a waiting child costs a parked goroutine, not an OS thread in a
// blocking wait: os/exec's Wait holds one thread per child, 500 threads
// and about 10 MiB of the daemon's RSS for 500 programs. Without pidfds
// (Linux before 5.3, or pidfd_open failing) it falls back to os.Process's
// blocking Wait.
type execProc struct {
	pid   int
	proc  *os.Process // the fallback's; nil when pidfd is set
	pidfd *os.File    // readable once the child has exited
	pipeCopy
}

// newExecProc takes over cmd's started child. The child cannot be reaped
// behind our back in between (only its parent can reap it, and the
// daemon's reaper leaves spawned pids alone), so its pid still names it
// when the pidfd is opened.
func newExecProc(cmd *exec.Cmd) *execProc {
	p := &execProc{pid: cmd.Process.Pid, proc: cmd.Process}
	if f, err := openPidfd(p.pid); err == nil {
		p.pidfd = f
		_ = p.proc.Release() // its own pidfd; ours waits and signals
		p.proc = nil
	}
	return p
}

// openPidfd returns a non-blocking pidfd for pid, registered with the
// netpoller. PIDFD_NONBLOCK (O_NONBLOCK) is new in Linux 5.10; earlier
// kernels get the flag from fcntl.
func openPidfd(pid int) (*os.File, error) {
	fd, _, e := syscall.Syscall(sysPidfdOpen, uintptr(pid), syscall.O_NONBLOCK, 0)
	if e == syscall.EINVAL {
		fd, _, e = syscall.Syscall(sysPidfdOpen, uintptr(pid), 0, 0)
		if e == 0 {
			if err := syscall.SetNonblock(int(fd), true); err != nil {
				_ = syscall.Close(int(fd))
				return nil, err
			}
		}
	}
	if e != 0 {
		return nil, e
	}
	return os.NewFile(fd, "pidfd"), nil
}

func (p *execProc) Pid() int { return p.pid }

// Signal signals the child through its pidfd (or os.Process), or its
// process group; a child or group already gone is not an error.
func (p *execProc) Signal(sig syscall.Signal, group bool) error {
	var err error
	switch {
	case group:
		err = syscall.Kill(-p.pid, sig)
	case p.pidfd != nil:
		err = pidfdSignal(p.pidfd, sig)
	default:
		err = p.proc.Signal(sig)
	}
	if errors.Is(err, syscall.ESRCH) || errors.Is(err, os.ErrProcessDone) || errors.Is(err, os.ErrClosed) {
		return nil
	}
	return err
}

// pidfdSignal sends sig through f. Until Wait closes f, the pidfd names
// the child and no other process, even if its pid has been reused; once f
// is closed the child is reaped and the error is os.ErrClosed.
func pidfdSignal(f *os.File, sig syscall.Signal) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var e syscall.Errno
	if err := rc.Control(func(fd uintptr) {
		_, _, e = syscall.Syscall6(sysPidfdSendSignal, fd, uintptr(sig), 0, 0, 0, 0)
	}); err != nil {
		return os.ErrClosed // Control fails only on a closed file, with an unexported error
	}
	if e != 0 {
		return e
	}
	return nil
}

// Wait reaps the child, drains its output and closes the parent's ends of
// the pipes.
func (p *execProc) Wait() ExitStatus {
	st := p.reap()
	p.drain()
	_ = p.stdin.Close()
	return st
}

// reap waits for the child's exit and collects its status. A child
// reaped by someone else has lost its status: Code -1.
func (p *execProc) reap() ExitStatus {
	if p.pidfd == nil {
		ps, err := p.proc.Wait()
		if err != nil {
			return ExitStatus{Code: -1}
		}
		ws, _ := ps.Sys().(syscall.WaitStatus)
		return exitStatus(ws)
	}
	defer p.pidfd.Close()
	ws, err := waitPidfd(p.pidfd, p.pid)
	if err != nil {
		return ExitStatus{Code: -1}
	}
	return exitStatus(ws)
}

// waitPidfd parks the goroutine until f is readable, which it becomes
// when the child has exited, and reaps the child. If the netpoller
// cannot watch f, it waits in a blocking wait4 instead.
func waitPidfd(f *os.File, pid int) (syscall.WaitStatus, error) {
	var ws syscall.WaitStatus
	var werr error
	rc, err := f.SyscallConn()
	if err == nil {
		err = rc.Read(func(uintptr) bool {
			var got int
			got, werr = wait4(pid, &ws, syscall.WNOHANG)
			return got != 0 || werr != nil
		})
	}
	if err != nil {
		_, werr = wait4(pid, &ws, 0)
	}
	return ws, werr
}

func wait4(pid int, ws *syscall.WaitStatus, options int) (int, error) {
	for {
		got, err := syscall.Wait4(pid, ws, options, nil)
		if err != syscall.EINTR {
			return got, err
		}
	}
}

func exitStatus(ws syscall.WaitStatus) ExitStatus {
	if ws.Signaled() {
		return ExitStatus{Signal: ws.Signal(), CoreDump: ws.CoreDump()}
	}
	return ExitStatus{Code: ws.ExitStatus()}
}
