package xmlrpc

import (
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/lancerhq/lancer/internal/pyrepr"
)

// The encoder reproduces the bytes of Python's xmlrpc.client.dumps, which
// is what supervisord (xmlrpc_marshal) and supervisorctl send, so that
// responses and requests are byte-for-byte those of Python wherever the
// value can be represented identically (see testdata/golden).

// dateTimeLayout is dateTime.iso8601 as Python writes it and supervisord
// parses it (%Y%m%dT%H:%M:%S).
const dateTimeLayout = "20060102T15:04:05"

const xmlHeader = "<?xml version='1.0'?>\n"

// EncodeRequest writes an XML-RPC methodCall for method with params to w.
// Each param is converted with [Marshal]. The document is built in memory
// and written with one Write call.
func EncodeRequest(w io.Writer, method string, params ...any) error {
	vs, err := marshalParams(params)
	if err != nil {
		return fmt.Errorf("encode request %s: %w", method, err)
	}
	var e encoder
	e.str(xmlHeader + "<methodCall>\n<methodName>")
	e.text(method)
	e.str("</methodName>\n<params>\n")
	for _, v := range vs {
		e.str("<param>\n")
		e.value(v)
		e.str("</param>\n")
	}
	e.str("</params>\n</methodCall>\n")
	return e.flush(w, "encode request "+method)
}

// EncodeResponse writes an XML-RPC methodResponse carrying v to w. v is
// converted with [Marshal]; a *[Fault] is written as a fault response, as
// with [EncodeFault]. The document is written with one Write call, so a
// server can set Content-Length from a buffer.
func EncodeResponse(w io.Writer, v any) error {
	bp := getBuf()
	defer putBuf(bp)
	b, err := AppendResponse((*bp)[:0], v)
	*bp = b
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	return nil
}

// AppendResponse appends the methodResponse [EncodeResponse] writes to
// dst and returns the extended slice: a server that keeps its buffers
// answers a large response (getAllProcessInfo) without growing one from
// nothing each time.
func AppendResponse(dst []byte, v any) ([]byte, error) {
	if f, ok := v.(*Fault); ok && f != nil {
		return AppendFault(dst, f)
	}
	e := encoder{buf: dst}
	e.str(xmlHeader + "<methodResponse>\n<params>\n<param>\n")
	e.reflectValue(reflect.ValueOf(v), 0)
	e.str("</param>\n</params>\n</methodResponse>\n")
	if e.err != nil {
		if _, err := marshal(reflect.ValueOf(v), 0); err != nil {
			return dst, fmt.Errorf("encode response: %w", err)
		}
		return dst, fmt.Errorf("encode response: %w", e.err)
	}
	return e.buf, nil
}

// EncodeFault writes an XML-RPC fault response for f to w: a struct with
// faultCode (int) and faultString (string), in that order, as supervisord
// sends it.
func EncodeFault(w io.Writer, f *Fault) error {
	b, err := AppendFault(nil, f)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("encode fault: %w", err)
	}
	return nil
}

// AppendFault appends the fault response [EncodeFault] writes to dst.
func AppendFault(dst []byte, f *Fault) ([]byte, error) {
	if f == nil {
		return dst, fmt.Errorf("encode fault: nil fault")
	}
	e := encoder{buf: dst}
	e.str(xmlHeader + "<methodResponse>\n<fault>\n")
	e.value(f.value())
	e.str("</fault>\n</methodResponse>\n")
	if e.err != nil {
		return dst, fmt.Errorf("encode fault: %w", e.err)
	}
	return e.buf, nil
}

// bufPool keeps encoding buffers between documents; one beyond
// maxPooledBuf is left to the collector rather than held forever.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

const maxPooledBuf = 8 << 20

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

func putBuf(bp *[]byte) {
	if cap(*bp) <= maxPooledBuf {
		*bp = (*bp)[:0]
		bufPool.Put(bp)
	}
}

func marshalParams(params []any) ([]Value, error) {
	vs := make([]Value, len(params))
	for i, p := range params {
		v, err := marshal(reflect.ValueOf(p), 0)
		if err != nil {
			return nil, fmt.Errorf("param %d: %w", i, err)
		}
		vs[i] = v
	}
	return vs, nil
}

// encoder appends a document to buf; err records the first value that
// cannot be encoded.
type encoder struct {
	buf []byte
	err error
}

func (e *encoder) str(s string) { e.buf = append(e.buf, s...) }

func (e *encoder) flush(w io.Writer, op string) error {
	if e.err != nil {
		return fmt.Errorf("%s: %w", op, e.err)
	}
	if _, err := w.Write(e.buf); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// value writes one <value> element followed by a newline, like Python's
// Marshaller, except for nil, which Python writes without the newline.
func (e *encoder) value(v Value) {
	switch x := v.v.(type) {
	case nilValue:
		e.str("<value><nil/></value>")
		return
	case int64:
		e.int(x)
	case bool:
		if x {
			e.str("<value><boolean>1</boolean></value>\n")
		} else {
			e.str("<value><boolean>0</boolean></value>\n")
		}
	case string:
		e.str("<value><string>")
		e.text(x)
		e.str("</string></value>\n")
	case float64:
		e.str("<value><double>" + pyrepr.Float(x) + "</double></value>\n")
	case time.Time:
		e.dateTime(x)
	case []byte:
		e.base64(x)
	case []Value:
		e.str("<value><array><data>\n")
		for _, el := range x {
			e.value(el)
		}
		e.str("</data></array></value>\n")
	case []Member:
		e.members(x)
	default:
		if e.err == nil {
			e.err = fmt.Errorf("cannot encode invalid value")
		}
	}
}

func (e *encoder) int(n int64) {
	if n < math.MinInt32 || n > math.MaxInt32 {
		// Python refuses these ("int exceeds XML-RPC limits"); <i8> is the
		// common extension its client decodes.
		e.str("<value><i8>")
		e.buf = strconv.AppendInt(e.buf, n, 10)
		e.str("</i8></value>\n")
		return
	}
	e.str("<value><int>")
	e.buf = strconv.AppendInt(e.buf, n, 10)
	e.str("</int></value>\n")
}

func (e *encoder) dateTime(t time.Time) {
	if t.Year() < 0 || t.Year() > 9999 {
		if e.err == nil {
			e.err = fmt.Errorf("dateTime year %d outside 0000-9999", t.Year())
		}
		return
	}
	e.str("<value><dateTime.iso8601>" + t.Format(dateTimeLayout) + "</dateTime.iso8601></value>\n")
}

// base64 writes b the way Python's base64.encodebytes does: lines of at
// most 76 characters, each ending in a newline, after an opening newline.
func (e *encoder) base64(b []byte) {
	e.str("<value><base64>\n")
	enc := base64.StdEncoding.EncodeToString(b)
	for len(enc) > 76 {
		e.str(enc[:76] + "\n")
		enc = enc[76:]
	}
	if enc != "" {
		e.str(enc + "\n")
	}
	e.str("</base64></value>\n")
}

func (e *encoder) members(ms []Member) {
	e.str("<value><struct>\n")
	for _, m := range ms {
		e.str("<member>\n<name>")
		e.text(m.Name)
		e.str("</name>\n")
		e.value(m.Value)
		e.str("</member>\n")
	}
	e.str("</struct></value>\n")
}

// text appends s escaped for XML character data. Like Python it escapes
// only &, < and > and keeps non-ASCII text as UTF-8. Unlike Python it
// keeps the document well-formed and the text intact:
//
//   - CR is written as &#13;, because XML parsers (expat included) turn a
//     raw CR into LF; Python writes it raw and so loses it.
//   - Characters XML 1.0 forbids (C0 controls other than tab, LF and CR,
//     U+FFFE, U+FFFF) and invalid UTF-8 are replaced by U+FFFD, as
//     encoding/xml does. Python writes them raw, producing a document that
//     no XML parser, Python's included, accepts.
func (e *encoder) text(s string) {
	if !needsEscape(s) {
		e.str(s)
		return
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '&':
			e.str("&amp;")
		case r == '<':
			e.str("&lt;")
		case r == '>':
			e.str("&gt;")
		case r == '\r':
			e.str("&#13;")
		case r == utf8.RuneError && size == 1, !isXMLChar(r):
			e.str("\uFFFD")
		default:
			e.buf = utf8.AppendRune(e.buf, r)
		}
	}
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if escapeByte[s[i]] {
			return true
		}
	}
	return false
}

// escapeByte marks the bytes text cannot copy as they are: markup, the
// control characters but tab and newline, and every non-ASCII byte
// (checked as UTF-8 and as XML characters).
var escapeByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c == '&' || c == '<' || c == '>' || c < 0x20 && c != '\t' && c != '\n' || c >= utf8.RuneSelf
	}
	return t
}()

// isXMLChar reports whether r is a Char in the XML 1.0 grammar.
func isXMLChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= utf8.MaxRune
}
