package logcap

import (
	"errors"
	"log/slog"
	"strings"
	"sync"
)

// DefaultRingSize is the size of a channel's in-memory tail when
// [Options.RingSize] is 0.
const DefaultRingSize = 64 << 10

// Options configures a [Channel]. The zero value captures into the ring
// buffer only, as stdout_logfile=NONE does.
type Options struct {
	// Name is the process name: the prefix of syslog lines and the
	// "process" attribute of what the Channel logs.
	Name string
	// Path is the log file; "" for none (NONE, or syslog alone). For
	// AUTO, pass the name [AutoLogName] makes, with File.Lazy set and
	// File.Perm [AutoLogPerm].
	Path string
	// File sets rotation (the *_logfile_maxbytes and *_logfile_backups
	// options) and the file system seam.
	File FileOptions
	// Syslog, when not nil, receives every line as "<Name> <line>"
	// (*_syslog=true).
	Syslog *Syslog
	// StripANSI removes ANSI escape sequences (strip_ansi), from the log
	// and from what the hooks receive alike.
	StripANSI bool
	// CaptureMaxBytes > 0 turns capture mode on (*_capture_maxbytes).
	CaptureMaxBytes int
	// OnCapture receives each captured message at its end tag, for a
	// PROCESS_COMMUNICATION event, with the pid of the child whose
	// output held the end tag (see [Channel.WritePID]). The callee owns
	// msg.
	OnCapture func(pid int, msg []byte)
	// OnOutput receives every segment of output after strip_ansi, for
	// PROCESS_LOG events and the main log's DEBG copy of child output.
	// As in the reference, segments inside capture tags come too, with
	// captured set; they reach neither the log file nor the ring. data
	// is valid only during the call. pid is the writer's, as for
	// OnCapture.
	OnOutput func(pid int, data []byte, captured bool)
	// RingSize is the size of the in-memory tail; 0 means
	// [DefaultRingSize] and a negative size keeps none.
	RingSize int
}

// Channel captures one output stream (stdout or stderr) of one process:
// the process's reader writes every chunk it reads from the pipe into it,
// exactly as read, and the Channel sends it to the log file, to syslog and
// to a ring buffer of the most recent output, splits out capture-mode
// messages and feeds the event hooks. A Channel lives as long as its
// process's configuration, across restarts; call [Channel.Flush] when a
// run's pipe reaches EOF.
//
// Hooks are called with the Channel's lock held and must not call back
// into it. A Channel is safe for concurrent use.
type Channel struct {
	log       *slog.Logger
	file      *RotatingFile // nil without a log file
	syslog    *Syslog
	prefix    string
	strip     bool
	onOutput  func(int, []byte, bool)
	onCapture func(int, []byte)

	mu        sync.Mutex
	split     *splitter // nil without capture mode
	capture   captureBuffer
	stripper  ANSIStripper
	scratch   []byte
	ring      *ring
	wake      chan struct{} // closed at the next output; nil if nobody waits
	closed    bool
	fileBurst burst
	sysBurst  burst
	dropped   int64
	pid       int // the child whose output is being written; 0 if unknown
}

// NewChannel opens the channel's log file, if any. It fails only if the
// file cannot be opened (its directory must exist, as in the reference).
// Problems met later, while writing, are logged through logger and never
// stop the Channel.
func NewChannel(logger *slog.Logger, opts Options) (*Channel, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &Channel{
		log: logger, syslog: opts.Syslog, prefix: opts.Name + " ", strip: opts.StripANSI,
		onOutput: opts.OnOutput, onCapture: opts.OnCapture,
	}
	size := opts.RingSize
	if size == 0 {
		size = DefaultRingSize
	}
	c.ring = newRing(max(size, 0))
	if opts.CaptureMaxBytes > 0 {
		c.capture.max = opts.CaptureMaxBytes
		c.split = &splitter{segment: c.segment, toggle: c.toggle}
	}
	if opts.Path != "" {
		f, err := NewRotatingFile(opts.Path, opts.File)
		if err != nil {
			return nil, err
		}
		c.file = f
	}
	return c, nil
}

// Path returns the log file's name, or "" if there is none.
func (c *Channel) Path() string {
	if c.file == nil {
		return ""
	}
	return c.file.Path()
}

// Write takes one chunk of the child's output. It always returns
// len(p), nil, so that the pipe keeps draining and the child keeps
// running whatever happens to the log: bytes that cannot be written to
// the file (a full disk, a removed directory) are dropped and counted
// (see [Channel.Dropped]), and the failure is logged once per burst, with
// a second message when writing works again. Write does not retain p.
func (c *Channel) Write(p []byte) (int, error) {
	return c.WritePID(0, p)
}

// WritePID is [Channel.Write] for a chunk written by the child pid, whom
// the event hooks name: the reference reports the pid of the child whose
// pipe it read, even for output drained after that child has exited.
func (c *Channel) WritePID(pid int, p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pid = pid
	switch {
	case c.closed:
		c.dropped += int64(len(p))
	case c.split != nil:
		c.split.write(p)
	default:
		c.segment(p, false)
	}
	return len(p), nil
}

// segment takes a run of output, between or outside the capture tags.
func (c *Channel) segment(seg []byte, captured bool) {
	if c.strip && !c.stripper.Clean(seg) {
		c.scratch = c.stripper.Strip(c.scratch[:0], seg)
		seg = c.scratch
	}
	c.deliver(seg, captured)
}

// deliver sends a run of output where it belongs, then to the hook.
func (c *Channel) deliver(seg []byte, captured bool) {
	if len(seg) == 0 {
		return
	}
	if captured {
		c.capture.write(seg)
	} else {
		c.output(seg)
	}
	if c.onOutput != nil {
		c.onOutput(c.pid, seg, captured)
	}
}

// output writes to the ring, the file and syslog.
func (c *Channel) output(p []byte) {
	c.ring.write(p)
	if c.wake != nil {
		close(c.wake)
		c.wake = nil
	}
	if c.file != nil {
		n, err := c.file.Write(p)
		c.report(&c.fileBurst, c.file.Path(), err, len(p)-n)
	}
	if c.syslog != nil {
		err := c.syslog.Lines(c.prefix, p)
		c.report(&c.sysBurst, "syslog", err, 0)
	}
}

// name is the process name the Channel was made for.
func (c *Channel) name() string { return strings.TrimSuffix(c.prefix, " ") }

// report logs a failure of target once per burst and counts lost bytes.
func (c *Channel) report(b *burst, target string, err error, lost int) {
	c.dropped += int64(lost)
	if err != nil {
		if b.fail(lost) {
			c.log.Error("child log write failed", "process", c.name(), "target", target, "err", err)
		}
		return
	}
	if lost, ended := b.ok(); ended {
		c.log.Info("child log writable again", "process", c.name(), "target", target, "dropped_bytes", lost)
	}
}

// toggle is called by the splitter at each tag.
func (c *Channel) toggle(capturing bool) {
	if c.strip {
		// An ESC held back belongs to the side of the tag it came from.
		c.scratch = c.stripper.Flush(c.scratch[:0])
		c.deliver(c.scratch, !capturing)
	}
	if !capturing {
		msg := c.capture.take()
		if c.onCapture != nil {
			c.onCapture(c.pid, msg)
		}
	}
}

// Flush ends a run of the process: its pipe reached EOF. Bytes held back
// (a possible beginning of a capture tag, or of an escape sequence) are
// written out, so that no trailing chunk is lost when the process exits,
// unlike in the reference (§1.7). A capture left open by the process is
// discarded with a warning that says how many bytes it held. The next
// Write starts a new stream, outside capture mode.
func (c *Channel) Flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.flush()
}

func (c *Channel) flush() {
	unterminated := false
	if c.split != nil {
		unterminated = c.split.flush()
	}
	if c.strip {
		c.scratch = c.stripper.Flush(c.scratch[:0])
		c.deliver(c.scratch, unterminated)
	}
	if unterminated {
		n := len(c.capture.take())
		c.log.Warn("process exited inside a capture, message discarded", "process", c.name(), "bytes", n)
	}
}

// Dropped returns how many bytes of output could not be written to the
// log file since the Channel was created.
func (c *Channel) Dropped() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dropped
}

// Reopen closes and reopens the log file, for SIGUSR2.
func (c *Channel) Reopen() error {
	if c.file == nil {
		return nil
	}
	return c.file.Reopen()
}

// Clear removes the log file and reopens it empty, and forgets the ring
// buffer's contents, for clearProcessLogs. Backups are kept, as in the
// reference.
func (c *Channel) Clear() error {
	c.mu.Lock()
	c.ring.reset()
	c.mu.Unlock()
	if c.file == nil {
		return nil
	}
	return c.file.Clear()
}

// Close flushes the Channel, closes its log file and ends its followers.
// Later writes are dropped. The shared [Syslog] is left open.
func (c *Channel) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.flush()
	c.closed = true
	if c.wake != nil {
		close(c.wake)
		c.wake = nil
	}
	if c.file == nil {
		return nil
	}
	return c.file.Close()
}

// Read returns a slice of the log file with readLog's semantics (see
// [RotatingFile.Read]). Without a regular log file it returns
// [ErrNoFile], as the reference answers NO_FILE.
func (c *Channel) Read(offset, length int) ([]byte, error) {
	if c.file == nil {
		return nil, ErrNoFile
	}
	return c.file.Read(offset, length)
}

// Tail returns the end of the output with tailProcessLog's semantics
// (see [TailWindow]). With a regular log file it reads the file, as the
// reference does, and a missing file gives no data, offset 0 and no
// overflow. Without one (NONE, syslog, /dev/stdout) it serves the ring
// buffer, where the reference has nothing: offsets then count the bytes
// written since the Channel was created, and data older than the ring is
// gone.
func (c *Channel) Tail(offset, length int) (data []byte, newOffset int64, overflow bool, err error) {
	if c.file != nil && c.file.Regular() {
		data, newOffset, overflow, err = c.file.Tail(offset, length)
		if errors.Is(err, ErrNoFile) {
			return nil, 0, false, nil
		}
		return data, newOffset, overflow, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	size := c.ring.end
	start, n, overflow := TailWindow(size, int64(offset), int64(length))
	data, _ = c.ring.read(start, n)
	return data, size, overflow, nil
}
