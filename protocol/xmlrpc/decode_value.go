package xmlrpc

import (
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// value parses the content of an open <value> element through its end tag:
// either one typed element or untyped text, which is a string. Whitespace
// around a typed element is ignored; untyped text is kept as is.
func (p *parser) value() (Value, error) {
	p.items++
	if p.items > p.lim.MaxItems {
		return Value{}, fmt.Errorf("%w: more than %d values", ErrLimit, p.lim.MaxItems)
	}
	var text strings.Builder
	for {
		tok, err := p.next()
		if err != nil {
			return Value{}, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			return String(text.String()), nil
		case xml.StartElement:
			if !isSpace(text.String()) {
				return Value{}, errors.New("mixed text and element in <value>")
			}
			v, err := p.typed(t)
			if err != nil {
				return Value{}, err
			}
			return v, p.expectEnd("value")
		}
	}
}

// typed parses the typed element se inside a <value>.
func (p *parser) typed(se xml.StartElement) (Value, error) {
	switch name := se.Name.Local; name {
	case "array":
		return p.nested(p.array)
	case "struct":
		return p.nested(p.structure)
	case "nil":
		if err := p.expectEnd(name); err != nil {
			return Value{}, err
		}
		return Nil(), nil
	default:
		parse, ok := scalarParsers[name]
		if !ok {
			return Value{}, fmt.Errorf("unknown type <%s>", name)
		}
		s, err := p.text(se)
		if err != nil {
			return Value{}, err
		}
		v, err := parse(s)
		if err != nil {
			return Value{}, fmt.Errorf("<%s>: %w", name, err)
		}
		return v, nil
	}
}

// nested runs parse one array/struct level deeper, within MaxDepth.
func (p *parser) nested(parse func() (Value, error)) (Value, error) {
	p.depth++
	if p.depth > p.lim.MaxDepth {
		return Value{}, fmt.Errorf("%w: nesting deeper than %d", ErrLimit, p.lim.MaxDepth)
	}
	v, err := parse()
	p.depth--
	return v, err
}

// array parses an open <array>. The <data> wrapper is optional, as in
// Python's client, although supervisord's own parser requires it.
func (p *parser) array() (Value, error) {
	se, end, err := p.nextTag()
	if err != nil || end {
		return Array(), err
	}
	if se.Name.Local == "data" {
		vs, err := p.values(se)
		if err != nil {
			return Value{}, err
		}
		return Array(vs...), p.expectEnd("array")
	}
	if se.Name.Local != "value" {
		return Value{}, unexpected(se, "array")
	}
	v, err := p.value()
	if err != nil {
		return Value{}, fmt.Errorf("[0]: %w", err)
	}
	vs, err := p.values(xml.StartElement{Name: xml.Name{Local: "array"}})
	if err != nil {
		return Value{}, err
	}
	return Array(append([]Value{v}, vs...)...), nil
}

// values parses <value> elements up to the end of the open element parent.
func (p *parser) values(parent xml.StartElement) ([]Value, error) {
	var vs []Value
	for {
		se, end, err := p.nextTag()
		if err != nil || end {
			return vs, err
		}
		if se.Name.Local != "value" {
			return nil, unexpected(se, parent.Name.Local)
		}
		v, err := p.value()
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", len(vs), err)
		}
		vs = append(vs, v)
	}
}

// structure parses the <member> elements of an open <struct>.
func (p *parser) structure() (Value, error) {
	var ms []Member
	for {
		se, end, err := p.nextTag()
		if err != nil {
			return Value{}, err
		}
		if end {
			return Struct(ms...), nil
		}
		if se.Name.Local != "member" {
			return Value{}, unexpected(se, "struct")
		}
		m, err := p.member()
		if err != nil {
			return Value{}, err
		}
		ms = append(ms, m)
	}
}

// member parses an open <member>: one <name> and one <value>, in either
// order.
func (p *parser) member() (Member, error) {
	var m Member
	var haveName, haveValue bool
	for {
		se, end, err := p.nextTag()
		if err != nil {
			return m, err
		}
		if end {
			break
		}
		switch {
		case se.Name.Local == "name" && !haveName:
			m.Name, err = p.text(se)
			haveName = true
		case se.Name.Local == "value" && !haveValue:
			m.Value, err = p.value()
			haveValue = true
		default:
			err = unexpected(se, "member")
		}
		if err != nil {
			return m, fmt.Errorf("member %q: %w", m.Name, err)
		}
	}
	if !haveName || !haveValue {
		return m, fmt.Errorf("member %q: want <name> and <value>", m.Name)
	}
	return m, nil
}

// scalarParsers maps each scalar element name to the function that parses
// its text. Besides int and i4, i8 is accepted (Python's client accepts it
// too; supervisord's server does not).
var scalarParsers = map[string]func(string) (Value, error){
	"int":              parseInt,
	"i4":               parseInt,
	"i8":               parseInt,
	"boolean":          parseBool,
	"string":           func(s string) (Value, error) { return String(s), nil },
	"double":           parseDouble,
	"dateTime.iso8601": parseDateTime,
	"base64":           parseBase64,
}

func parseInt(s string) (Value, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return Value{}, fmt.Errorf("bad integer %q", truncate(s))
	}
	return Int(n), nil
}

func parseBool(s string) (Value, error) {
	switch strings.TrimSpace(s) {
	case "1", "true":
		return Bool(true), nil
	case "0", "false":
		return Bool(false), nil
	}
	return Value{}, fmt.Errorf("bad boolean %q", truncate(s))
}

func parseDouble(s string) (Value, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return Value{}, fmt.Errorf("bad double %q", truncate(s))
	}
	return Double(f), nil
}

// dateTimeLayouts are the forms accepted on decode: Python's and
// supervisord's first, then the ISO 8601 variants other peers send.
var dateTimeLayouts = []string{
	dateTimeLayout,
	"20060102T150405",
	"2006-01-02T15:04:05",
	"20060102T15:04:05Z",
	"20060102T150405Z",
	"2006-01-02T15:04:05Z",
}

func parseDateTime(s string) (Value, error) {
	s = strings.TrimSpace(s)
	for _, layout := range dateTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return DateTime(t), nil
		}
	}
	return Value{}, fmt.Errorf("bad dateTime %q", truncate(s))
}

// parseBase64 decodes standard base64, ignoring whitespace (Python writes
// 76-character lines) and tolerating missing padding.
func parseBase64(s string) (Value, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		return Value{}, fmt.Errorf("bad base64: %w", err)
	}
	return Base64(b), nil
}
