package process

import (
	"errors"
	"io"
	"os"
	"slices"
	"sync"
	"syscall"
	"time"
)

// poller copies the output of every child of an [ExecSpawner] and awaits
// their exits, all in one goroutine that waits in epoll: the reference's
// select loop. A child would otherwise take three goroutines of its own
// (two pipe copiers and a waiter in the netpoller), whose stacks were a
// quarter of the daemon's memory with 500 programs.
//
// A child's exit, seen on its pidfd or posted by a fallback waiter, starts
// its drain: its pipes are read until EOF, or until drainIdle passes
// without data on a pipe that a grandchild holds open, or drainMax in
// all. Only then is its done channel closed, so every byte reaches the
// writers before the exit is reported.
//
// The goroutine runs while a child is watched and ends, closing the epoll
// instance, once the last one is done: an idle spawner holds nothing. The
// zero value is ready to use; add, start and abandon are safe for
// concurrent use.
type poller struct {
	idle, max time.Duration // drainIdle and drainMax unless set (tests)

	mu      sync.Mutex
	running bool
	epfd    int              // the epoll instance, while running
	ep      *os.File         // epfd in Go's netpoller, which the goroutine waits in
	wake    [2]int           // a pipe whose read end interrupts EpollWait, while running
	fds     map[int32]pollFD // what each registered fd is
	procs   int              // children added and not done
	posted  []posted

	// Owned by the goroutine.
	draining []*execProc
}

// pollFD is what a registered fd belongs to: a pipe or a pidfd.
type pollFD struct {
	s *stream
	p *execProc
}

// posted is an exit found outside the goroutine.
type posted struct {
	p    *execProc
	exit ExitStatus
}

// stream is the parent's read end of one output pipe of a child.
type stream struct {
	fd   int // non-blocking; -1 once closed
	w    io.Writer
	p    *execProc
	idle time.Time // while draining: when to stop waiting for more
}

// add registers the read ends of p.outs, before p's child starts, but
// does not read them yet: [poller.start] does, once the child's pid is
// known, so that every chunk is written with it. (A read end still reports
// EOF and errors, which come only once the writers' ends are closed.)
// Registering here keeps a failure, such as an exhausted epoll watch
// limit, a spawn error rather than a child left unread.
func (pl *poller) add(p *execProc) error {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if err := pl.startLocked(); err != nil {
		return err
	}
	for i, s := range p.outs {
		if err := pl.ctlLocked(syscall.EPOLL_CTL_ADD, s.fd, 0, pollFD{s: s}); err != nil {
			for _, s := range p.outs[:i] {
				_ = pl.ctlLocked(syscall.EPOLL_CTL_DEL, s.fd, 0, pollFD{})
			}
			pl.kickLocked() // the goroutine may have nothing left to watch
			return err
		}
	}
	pl.procs++
	return nil
}

// epollET is EPOLLET, which the syscall package declares negative. The
// pidfds are edge-triggered: a pidfd stays readable once its child has
// exited, and a child that cannot be reaped yet must not spin the loop.
const epollET = 1 << 31

// start reads the output of p, whose child has started and whose pid is
// set, and watches its exit: through its pidfd, or, when it has none or
// epoll refuses it, with a goroutine in waitFallback. It is called
// before the parent closes its ends of the output pipes and before p is
// handed out.
func (pl *poller) start(p *execProc) {
	pl.readOutput(p)
	if p.pidfd != nil {
		pl.mu.Lock()
		err := pl.ctlLocked(syscall.EPOLL_CTL_ADD, p.pidfdNum, syscall.EPOLLIN|epollET, pollFD{p: p})
		pl.mu.Unlock()
		if err == nil {
			return
		}
		_ = p.pidfd.Close()
		p.pidfd = nil
	}
	go func() { pl.post(p, p.waitFallback()) }()
}

// readOutput starts reading the output pipes of p, which [poller.add]
// registered.
func (pl *poller) readOutput(p *execProc) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	for _, s := range p.outs {
		// Changing the events of a registered descriptor allocates
		// nothing; it fails only if the descriptor is not registered.
		if err := pl.ctlLocked(syscall.EPOLL_CTL_MOD, s.fd, syscall.EPOLLIN, pollFD{s: s}); err != nil {
			panic("BUG: reading a registered pipe: " + err.Error())
		}
	}
}

// abandon ends the watch of p, whose child never started: the caller has
// closed the pipes' write ends, so the drain ends at once.
func (pl *poller) abandon(p *execProc) {
	pl.post(p, ExitStatus{Code: -1})
}

// post hands an exit found outside the goroutine to it.
func (pl *poller) post(p *execProc, exit ExitStatus) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	pl.posted = append(pl.posted, posted{p, exit})
	pl.kickLocked()
}

// kickLocked interrupts the goroutine's EpollWait.
func (pl *poller) kickLocked() {
	_, _ = syscall.Write(pl.wake[1], []byte{0}) // EAGAIN: a wake-up is pending anyway
}

// startLocked creates the epoll instance and starts the goroutine if it
// is not running.
func (pl *poller) startLocked() error {
	if pl.running {
		return nil
	}
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return err
	}
	// The epoll instance is itself pollable: registered with Go's
	// netpoller, the goroutine parks there instead of blocking a thread
	// in epoll_wait, and is woken by the scheduler like any socket
	// reader, without a thread hand-off on every event.
	if err := syscall.SetNonblock(epfd, true); err != nil {
		_ = syscall.Close(epfd)
		return err
	}
	ep := os.NewFile(uintptr(epfd), "epoll")
	var wake [2]int
	if err := syscall.Pipe2(wake[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC); err != nil {
		_ = ep.Close()
		return err
	}
	pl.epfd, pl.ep, pl.wake, pl.fds = epfd, ep, wake, map[int32]pollFD{}
	if err := pl.ctlLocked(syscall.EPOLL_CTL_ADD, wake[0], syscall.EPOLLIN, pollFD{}); err != nil {
		pl.closeLocked()
		return err
	}
	pl.running = true
	go pl.loop(ep, wake[0])
	return nil
}

// stopIfIdleLocked closes the epoll instance when no child is watched; it
// reports whether it did, which ends the goroutine.
func (pl *poller) stopIfIdleLocked() bool {
	if pl.procs > 0 || len(pl.posted) > 0 {
		return false
	}
	pl.closeLocked()
	return true
}

func (pl *poller) closeLocked() {
	_ = pl.ep.Close()
	_ = syscall.Close(pl.wake[0])
	_ = syscall.Close(pl.wake[1])
	pl.running, pl.fds = false, nil
}

// ctlLocked adds or modifies (with events) or deletes fd and records
// what it is.
func (pl *poller) ctlLocked(op, fd int, events uint32, what pollFD) error {
	ev := syscall.EpollEvent{Events: events, Fd: int32(fd)}
	if err := syscall.EpollCtl(pl.epfd, op, fd, &ev); err != nil {
		return err
	}
	if op == syscall.EPOLL_CTL_DEL {
		delete(pl.fds, int32(fd))
	} else {
		pl.fds[int32(fd)] = what
	}
	return nil
}

// loop is the goroutine: it waits for ready fds and drain deadlines until
// no child is left.
func (pl *poller) loop(ep *os.File, wake int) {
	rc, err := ep.SyscallConn()
	if err != nil {
		panic("BUG: epoll instance: " + err.Error())
	}
	events := make([]syscall.EpollEvent, 64)
	for {
		// The deadline is the next drain limit; none means wait.
		_ = ep.SetReadDeadline(pl.deadline())
		n := 0
		err := rc.Read(func(fd uintptr) bool {
			var werr error
			n, werr = syscall.EpollWait(int(fd), events, 0)
			if werr != nil {
				n = 0
				if werr != syscall.EINTR {
					panic("BUG: epoll_wait: " + werr.Error())
				}
			}
			return n > 0
		})
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			panic("BUG: waiting for the epoll instance: " + err.Error())
		}
		for _, ev := range events[:n] {
			pl.ready(ev.Fd, wake)
		}
		pl.expire(time.Now())
		pl.mu.Lock()
		stop := pl.stopIfIdleLocked()
		pl.mu.Unlock()
		if stop {
			return
		}
	}
}

// ready handles one ready fd.
func (pl *poller) ready(fd int32, wake int) {
	if int(fd) == wake {
		pl.takePosted(wake)
		return
	}
	pl.mu.Lock()
	what, ok := pl.fds[fd]
	pl.mu.Unlock()
	switch {
	case !ok: // closed earlier in this round
	case what.s != nil:
		pl.read(what.s, false)
	case what.p != nil:
		pl.reap(what.p)
	}
}

// takePosted empties the wake-up pipe and starts the drain of every
// posted exit.
func (pl *poller) takePosted(wake int) {
	var buf [64]byte
	for {
		if n, _ := syscall.Read(wake, buf[:]); n <= 0 {
			break
		}
	}
	pl.mu.Lock()
	ps := pl.posted
	pl.posted = nil
	pl.mu.Unlock()
	for _, e := range ps {
		pl.exited(e.p, e.exit)
	}
}

// read reads one chunk from s and hands it to its writer. At EOF or on an
// error it closes s; with last, it also closes s when nothing is there.
func (pl *poller) read(s *stream, last bool) {
	buf := chunks.Get().(*[]byte)
	defer chunks.Put(buf)
	n, err := readNonblock(s.fd, *buf)
	switch {
	case n > 0:
		// The writer logs its own failures; the child keeps running.
		if pw, ok := s.w.(PIDWriter); ok {
			_, _ = pw.WritePID(s.p.pid, (*buf)[:n])
		} else {
			_, _ = s.w.Write((*buf)[:n])
		}
		s.idle = time.Now().Add(pl.drainIdle())
		return
	case err == syscall.EAGAIN && !last:
		return
	}
	pl.closeStream(s)
	if s.p.reaped {
		pl.finishIfDrained(s.p)
	}
}

func readNonblock(fd int, buf []byte) (int, error) {
	for {
		n, err := syscall.Read(fd, buf)
		if err != syscall.EINTR {
			return n, err
		}
	}
}

// reap collects the exit status of p, whose pidfd is readable.
func (pl *poller) reap(p *execProc) {
	var ws syscall.WaitStatus
	got, err := wait4(p.pid, &ws, syscall.WNOHANG)
	pl.mu.Lock()
	_ = pl.ctlLocked(syscall.EPOLL_CTL_DEL, p.pidfdNum, 0, pollFD{})
	pl.mu.Unlock()
	if got == 0 && err == nil {
		// Exited but not reapable yet, as when a tracer holds the
		// zombie: the edge-triggered pidfd will not fire again, so a
		// blocking wait takes over.
		go func() { pl.post(p, waitPid(p.pid)) }()
		return
	}
	pl.exited(p, waitResult(ws, err))
}

// exited records p's exit and starts its drain.
func (pl *poller) exited(p *execProc, exit ExitStatus) {
	if p.pidfd != nil {
		_ = p.pidfd.Close() // Signal then reports the child gone
	}
	now := time.Now()
	p.exit, p.reaped, p.drainEnd = exit, true, now.Add(pl.drainMax())
	for _, s := range p.outs {
		s.idle = now.Add(pl.drainIdle())
	}
	if !pl.finishIfDrained(p) {
		pl.draining = append(pl.draining, p)
	}
}

// expire ends the drains whose time is up. A pipe past its idle deadline
// gets one last read first, so that data that is there is never left
// behind, only data that has not come.
func (pl *poller) expire(now time.Time) {
	// Backwards, as finishing a child removes it from the slice.
	for i := len(pl.draining) - 1; i >= 0; i-- {
		p := pl.draining[i]
		if !now.Before(p.drainEnd) {
			pl.finish(p)
			continue
		}
		for _, s := range p.outs {
			if s.fd >= 0 && !now.Before(s.idle) {
				pl.read(s, true)
			}
		}
	}
}

// deadline returns the nearest drain deadline, or the zero time (no
// deadline) when nothing drains.
func (pl *poller) deadline() time.Time {
	var first time.Time
	for _, p := range pl.draining {
		first = earliest(first, p.drainEnd)
		for _, s := range p.outs {
			if s.fd >= 0 {
				first = earliest(first, s.idle)
			}
		}
	}
	return first
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

// finishIfDrained finishes p if all its pipes are closed.
func (pl *poller) finishIfDrained(p *execProc) bool {
	for _, s := range p.outs {
		if s.fd >= 0 {
			return false
		}
	}
	pl.finish(p)
	return true
}

// finish closes what is left of p's pipes and reports its exit.
func (pl *poller) finish(p *execProc) {
	for _, s := range p.outs {
		if s.fd >= 0 {
			pl.closeStream(s)
		}
	}
	if p.stdin != nil {
		_ = p.stdin.Close()
	}
	pl.draining = slices.DeleteFunc(pl.draining, func(q *execProc) bool { return q == p })
	pl.mu.Lock()
	pl.procs--
	pl.mu.Unlock()
	close(p.done)
	p.onExit.fire()
}

// closeStream unregisters and closes s. Only the goroutine closes
// streams, so an fd it has looked up is never closed under it.
func (pl *poller) closeStream(s *stream) {
	pl.mu.Lock()
	_ = pl.ctlLocked(syscall.EPOLL_CTL_DEL, s.fd, 0, pollFD{})
	pl.mu.Unlock()
	_ = syscall.Close(s.fd)
	s.fd = -1
}

func (pl *poller) drainIdle() time.Duration {
	if pl.idle > 0 {
		return pl.idle
	}
	return drainIdle
}

func (pl *poller) drainMax() time.Duration {
	if pl.max > 0 {
		return pl.max
	}
	return drainMax
}
