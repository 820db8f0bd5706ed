package protocol

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits on what a [Reader] accepts. Every read is bounded by them: a len
// or RESULT length above the limit is rejected before anything is
// allocated for it, and memory grows only with bytes actually received.
const (
	// DefaultMaxPayload is the default limit on an event payload, in code
	// points (so up to 4 times as many bytes), and on a result body, in
	// bytes. supervisord's largest routine payloads are PROCESS_LOG chunks
	// of at most 128 KiB; capture buffers and remote data are user-sized.
	DefaultMaxPayload = 16 << 20
	// MaxLineLen is the limit on a header line, newline included.
	MaxLineLen = 64 << 10
	// maxResultDigits bounds the length in a RESULT line; more digits
	// than this cannot be under any limit.
	maxResultDigits = 19
)

// readyToken is what a listener writes to announce it can take an event.
const readyToken = "READY\n"

// resultPrefix starts every result line.
const resultPrefix = "RESULT "

// Event is one envelope: the header line and the raw payload. Payload holds
// the payload bytes exactly as received (invalid UTF-8 included).
type Event struct {
	Header  Header
	Payload string
}

// Type returns the event type named in the header.
func (ev Event) Type() EventType { return ev.Header.Type() }

// Parse parses the payload according to the event type; see [ParsePayload].
func (ev Event) Parse() (Payload, error) { return ParsePayload(ev.Type(), ev.Payload) }

// Reader reads protocol tokens from a stream: events on the listener side
// (a listener's stdin), READY and RESULT tokens on the daemon side (a
// listener's stdout). It buffers, so all reads from the stream must go
// through one Reader. A Reader is not safe for concurrent use.
type Reader struct {
	br         *bufio.Reader
	maxPayload int
}

// ReaderOption configures a [Reader].
type ReaderOption func(*Reader)

// WithMaxPayload sets the payload limit (default [DefaultMaxPayload]).
// A value <= 0 keeps the default.
func WithMaxPayload(n int) ReaderOption {
	return func(r *Reader) {
		if n > 0 {
			r.maxPayload = n
		}
	}
}

// NewReader returns a Reader on r. If r is a *bufio.Reader it is used
// directly, so bytes it has buffered are not lost.
func NewReader(r io.Reader, opts ...ReaderOption) *Reader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(r)
	}
	rd := &Reader{br: br, maxPayload: DefaultMaxPayload}
	for _, o := range opts {
		o(rd)
	}
	return rd
}

// ReadEvent reads one event from br with the default limits. To read more
// than one event, pass the same *bufio.Reader each time or use a [Reader].
func ReadEvent(br *bufio.Reader) (Event, error) { return NewReader(br).ReadEvent() }

// ReadReady reads a READY token from br; see [Reader.ReadReady].
func ReadReady(br *bufio.Reader) error { return NewReader(br).ReadReady() }

// ReadResult reads a result from br; see [Reader.ReadResult].
func ReadResult(br *bufio.Reader) (string, error) { return NewReader(br).ReadResult() }

// ReadEvent reads one header line and exactly Header.Len code points of
// payload, the way childutils.listener.wait reads characters in Python text
// mode. An invalid UTF-8 byte counts as one code point and is kept as is.
//
// It returns io.EOF, unwrapped, if the stream ends before the first byte
// of a header: supervisord closed the listener's stdin. A stream that ends
// inside a header or payload yields an error wrapping io.ErrUnexpectedEOF.
// A bad header yields an error wrapping a [*HeaderError].
func (r *Reader) ReadEvent() (Event, error) {
	line, err := r.readLine(MaxLineLen)
	if err == io.EOF {
		return Event{}, io.EOF
	}
	if err != nil {
		return Event{}, fmt.Errorf("read event header: %w", err)
	}
	h, err := parseHeader(line, r.maxPayload)
	if err != nil {
		return Event{}, fmt.Errorf("read event: %w", err)
	}
	payload, got, err := r.readRunes(h.Len)
	if err != nil {
		return Event{}, fmt.Errorf("read event %d payload: got %d of %d code points: %w",
			h.Serial, got, h.Len, err)
	}
	return Event{Header: h, Payload: payload}, nil
}

// readLine reads up to and excluding the next '\n', failing with
// ErrLineTooLong once more than maxLen bytes arrive without one. A clean
// end of stream before any byte is io.EOF; inside a line it is
// io.ErrUnexpectedEOF.
func (r *Reader) readLine(maxLen int) (string, error) {
	var line []byte
	for {
		frag, err := r.br.ReadSlice('\n')
		if len(line)+len(frag) > maxLen {
			return "", fmt.Errorf("%w: more than %d bytes", ErrLineTooLong, maxLen)
		}
		line = append(line, frag...)
		switch {
		case err == nil:
			return string(line[:len(line)-1]), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(line) == 0:
			return "", io.EOF
		case err == io.EOF:
			return "", io.ErrUnexpectedEOF
		default:
			return "", err
		}
	}
}

// readRunes reads n code points, counting each invalid byte as one and
// keeping it verbatim. It returns what it read and how many units that was.
func (r *Reader) readRunes(n int) (string, int, error) {
	var b strings.Builder
	b.Grow(min(n, 64<<10)) // never trust n for the allocation
	for i := range n {
		c, size, err := r.br.ReadRune()
		if err == io.EOF {
			return b.String(), i, io.ErrUnexpectedEOF
		}
		if err != nil {
			return b.String(), i, err
		}
		if c == utf8.RuneError && size == 1 {
			// Re-read the raw byte: WriteRune would turn it into U+FFFD.
			_ = r.br.UnreadRune()
			raw, _ := r.br.ReadByte()
			b.WriteByte(raw)
			continue
		}
		b.WriteRune(c)
	}
	return b.String(), n, nil
}

// WriteEvent writes ev as one envelope, header line and payload in a
// single Write, and flushes w if it has a Flush method. It sets the len
// token itself to the number of code points in ev.Payload (each invalid
// UTF-8 byte counting as one), ignoring ev.Header.Len; that is the count
// Python supervisord writes and Python listeners read. Header values that
// contain whitespace would corrupt the line and are rejected with a
// [*HeaderError] wrapping [ErrBadValue].
func WriteEvent(w io.Writer, ev Event) error {
	h := ev.Header
	h.Len = utf8.RuneCountInString(ev.Payload)
	if err := h.validate(); err != nil {
		return fmt.Errorf("write event: %w", err)
	}
	if err := writeFlush(w, h.String()+"\n"+ev.Payload); err != nil {
		return fmt.Errorf("write event %d: %w", h.Serial, err)
	}
	return nil
}
