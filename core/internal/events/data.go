package events

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// DecodeOutput turns bytes a child wrote into the data of a PROCESS_LOG or
// PROCESS_COMMUNICATION payload as the reference does (events.py
// ProcessLogEvent.payload): valid UTF-8 as is; anything else as
// "Undecodable: " followed by Python's repr of the bytes, such as
// Undecodable: b'caf\xe9\n'. Go's UTF-8 validity is Python's strict
// decoder's: both refuse overlong forms, surrogates and code points above
// U+10FFFF.
func DecodeOutput(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return "Undecodable: " + Repr(b)
}

// Repr returns Python 3's repr() of the bytes object b, byte for byte:
// b'...' quoted with single quotes, or with double quotes when b holds a
// single quote and no double quote; backslash and the quote escaped; \t,
// \n and \r; other bytes below 0x20 or above 0x7e as \xhh in lower-case
// hex; printable ASCII as is. The reference writes undecodable output and
// its DEBG copies of child output this way.
func Repr(b []byte) string {
	quote := byte('\'')
	if bytes.IndexByte(b, '\'') >= 0 && bytes.IndexByte(b, '"') < 0 {
		quote = '"'
	}
	var sb strings.Builder
	sb.Grow(len(b) + 3)
	sb.WriteByte('b')
	sb.WriteByte(quote)
	for _, c := range b {
		writeReprByte(&sb, c, quote)
	}
	sb.WriteByte(quote)
	return sb.String()
}

func writeReprByte(sb *strings.Builder, c, quote byte) {
	const hex = "0123456789abcdef"
	switch {
	case c == quote || c == '\\':
		sb.WriteByte('\\')
		sb.WriteByte(c)
	case c == '\t':
		sb.WriteString(`\t`)
	case c == '\n':
		sb.WriteString(`\n`)
	case c == '\r':
		sb.WriteString(`\r`)
	case c < 0x20 || c >= 0x7f:
		sb.WriteString(`\x`)
		sb.WriteByte(hex[c>>4])
		sb.WriteByte(hex[c&0xf])
	default:
		sb.WriteByte(c)
	}
}
