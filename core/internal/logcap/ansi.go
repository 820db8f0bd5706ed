package logcap

import "bytes"

const esc = 0x1b

// ansiTerminator reports whether b ends an escape sequence: one of the
// letters HfABCDRsuJKhlpm of the reference's ANSI_TERMINATORS.
func ansiTerminator(b byte) bool {
	switch b {
	case 'H', 'f', 'A', 'B', 'C', 'D', 'R', 's', 'u', 'J', 'K', 'h', 'l', 'p', 'm':
		return true
	}
	return false
}

// indexTerminator returns the index of the first terminator in p, or -1.
func indexTerminator(p []byte) int {
	for i, b := range p {
		if ansiTerminator(b) {
			return i
		}
	}
	return -1
}

// StripANSI returns b without its ANSI escape sequences, as supervisord's
// strip_ansi does (dispatchers.stripEscapes, which is a small scanner, not
// a regular expression): from each "ESC [" up to and including the next
// terminator letter in HfABCDRsuJKhlpm, whatever lies between, is removed.
// An unterminated sequence runs to the end of b and is removed too. It
// returns b itself when there is nothing to strip.
func StripANSI(b []byte) []byte {
	if bytes.IndexByte(b, esc) < 0 {
		return b
	}
	var s ANSIStripper
	out := s.Strip(nil, b)
	if s.state == ansiEsc {
		out = append(out, esc)
	}
	return out
}

// ANSIStripper strips ANSI escape sequences from a stream written in
// pieces, with the same rules as [StripANSI]. Unlike the reference, which
// strips each read on its own (so that a sequence split across two reads
// loses its head and leaks its tail, "31m", into the log), it carries its
// state across calls: the output for a stream cut anywhere is the output
// for the whole stream. A lone ESC at the end of a piece is held back
// until the next byte shows whether a sequence begins; [ANSIStripper.Flush]
// gives it back at the end of the stream.
//
// The zero value is ready to use. An ANSIStripper is not safe for
// concurrent use.
type ANSIStripper struct {
	state ansiState
}

type ansiState uint8

const (
	ansiText ansiState = iota // passing bytes through
	ansiEsc                   // an ESC was held back
	ansiSeq                   // inside a sequence, dropping up to a terminator
)

// Strip appends the visible bytes of p to dst and returns the extended
// slice.
func (s *ANSIStripper) Strip(dst, p []byte) []byte {
	for len(p) > 0 {
		switch s.state {
		case ansiText:
			i := bytes.IndexByte(p, esc)
			if i < 0 {
				return append(dst, p...)
			}
			dst = append(dst, p[:i]...)
			s.state, p = ansiEsc, p[i+1:]
		case ansiEsc:
			if p[0] == '[' {
				s.state, p = ansiSeq, p[1:]
				continue
			}
			// Not a sequence: the ESC is text; look at p[0] afresh.
			dst = append(dst, esc)
			s.state = ansiText
		case ansiSeq:
			i := indexTerminator(p)
			if i < 0 {
				return dst
			}
			s.state, p = ansiText, p[i+1:]
		}
	}
	return dst
}

// Flush ends the stream: it appends an ESC held back to dst and forgets
// an unterminated sequence, whose bytes stay dropped as in the reference.
func (s *ANSIStripper) Flush(dst []byte) []byte {
	if s.state == ansiEsc {
		dst = append(dst, esc)
	}
	s.state = ansiText
	return dst
}

// Clean reports whether Strip would return p unchanged: no sequence is
// open and p holds no ESC.
func (s *ANSIStripper) Clean(p []byte) bool {
	return s.state == ansiText && bytes.IndexByte(p, esc) < 0
}
