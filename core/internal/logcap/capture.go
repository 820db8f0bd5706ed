package logcap

import "bytes"

// The capture mode tags (supervisor.md §1.7). The child writes
// BeginTag, a message and EndTag; the message becomes a
// PROCESS_COMMUNICATION event instead of going to the log.
const (
	BeginTag = "<!--XSUPERVISOR:BEGIN-->"
	EndTag   = "<!--XSUPERVISOR:END-->"
)

// splitter cuts a channel's output into log segments and captured
// segments at the capture tags, which may be split across writes. The
// tags themselves go nowhere. Only a possible beginning of the awaited tag
// at the very end of a write is held back, never more than the tag's
// length less one byte, and flush gives it back at the end of the stream.
//
// The reference instead holds every chunk until more than a tag's length
// is buffered and drops what it holds when the process exits (§1.7); a
// short last line such as "after\n" never reaches its log.
type splitter struct {
	capturing bool
	held      []byte // a proper prefix of the awaited tag
	joined    []byte // scratch: held followed by the new write
	// segment receives each run of bytes, and whether it lies between
	// the tags. It must not retain seg.
	segment func(seg []byte, captured bool)
	// toggle is called at each tag, with the new mode.
	toggle func(capturing bool)
}

func (s *splitter) tag() []byte {
	if s.capturing {
		return []byte(EndTag)
	}
	return []byte(BeginTag)
}

// write splits p.
func (s *splitter) write(p []byte) {
	data := p
	if len(s.held) > 0 {
		s.joined = append(append(s.joined[:0], s.held...), p...)
		data, s.held = s.joined, s.held[:0]
	}
	for {
		tag := s.tag()
		i := bytes.Index(data, tag)
		if i < 0 {
			k := len(data) - partialTag(data, tag)
			s.emit(data[:k])
			s.held = append(s.held, data[k:]...)
			return
		}
		s.emit(data[:i])
		s.capturing = !s.capturing
		s.toggle(s.capturing)
		data = data[i+len(tag):]
	}
}

func (s *splitter) emit(seg []byte) {
	if len(seg) > 0 {
		s.segment(seg, s.capturing)
	}
}

// flush emits the bytes held back and resets the splitter for a new
// stream. It returns whether the stream ended inside a capture.
func (s *splitter) flush() (unterminated bool) {
	s.emit(s.held)
	s.held = s.held[:0]
	unterminated = s.capturing
	s.capturing = false
	return unterminated
}

// partialTag returns the length of the longest proper prefix of tag that
// data ends with, as the reference's find_prefix_at_end does.
func partialTag(data, tag []byte) int {
	if len(data) == 0 || bytes.IndexByte(tag, data[len(data)-1]) < 0 {
		return 0
	}
	for k := min(len(tag)-1, len(data)); k > 0; k-- {
		if bytes.HasSuffix(data, tag[:k]) {
			return k
		}
	}
	return 0
}

// captureBuffer holds the bytes between the tags, bounded the way the
// reference's BoundIO is: when a segment would take the buffer past max,
// as many bytes as the segment has are dropped from the front first. It
// thus holds at most max bytes or one segment, whichever is longer: a
// message that arrives in one read is never cut, as in the reference.
type captureBuffer struct {
	max int
	buf []byte
}

func (c *captureBuffer) write(p []byte) {
	if len(c.buf)+len(p) > c.max {
		drop := min(len(p), len(c.buf))
		c.buf = append(c.buf[:0], c.buf[drop:]...)
	}
	c.buf = append(c.buf, p...)
}

// take returns the captured bytes, which the caller then owns, and
// empties the buffer.
func (c *captureBuffer) take() []byte {
	b := c.buf
	c.buf = nil
	return b
}
