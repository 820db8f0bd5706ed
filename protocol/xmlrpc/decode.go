package xmlrpc

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// DecodeRequest reads one XML-RPC methodCall from r, within lim, and
// returns the method name and its parameters. A missing <params> element
// means no parameters, as supervisord allows. An empty method name is an
// error (supervisord answers it with HTTP 400).
//
// Decoding is streaming and bounded by lim; see [Limits].
func DecodeRequest(r io.Reader, lim Limits) (method string, params []Value, err error) {
	p := newParser(r, lim)
	method, params, err = p.request()
	if err != nil {
		return "", nil, fmt.Errorf("decode request: %w", err)
	}
	return method, params, nil
}

// DecodeResponse reads one XML-RPC methodResponse from r, within lim. A
// response holding a value returns it; a fault response returns a *[Fault]
// as the error, so that errors.Is(err, ErrBadName) and errors.As work on
// it. Any other error means the body could not be decoded.
//
// Decoding is streaming and bounded by lim; see [Limits].
func DecodeResponse(r io.Reader, lim Limits) (Value, error) {
	p := newParser(r, lim)
	v, f, err := p.response()
	if err != nil {
		return Value{}, fmt.Errorf("decode response: %w", err)
	}
	if f != nil {
		return Value{}, f
	}
	return v, nil
}

// parser is a recursive-descent parser over the token stream of an
// xml.Decoder. Only the XML-RPC grammar is accepted, so unexpected elements
// end the parse at once and element nesting is bounded by lim.MaxDepth.
type parser struct {
	d     *xml.Decoder
	lim   Limits
	depth int // current array/struct nesting
	items int // values seen so far
}

func newParser(r io.Reader, lim Limits) *parser {
	lim = lim.withDefaults()
	d := xml.NewDecoder(newGuardReader(r, lim.MaxBytes))
	d.Strict = true
	return &parser{d: d, lim: lim}
}

func (p *parser) request() (string, []Value, error) {
	if err := p.expectStart("methodCall"); err != nil {
		return "", nil, err
	}
	var method string
	var params []Value
	for {
		se, end, err := p.nextTag()
		if err != nil {
			return "", nil, err
		}
		if end {
			break
		}
		switch se.Name.Local {
		case "methodName":
			method, err = p.text(se)
		case "params":
			params, err = p.params()
		default:
			err = unexpected(se, "methodCall")
		}
		if err != nil {
			return "", nil, err
		}
	}
	if method == "" {
		return "", nil, errors.New("missing method name")
	}
	if params == nil {
		params = []Value{}
	}
	return method, params, p.expectEOF()
}

func (p *parser) response() (Value, *Fault, error) {
	if err := p.expectStart("methodResponse"); err != nil {
		return Value{}, nil, err
	}
	se, end, err := p.nextTag()
	if err != nil {
		return Value{}, nil, err
	}
	if end {
		return Value{}, nil, errors.New("empty methodResponse")
	}
	var v Value
	var f *Fault
	switch se.Name.Local {
	case "params":
		v, err = p.responseParams()
	case "fault":
		f, err = p.fault()
	default:
		err = unexpected(se, "methodResponse")
	}
	if err == nil {
		err = p.expectEnd("methodResponse")
	}
	if err == nil {
		err = p.expectEOF()
	}
	return v, f, err
}

func (p *parser) responseParams() (Value, error) {
	vs, err := p.params()
	if err != nil {
		return Value{}, err
	}
	if len(vs) != 1 {
		return Value{}, fmt.Errorf("want 1 response param, got %d", len(vs))
	}
	return vs[0], nil
}

// fault parses the <value><struct>...</struct></value> of an open <fault>.
func (p *parser) fault() (*Fault, error) {
	if err := p.expectStart("value"); err != nil {
		return nil, err
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	if err := p.expectEnd("fault"); err != nil {
		return nil, err
	}
	f, ok := faultFromValue(v)
	if !ok {
		return nil, fmt.Errorf("malformed fault %v", v)
	}
	return f, nil
}

// params parses the <param> elements of an open <params>.
func (p *parser) params() ([]Value, error) {
	vs := []Value{}
	for {
		se, end, err := p.nextTag()
		if err != nil || end {
			return vs, err
		}
		if se.Name.Local != "param" {
			return nil, unexpected(se, "params")
		}
		if err := p.expectStart("value"); err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, fmt.Errorf("param %d: %w", len(vs), err)
		}
		if err := p.expectEnd("param"); err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
}

// next returns the next start element, end element or character data,
// skipping comments and processing instructions. Directives (<!DOCTYPE>)
// are refused: XML-RPC has none, and refusing them keeps DTD tricks out.
func (p *parser) next() (xml.Token, error) {
	for {
		tok, err := p.d.Token()
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement, xml.EndElement, xml.CharData:
			return t, nil
		case xml.Directive:
			return nil, errors.New("unexpected <!" + firstWord(t) + ">")
		}
	}
}

// nextTag returns the next start element, or end=true at an end element,
// skipping whitespace; other text is an error.
func (p *parser) nextTag() (se xml.StartElement, end bool, err error) {
	for {
		tok, err := p.next()
		if err != nil {
			return se, false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, false, nil
		case xml.EndElement:
			return se, true, nil
		case xml.CharData:
			if !isSpace(t) {
				return se, false, fmt.Errorf("unexpected text %q", truncate(string(t)))
			}
		}
	}
}

func (p *parser) expectStart(name string) error {
	se, end, err := p.nextTag()
	switch {
	case err != nil:
		return err
	case end:
		return fmt.Errorf("want <%s>, got end of element", name)
	case se.Name.Local != name:
		return fmt.Errorf("want <%s>, got <%s>", name, se.Name.Local)
	}
	return nil
}

// expectEnd consumes the end tag of the open element called name;
// encoding/xml in strict mode has already checked that the names match.
func (p *parser) expectEnd(name string) error {
	se, end, err := p.nextTag()
	switch {
	case err != nil:
		return err
	case !end:
		return unexpected(se, name)
	}
	return nil
}

// expectEOF allows only whitespace, comments and processing instructions
// after the root element.
func (p *parser) expectEOF() error {
	for {
		tok, err := p.d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !isSpace(t) {
				return errors.New("trailing text after root element")
			}
		case xml.StartElement, xml.Directive:
			return errors.New("trailing data after root element")
		}
	}
}

// text reads the character data of the open element se up to its end tag.
// Child elements are an error.
func (p *parser) text(se xml.StartElement) (string, error) {
	var b strings.Builder
	for {
		tok, err := p.next()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			return "", unexpected(t, se.Name.Local)
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

func unexpected(se xml.StartElement, parent string) error {
	return fmt.Errorf("unexpected <%s> in <%s>", se.Name.Local, parent)
}

func isSpace[T ~string | ~[]byte](b T) bool {
	for i := range len(b) {
		if c := b[i]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

func firstWord(b []byte) string {
	s, _, _ := strings.Cut(string(b[:min(len(b), 32)]), " ")
	return s
}

func truncate(s string) string {
	if len(s) > 32 {
		return s[:32] + "..."
	}
	return s
}
