package protocol

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Header is the envelope header line supervisord writes before each event
// payload (supervisor.md §1.2):
//
//	ver:3.0 server:supervisor serial:31 pool:allev poolserial:31 eventname:TICK_5 len:15
//
// Len counts Unicode code points of the payload, not bytes; see the package
// documentation. The zero value is not a valid header.
type Header struct {
	Ver        string // always "3.0" from supervisord
	Server     string // the [supervisord] identifier
	Serial     int64  // global event serial, kept across reloads
	Pool       string // the listener pool name
	PoolSerial int64  // per-pool serial, reset on reload
	EventName  string // the concrete event type name
	Len        int    // payload length in code points
}

// Version is the only envelope version supervisord has ever written.
const Version = "3.0"

// Header keys, in wire order.
const (
	keyVer        = "ver"
	keyServer     = "server"
	keySerial     = "serial"
	keyPool       = "pool"
	keyPoolSerial = "poolserial"
	keyEventName  = "eventname"
	keyLen        = "len"
)

// String formats h as a header line without the trailing newline, with the
// tokens in supervisord's fixed order.
func (h Header) String() string {
	return fmt.Sprintf("ver:%s server:%s serial:%d pool:%s poolserial:%d eventname:%s len:%d",
		h.Ver, h.Server, h.Serial, h.Pool, h.PoolSerial, h.EventName, h.Len)
}

// Type returns the event type named by h.EventName.
func (h Header) Type() EventType { return EventType(h.EventName) }

// ParseHeader parses one envelope header line, with or without its
// trailing newline, accepting a len of at most [DefaultMaxPayload].
//
// Like childutils.get_headers, tokens are split on whitespace, may come in
// any order, and unknown keys are ignored; a duplicated key keeps its last
// value. Unlike get_headers, each token is split at its first ':' so a
// value may contain colons. All seven keys are required. Errors are
// [*HeaderError] wrapping [ErrMissingKey], [ErrBadToken], [ErrNotInteger],
// [ErrBadLen] or [ErrPayloadTooLarge].
func ParseHeader(line string) (Header, error) {
	return parseHeader(line, DefaultMaxPayload)
}

// parseHeader is ParseHeader with a caller-chosen len limit.
func parseHeader(line string, maxLen int) (Header, error) {
	line = strings.TrimRight(line, "\r\n")
	tok, err := ParseTokens(line)
	if err != nil {
		return Header{}, &HeaderError{Line: line, Err: err}
	}
	var h Header
	for _, k := range []string{keyVer, keyServer, keySerial, keyPool, keyPoolSerial, keyEventName, keyLen} {
		if _, ok := tok[k]; !ok {
			return Header{}, &HeaderError{Line: line, Key: k, Err: ErrMissingKey}
		}
	}
	h.Ver, h.Server, h.Pool, h.EventName = tok[keyVer], tok[keyServer], tok[keyPool], tok[keyEventName]
	if h.Serial, err = parseInt64(tok[keySerial]); err != nil {
		return Header{}, &HeaderError{Line: line, Key: keySerial, Err: err}
	}
	if h.PoolSerial, err = parseInt64(tok[keyPoolSerial]); err != nil {
		return Header{}, &HeaderError{Line: line, Key: keyPoolSerial, Err: err}
	}
	if h.Len, err = parseLen(tok[keyLen], maxLen); err != nil {
		return Header{}, &HeaderError{Line: line, Key: keyLen, Err: err}
	}
	return h, nil
}

// parseLen parses a payload or result length and checks it against max
// before anything is allocated for it.
func parseLen(v string, maxLen int) (int, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(v, "-"):
		return 0, fmt.Errorf("%w: %s exceeds %d", ErrPayloadTooLarge, v, maxLen)
	case err != nil || n < 0:
		return 0, fmt.Errorf("%w: %q", ErrBadLen, v)
	case n > int64(maxLen):
		return 0, fmt.Errorf("%w: %d exceeds %d", ErrPayloadTooLarge, n, maxLen)
	}
	return int(n), nil
}

// parseInt64 parses a decimal integer token value.
func parseInt64(v string) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrNotInteger, v)
	}
	return n, nil
}

// parseInt parses a decimal integer token value that fits an int.
func parseInt(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrNotInteger, v)
	}
	return n, nil
}

// ParseTokens splits line on whitespace into key:value tokens, each split
// at its first ':', the Go counterpart of childutils.get_headers. A
// repeated key keeps its last value. A token without ':' is an error
// wrapping [ErrBadToken]. An empty line yields an empty map.
func ParseTokens(line string) (map[string]string, error) {
	fields := strings.Fields(line)
	tok := make(map[string]string, len(fields))
	for _, f := range fields {
		k, v, ok := strings.Cut(f, ":")
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrBadToken, f)
		}
		tok[k] = v
	}
	return tok, nil
}

// validate checks that h can be written as one header line that parses
// back to the same fields: its string values must be free of whitespace.
func (h Header) validate() error {
	for _, kv := range [...][2]string{
		{keyVer, h.Ver}, {keyServer, h.Server}, {keyPool, h.Pool}, {keyEventName, h.EventName},
	} {
		if strings.IndexFunc(kv[1], unicode.IsSpace) >= 0 {
			return &HeaderError{Line: h.String(), Key: kv[0],
				Err: fmt.Errorf("%w: whitespace in %q", ErrBadValue, kv[1])}
		}
	}
	return nil
}
