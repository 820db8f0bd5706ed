package xmlrpc

import (
	"errors"
	"fmt"
	"io"
)

// ErrLimit is wrapped by every error that reports a message exceeding its
// [Limits]: test with errors.Is(err, ErrLimit).
var ErrLimit = errors.New("xml-rpc limit exceeded")

// Default limits, used for zero fields of [Limits].
const (
	// DefaultMaxBytes admits large log reads: supervisorctl's tail and
	// readProcessStdoutLog can return megabytes in one string.
	DefaultMaxBytes = 10 << 20
	DefaultMaxDepth = 64
	// DefaultMaxItems is far above a getAllConfigInfo of thousands of
	// processes (about 30 values each).
	DefaultMaxItems = 500_000
)

// maxTagBytes bounds the bytes of one tag, <...>. encoding/xml builds every
// attribute of a start tag before returning it, and a 10 MiB tag of short
// attributes costs hundreds of MiB; XML-RPC tags carry no attributes (the
// XML declaration is the longest legitimate one).
const maxTagBytes = 4 << 10

// Limits bounds what a decoder accepts, so that a hostile or broken peer
// cannot exhaust memory: the body size, the nesting of arrays and structs,
// and the total number of values. A zero field means its default
// ([DefaultMaxBytes], [DefaultMaxDepth], [DefaultMaxItems]); the zero Limits
// is ready to use.
//
// Memory stays within a small multiple of MaxBytes: encoding/xml expands
// only the five predefined entities and character references (custom
// entities, as in "billion laughs", are a syntax error), every value costs
// a fixed amount plus its text, and tags longer than 4 KiB are refused.
type Limits struct {
	MaxBytes int64 // maximum body size in bytes
	MaxDepth int   // maximum nesting of arrays and structs
	MaxItems int   // maximum number of values in the whole message
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxItems <= 0 {
		l.MaxItems = DefaultMaxItems
	}
	return l
}

// scanState is where guardReader is in the XML grammar, as far as it
// needs to know: in text, in a tag, a comment or a CDATA section, or at one
// of the prefixes that decide between them.
type scanState uint8

const (
	inText    scanState = iota
	afterLT             // "<"
	afterBang           // "<!"
	afterDash           // "<!-"
	inCDATAID           // inside "<![CDATA[", matching the keyword
	inComment           // "<!--" ... "-->"
	inCDATA             // "<![CDATA[" ... "]]>"
	inTag               // any other markup up to its unquoted ">"
)

// guardReader sits between the body and encoding/xml. It enforces
// Limits.MaxBytes, refuses over-long tags (see maxTagBytes), and replaces
// raw C0 control bytes with U+FFFD.
//
// The replacement exists because supervisord writes log text into
// responses verbatim: a program printing ANSI colour codes makes
// readProcessStdoutLog and tailProcessStdoutLog return ESC bytes, which XML
// 1.0 forbids, so that Python's own supervisorctl fails with "not
// well-formed (invalid token)". Decoding them as U+FFFD keeps the rest of
// the text readable.
type guardReader struct {
	r      io.Reader
	left   int64 // bytes still allowed
	max    int64
	st     scanState
	tagLen int  // bytes of the current tag
	quote  byte // open quote inside a tag, or 0
	run    int  // matched bytes of "CDATA[", or trailing '-'/']' run
	in     [4096]byte
	out    []byte // filtered bytes not yet returned
	obuf   []byte // backing store for out
	err    error  // sticky error, returned once out is drained
}

func newGuardReader(r io.Reader, maxBytes int64) *guardReader {
	return &guardReader{r: r, left: maxBytes, max: maxBytes}
}

func (g *guardReader) Read(p []byte) (int, error) {
	for len(g.out) == 0 {
		if g.err != nil {
			return 0, g.err
		}
		g.fill()
	}
	n := copy(p, g.out)
	g.out = g.out[n:]
	return n, nil
}

func (g *guardReader) fill() {
	n, err := g.r.Read(g.in[:])
	chunk := g.in[:n]
	if int64(n) > g.left {
		chunk = chunk[:g.left]
		err = fmt.Errorf("%w: body larger than %d bytes", ErrLimit, g.max)
	}
	g.left -= int64(len(chunk))
	g.out = g.obuf[:0]
	for _, c := range chunk {
		if ferr := g.scan(c); ferr != nil {
			err = ferr
			break
		}
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			g.out = append(g.out, "\uFFFD"...)
		} else {
			g.out = append(g.out, c)
		}
	}
	g.obuf = g.out[:0]
	if err != nil {
		g.err = err
	}
}

// scan advances the markup state by one byte.
func (g *guardReader) scan(c byte) error {
	switch g.st {
	case inText:
		if c == '<' {
			g.st, g.tagLen = afterLT, 1
		}
		return nil
	case afterLT:
		g.st = inTag
		if c == '!' {
			g.st = afterBang
		}
	case afterBang:
		g.st, g.run = inTag, 0
		switch c {
		case '-':
			g.st = afterDash
		case '[':
			g.st = inCDATAID
		}
	case afterDash:
		g.st, g.run = inTag, 0
		if c == '-' {
			g.st = inComment
		}
	case inCDATAID:
		g.matchCDATA(c)
	case inComment:
		g.closeAfterRun(c, '-')
		return nil
	case inCDATA:
		g.closeAfterRun(c, ']')
		return nil
	case inTag:
		g.tagByte(c)
	}
	g.tagLen++
	if g.tagLen > maxTagBytes && g.st != inText {
		return fmt.Errorf("%w: tag longer than %d bytes", ErrLimit, maxTagBytes)
	}
	return nil
}

func (g *guardReader) matchCDATA(c byte) {
	const id = "CDATA["
	switch {
	case c != id[g.run]:
		g.st = inTag
		g.tagByte(c)
	case g.run == len(id)-1:
		g.st, g.run = inCDATA, 0
	default:
		g.run++
	}
}

// closeAfterRun ends a comment ("-->") or CDATA section ("]]>") at a '>'
// that follows at least two of the given byte.
func (g *guardReader) closeAfterRun(c, runByte byte) {
	switch {
	case c == runByte:
		g.run++
	case c == '>' && g.run >= 2:
		g.st, g.run = inText, 0
	default:
		g.run = 0
	}
}

func (g *guardReader) tagByte(c byte) {
	switch {
	case g.quote != 0:
		if c == g.quote {
			g.quote = 0
		}
	case c == '"' || c == '\'':
		g.quote = c
	case c == '>':
		g.st = inText
	}
}
