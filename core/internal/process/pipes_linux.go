package process

import (
	"io"
	"os"
	"sync"
	"syscall"
	"time"
)

const (
	// chunkSize is the most one read takes from a pipe and hands to one
	// Write: the reference's 128 KiB (readfd's 2 << 16).
	chunkSize = 128 << 10

	// pipeSize is the capacity asked for each output pipe (the kernel's
	// default is 64 KiB): a chunk's worth, so that one read can take it.
	pipeSize = chunkSize

	// drainIdle and drainMax bound the drain at exit. Everything the
	// child wrote before exiting is already in the pipe, so a child
	// alone ends the drain at once with EOF. A grandchild that keeps the
	// pipe open ends it after drainIdle without data, or after drainMax
	// if it keeps writing; what it writes later is lost, as in the
	// reference, which closes its ends of the pipes when it reaps.
	drainIdle = 100 * time.Millisecond
	drainMax  = 2 * time.Second
)

// chunks holds read buffers. The poller takes one only for a pipe that is
// readable, so hundreds of quiet children cost no buffer memory.
var chunks = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

// pipes are the three pipes of one child. The output pipes' read ends are
// bare non-blocking descriptors, read by the poller; their write ends, the
// child's, are blocking. errW is nil with redirect_stderr.
type pipes struct {
	stdinR, stdinW *os.File
	outW, errW     *os.File
	p              *execProc // the read ends, as the poller's streams
	pl             *poller   // set once p is registered with it
}

// newPipes makes the pipes of a child whose output goes to spec's writers
// and registers their read ends with pl.
func newPipes(pl *poller, spec SpawnSpec) (*pipes, error) {
	ps := &pipes{p: newExecProc()}
	var err error
	if ps.stdinR, ps.stdinW, err = os.Pipe(); err != nil {
		return nil, err
	}
	if ps.outW, err = ps.output(spec.Stdout); err != nil {
		ps.close()
		return nil, err
	}
	if !spec.RedirectStderr {
		if ps.errW, err = ps.output(spec.Stderr); err != nil {
			ps.close()
			return nil, err
		}
	}
	if err := pl.add(ps.p); err != nil {
		ps.close()
		return nil, err
	}
	ps.pl = pl
	return ps, nil
}

// output makes one output pipe, whose read end becomes a stream to w, and
// returns its write end.
func (ps *pipes) output(w io.Writer) (*os.File, error) {
	var fds [2]int
	if err := syscall.Pipe2(fds[:], syscall.O_CLOEXEC); err != nil {
		return nil, err
	}
	if err := syscall.SetNonblock(fds[0], true); err != nil {
		_ = syscall.Close(fds[0])
		_ = syscall.Close(fds[1])
		return nil, err
	}
	if w == nil {
		w = io.Discard
	}
	// A larger pipe lets a chatty child write on while the daemon is busy
	// and lets one read take more: fewer wake-ups and system calls per
	// byte. Best effort: the kernel caps it (pipe-max-size, per-user).
	_, _, _ = syscall.Syscall(syscall.SYS_FCNTL, uintptr(fds[0]), syscall.F_SETPIPE_SZ, pipeSize)
	ps.p.outs = append(ps.p.outs, &stream{fd: fds[0], w: w, p: ps.p})
	return os.NewFile(uintptr(fds[1]), "|1"), nil
}

// stdio returns the child's ends as its stdin, stdout and stderr.
func (ps *pipes) stdio() [3]*os.File {
	if ps.errW != nil {
		return [3]*os.File{ps.stdinR, ps.outW, ps.errW}
	}
	return [3]*os.File{ps.stdinR, ps.outW, ps.outW}
}

// closeChild closes the child's ends.
func (ps *pipes) closeChild() {
	for _, f := range []*os.File{ps.stdinR, ps.outW, ps.errW} {
		if f != nil {
			_ = f.Close()
		}
	}
}

// close closes every pipe of a child that did not start. The read ends
// registered with the poller are its to close, after a drain that ends at
// once.
func (ps *pipes) close() {
	ps.closeChild()
	if ps.stdinW != nil {
		_ = ps.stdinW.Close()
	}
	if ps.pl != nil {
		ps.pl.abandon(ps.p)
		return
	}
	for _, s := range ps.p.outs {
		_ = syscall.Close(s.fd)
	}
}

// started has the poller watch the child, then closes the child's ends:
// in that order, so that the poller knows the child's pid before it can
// see an output pipe's EOF.
func (ps *pipes) started(pid, pidfd int) *execProc {
	p := ps.p
	p.stdin = ps.stdinW
	p.setChild(pid, pidfd)
	ps.pl.start(p)
	ps.closeChild()
	return p
}
