package process

import (
	"io"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const (
	// chunkSize is the most one read takes from a pipe and hands to one
	// Write: the reference's 128 KiB (readfd's 2 << 16).
	chunkSize = 128 << 10

	// drainIdle and drainMax bound the drain at exit. Everything the
	// child wrote before exiting is already in the pipe, so a child
	// alone ends the drain at once with EOF. A grandchild that keeps the
	// pipe open ends it after drainIdle without data, or after drainMax
	// if it keeps writing; what it writes later is lost, as in the
	// reference, which closes its ends of the pipes when it reaps.
	drainIdle = 100 * time.Millisecond
	drainMax  = 2 * time.Second
)

// chunks holds read buffers. A copier takes one only when its pipe is
// readable, so hundreds of quiet children cost no buffer memory.
var chunks = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

// pipes are the three pipes of one child; errR and errW are nil with
// redirect_stderr.
type pipes struct {
	stdinR, stdinW *os.File
	outR, outW     *os.File
	errR, errW     *os.File
}

func newPipes(redirect bool) (*pipes, error) {
	ps := &pipes{}
	var err error
	if ps.stdinR, ps.stdinW, err = os.Pipe(); err != nil {
		return nil, err
	}
	if ps.outR, ps.outW, err = os.Pipe(); err != nil {
		ps.close()
		return nil, err
	}
	if !redirect {
		if ps.errR, ps.errW, err = os.Pipe(); err != nil {
			ps.close()
			return nil, err
		}
	}
	return ps, nil
}

func (ps *pipes) attach(cmd *exec.Cmd) {
	cmd.Stdin, cmd.Stdout, cmd.Stderr = ps.stdinR, ps.outW, ps.outW
	if ps.errW != nil {
		cmd.Stderr = ps.errW
	}
}

func (ps *pipes) close() {
	for _, f := range []*os.File{ps.stdinR, ps.stdinW, ps.outR, ps.outW, ps.errR, ps.errW} {
		if f != nil {
			_ = f.Close()
		}
	}
}

// started closes the child's ends and starts copying the output.
func (ps *pipes) started(cmd *exec.Cmd, spec SpawnSpec) *execProc {
	for _, f := range []*os.File{ps.stdinR, ps.outW, ps.errW} {
		if f != nil {
			_ = f.Close()
		}
	}
	p := newExecProc(cmd)
	p.stdin = ps.stdinW
	p.copy(ps.outR, spec.Stdout)
	if ps.errR != nil {
		p.copy(ps.errR, spec.Stderr)
	}
	return p
}

// The phases of a pipeCopy's copiers.
const (
	copyRunning int32 = iota
	copyDraining
	copyStopped
)

// pipeCopy is the parent's side of a child's pipes: its stdin and the
// copiers of its output.
type pipeCopy struct {
	stdin   *os.File
	outs    []*os.File
	copying sync.WaitGroup
	phase   atomic.Int32
}

func (p *pipeCopy) Stdin() io.Writer { return p.stdin }

func (p *pipeCopy) copy(r *os.File, w io.Writer) {
	if w == nil {
		w = io.Discard
	}
	p.outs = append(p.outs, r)
	p.copying.Add(1)
	go func() {
		defer p.copying.Done()
		p.copyLoop(r, w)
	}()
}

// copyLoop hands each chunk read from r to one Write on w until EOF, or
// until the drain's deadlines end it.
func (p *pipeCopy) copyLoop(r *os.File, w io.Writer) {
	rc, err := r.SyscallConn()
	if err != nil {
		return
	}
	for {
		switch p.phase.Load() {
		case copyDraining:
			_ = r.SetReadDeadline(time.Now().Add(drainIdle))
		case copyStopped:
			return
		}
		buf, n, err := readChunk(rc)
		if n > 0 {
			_, _ = w.Write((*buf)[:n]) // the writer logs its own failures; the child keeps running
		}
		if buf != nil {
			chunks.Put(buf)
		}
		if n == 0 || err != nil {
			return
		}
	}
}

// readChunk waits until the pipe is readable and only then takes a buffer
// and reads. n is 0 at EOF.
func readChunk(rc syscall.RawConn) (buf *[]byte, n int, err error) {
	var rerr error
	err = rc.Read(func(fd uintptr) bool {
		buf = chunks.Get().(*[]byte)
		for {
			n, rerr = syscall.Read(int(fd), *buf)
			if rerr != syscall.EINTR {
				break
			}
		}
		if rerr == syscall.EAGAIN {
			chunks.Put(buf)
			buf = nil
			return false
		}
		return true
	})
	if err == nil {
		err = rerr
	}
	return buf, max(n, 0), err
}

// drain lets the copiers read what is left after the child's exit (see
// drainIdle), then closes the read ends.
func (p *pipeCopy) drain() {
	p.phase.Store(copyDraining)
	for _, r := range p.outs {
		_ = r.SetReadDeadline(time.Now().Add(drainIdle))
	}
	done := make(chan struct{})
	go func() {
		p.copying.Wait()
		close(done)
	}()
	t := time.NewTimer(drainMax)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		p.phase.Store(copyStopped)
		for _, r := range p.outs {
			_ = r.SetReadDeadline(time.Unix(1, 0))
		}
		<-done
	}
	for _, r := range p.outs {
		_ = r.Close()
	}
}
