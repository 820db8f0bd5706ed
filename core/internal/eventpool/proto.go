package eventpool

import (
	"bytes"
	"strconv"
)

// The protocol tokens a listener writes on its stdout.
const (
	readyToken   = "READY\n"
	resultPrefix = "RESULT "
	okBody       = "OK"
	// maxResultLine bounds a result line. A legitimate one is about ten
	// bytes; a listener printing chatter without a newline is declared
	// UNKNOWN after this many bytes instead of growing a buffer.
	maxResultLine = 1024
)

// stepKind is what a chunk of listener output made happen.
type stepKind int

const (
	stepReady    stepKind = iota // ACKNOWLEDGED -> READY
	stepNotReady                 // ACKNOWLEDGED -> UNKNOWN: not READY\n
	stepSpurious                 // READY -> UNKNOWN: output while READY
	stepResult                   // BUSY -> ACKNOWLEDGED: a result, ok if its body was OK
	stepBadLine                  // BUSY -> UNKNOWN: a malformed result line
)

// step is one protocol state change caused by listener output.
type step struct {
	kind     stepKind
	from, to State
	ok       bool   // stepResult: the body was exactly OK
	line     []byte // stepBadLine: the line, without its newline
}

// proto is the pool's side of one listener's protocol: its state and an
// incremental parser of its stdout, the reference's
// PEventListenerDispatcher.handle_listener_state_change fed byte chunks
// of any size. It does no I/O; the pool turns its steps into log lines
// and actions. Memory is bounded: at most maxResultLine bytes are held.
type proto struct {
	state State
	buf   []byte // ACKNOWLEDGED: the first bytes of a READY token; BUSY: a partial result line
	need  int64  // BUSY: body bytes still to read; -1 while reading the line
	ok    bool   // BUSY: the body read so far is a prefix of OK and has OK's length
	got   int64  // BUSY: body bytes read
}

// newProto returns the state of a freshly spawned listener: a new
// dispatcher per spawn in the reference, so always ACKNOWLEDGED.
func newProto() proto { return proto{state: Acknowledged, need: -1} }

// sent moves a READY listener to BUSY: the pool wrote it an event. The
// reference sets the state without logging a transition.
func (p *proto) sent() {
	p.state, p.buf, p.need, p.got, p.ok = Busy, p.buf[:0], -1, 0, false
}

// unsent moves a BUSY listener back to READY when the event could not be
// written to it, as if it had never been sent.
func (p *proto) unsent() {
	if p.state == Busy {
		p.state, p.buf, p.need = Ready, p.buf[:0], -1
	}
}

// feed consumes one chunk of the listener's stdout and appends the steps
// it caused to out. Every byte is consumed: a decision that needs more
// bytes is kept for the next chunk, and once UNKNOWN everything is
// discarded, as the reference does.
func (p *proto) feed(data []byte, out []step) []step {
	for len(data) > 0 {
		var s step
		var ok bool
		switch p.state {
		case Acknowledged:
			data, s, ok = p.feedAcknowledged(data)
		case Ready:
			// Any output while READY breaks the protocol (a second READY).
			data, s, ok = nil, p.to(stepSpurious, Unknown), true
		case Busy:
			data, s, ok = p.feedBusy(data)
		default:
			return out
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

// to changes state and returns the step describing the change.
func (p *proto) to(kind stepKind, state State) step {
	s := step{kind: kind, from: p.state, to: state}
	p.state = state
	p.buf = p.buf[:0]
	return s
}

// feedAcknowledged waits for six bytes, as the reference does, and
// checks that they are READY\n. The bytes after the token are left for
// the next state.
func (p *proto) feedAcknowledged(data []byte) ([]byte, step, bool) {
	n := min(len(readyToken)-len(p.buf), len(data))
	p.buf = append(p.buf, data[:n]...)
	data = data[n:]
	if len(p.buf) < len(readyToken) {
		return data, step{}, false
	}
	if string(p.buf) != readyToken {
		return nil, p.to(stepNotReady, Unknown), true
	}
	return data, p.to(stepReady, Ready), true
}

// feedBusy reads a result line, then its body.
func (p *proto) feedBusy(data []byte) ([]byte, step, bool) {
	if p.need < 0 {
		return p.feedResultLine(data)
	}
	n := int(min(p.need, int64(len(data))))
	for _, c := range data[:n] {
		p.ok = p.ok && c == okBody[p.got]
		p.got++
	}
	p.need -= int64(n)
	if p.need > 0 {
		return nil, step{}, false
	}
	s := p.to(stepResult, Acknowledged)
	s.ok = p.ok
	return data[n:], s, true
}

// feedResultLine collects the line up to its newline and parses it. A
// line longer than maxResultLine is malformed without waiting further.
func (p *proto) feedResultLine(data []byte) ([]byte, step, bool) {
	i := bytes.IndexByte(data, '\n')
	if i < 0 || len(p.buf)+i > maxResultLine {
		if len(p.buf)+len(data) <= maxResultLine {
			p.buf = append(p.buf, data...)
			return nil, step{}, false
		}
		line := append(p.buf, data[:maxResultLine-len(p.buf)]...)
		return nil, p.badLine(line), true
	}
	line := append(p.buf, data[:i]...)
	data = data[i+1:]
	n, ok := parseResultLine(line)
	if !ok {
		return nil, p.badLine(line), true
	}
	p.buf, p.need, p.got, p.ok = line[:0], n, 0, n == int64(len(okBody))
	if n == 0 {
		// The reference only notices an empty body when more output
		// arrives (supervisor.md §1.3); it is complete now.
		return p.feedBusy(data)
	}
	return data, step{}, false
}

func (p *proto) badLine(line []byte) step {
	s := step{kind: stepBadLine, from: p.state, to: Unknown, line: bytes.Clone(line)}
	p.state, p.buf = Unknown, p.buf[:0]
	return s
}

// parseResultLine parses "RESULT <n>". Unlike the reference, which
// ignores the first seven bytes, it requires the RESULT prefix; like the
// reference's int(), it allows whitespace around the number. n must be a
// non-negative decimal integer.
func parseResultLine(line []byte) (int64, bool) {
	rest, ok := bytes.CutPrefix(line, []byte(resultPrefix))
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(bytes.TrimSpace(rest)), 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}
