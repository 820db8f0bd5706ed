package process

import (
	"errors"
	"io"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// Linux system call numbers, the same on every architecture since 5.1;
// the syscall package predates them.
const (
	sysPidfdSendSignal = 424
	sysPidfdOpen       = 434
)

// execProc is a child started by ExecSpawner.
//
// Its output and its exit are watched by the spawner's [poller], in one
// goroutine for all children, so that a running child costs no goroutine
// and no OS thread (os/exec's Wait holds a thread per child: 500 threads
// and about 10 MiB of the daemon's RSS for 500 programs). Its exit is seen
// on a pidfd; without pidfds (Linux before 5.3) a goroutine waits in a
// blocking wait4 instead.
type execProc struct {
	pid      int
	pidfd    *os.File // readable once the child has exited; nil without
	pidfdNum int      // pidfd's descriptor, for epoll
	stdin    *os.File
	outs     []*stream     // the output pipes
	done     chan struct{} // closed once exit is set and the output drained
	exit     ExitStatus
	onExit   exitHook // fired right after done is closed

	// Without a pidfd, the pid names the child only until it is reaped:
	// Signal and the fallback's reap take sigMu, and gone is set as the
	// reap begins, so that no signal can reach a process that reused
	// the pid.
	sigMu sync.Mutex
	gone  bool

	// Owned by the poller's goroutine.
	reaped   bool
	drainEnd time.Time
}

func newExecProc() *execProc { return &execProc{done: make(chan struct{})} }

// setChild takes over the started child pid and its pidfd (-1 without
// one). The pidfd, close-on-exec as the kernel makes it, is left
// blocking: nothing reads it, the poller only learns from epoll that it
// is readable, and a blocking descriptor stays out of the runtime's
// netpoller.
func (p *execProc) setChild(pid, pidfd int) {
	p.pid = pid
	if pidfd >= 0 {
		p.pidfd, p.pidfdNum = os.NewFile(uintptr(pidfd), "pidfd"), pidfd
	}
}

func (p *execProc) Pid() int { return p.pid }

// Signal signals the child through its pidfd, or its process group; a
// child or group already gone is not an error. Without a pidfd it signals
// the pid, which names the child until the fallback's wait4 reaps it.
func (p *execProc) Signal(sig syscall.Signal, group bool) error {
	var err error
	switch {
	case group:
		err = syscall.Kill(-p.pid, sig)
	case p.pidfd != nil:
		err = pidfdSignal(p.pidfd, sig)
	default:
		err = p.killPid(sig)
	}
	if errors.Is(err, syscall.ESRCH) || errors.Is(err, os.ErrClosed) {
		return nil
	}
	return err
}

// pidfdSignal sends sig through f. Until the poller closes f, which it
// does once it has reaped the child, the pidfd names the child and no
// other process, even if its pid has been reused; after that the error is
// os.ErrClosed.
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

// Wait returns how the child ended, once its exit has been seen and its
// output drained.
func (p *execProc) Wait() ExitStatus {
	<-p.done
	return p.exit
}

// Done is closed when Wait can return.
func (p *execProc) Done() <-chan struct{} { return p.done }

// OnExit calls f once Wait can return.
func (p *execProc) OnExit(f func()) { p.onExit.set(f) }

func (p *execProc) Stdin() io.Writer { return p.stdin }

// killPid signals the child by pid, unless the fallback has reaped it.
func (p *execProc) killPid(sig syscall.Signal) error {
	p.sigMu.Lock()
	defer p.sigMu.Unlock()
	if p.gone {
		return syscall.ESRCH
	}
	return syscall.Kill(p.pid, sig)
}

// waitFallback is the wait of a child without a pidfd: it blocks until
// the child has exited, leaving it a zombie so that its pid cannot be
// reused yet, then reaps it with Signal shut out (see sigMu).
func (p *execProc) waitFallback() ExitStatus {
	waitExited(p.pid)
	p.sigMu.Lock()
	defer p.sigMu.Unlock()
	p.gone = true
	return waitPid(p.pid)
}

// waitExited blocks until pid has exited, without reaping it (waitid
// with WNOWAIT). An error (the child was reaped by someone else) ends
// the wait too: waitPid then reports the lost status.
func waitExited(pid int) {
	const pPID, wNOWAIT = 1, 0x1000000
	var info [128]byte // siginfo_t
	for {
		_, _, e := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(pid),
			uintptr(unsafe.Pointer(&info)), syscall.WEXITED|wNOWAIT, 0, 0)
		if e != syscall.EINTR {
			return
		}
	}
}

// waitPid reaps pid in a blocking wait4.
func waitPid(pid int) ExitStatus {
	var ws syscall.WaitStatus
	_, err := wait4(pid, &ws, 0)
	return waitResult(ws, err)
}

// waitResult decodes a wait. A child reaped by someone else has lost its
// status: Code -1.
func waitResult(ws syscall.WaitStatus, err error) ExitStatus {
	if err != nil {
		return ExitStatus{Code: -1}
	}
	return exitStatus(ws)
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
