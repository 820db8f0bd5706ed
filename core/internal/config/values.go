package config

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// This file holds the value syntaxes of supervisor/datatypes.py. Each
// parser takes the option's text after expansion and returns a Go value or
// an error that says what is accepted; the caller adds the position.

// parseInt reads an integer the way Python's int(text) does: surrounding
// whitespace, an optional sign, and digits that single underscores may
// separate ("1_000"). Leading zeros are fine ("010" is 10).
func parseInt(text string) (int, error) {
	n, err := pyInt(text, 10)
	if err != nil {
		return 0, fmt.Errorf("invalid integer %q", text)
	}
	return n, nil
}

func pyInt(text string, base int) (int, error) {
	s := pyStrip(text)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	if base == 8 && len(s) > 1 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O') {
		s = s[2:]
		s = strings.TrimPrefix(s, "_") // int("0o_7", 8) is 7
	}
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' || strings.Contains(s, "__") {
		return 0, errors.New("invalid syntax")
	}
	u, err := strconv.ParseUint(strings.ReplaceAll(s, "_", ""), base, 63)
	if err != nil {
		return 0, err
	}
	if neg {
		return -int(u), nil
	}
	return int(u), nil
}

// parseCount is parseInt for options that cannot be negative (numprocs,
// startretries, *_backups...). The reference takes a negative number and
// misbehaves later; we refuse it.
func parseCount(text string) (int, error) {
	n, err := parseInt(text)
	if err == nil && n < 0 {
		err = fmt.Errorf("%d is negative (want 0 or more)", n)
	}
	return n, err
}

var (
	truthy = []string{"yes", "true", "on", "1"}
	falsy  = []string{"no", "false", "off", "0"}
)

// parseBool accepts true/yes/on/1 and false/no/off/0 in any case.
func parseBool(text string) (bool, error) {
	s := strings.ToLower(text)
	switch {
	case contains(truthy, s):
		return true, nil
	case contains(falsy, s):
		return false, nil
	}
	return false, fmt.Errorf("invalid boolean %q (want true, false, yes, no, on, off, 1 or 0)", text)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var sizeUnits = []struct {
	suffix string
	mult   int64
}{{"kb", 1 << 10}, {"mb", 1 << 20}, {"gb", 1 << 30}}

// parseByteSize reads a size: plain bytes, or a number followed by KB, MB
// or GB in any case, binary multiples ("50MB" is 52428800). Whitespace may
// sit before the suffix ("10 MB"); "5B", "5k" and "1.5MB" are refused, as
// are negative sizes.
func parseByteSize(text string) (int64, error) {
	s := strings.ToLower(text)
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = s[:len(s)-2], u.mult
			break
		}
	}
	n, err := pyInt(s, 10)
	if err != nil || n < 0 || int64(n) > math.MaxInt64/mult {
		return 0, fmt.Errorf("invalid size %q (want a number of bytes, or of KB, MB or GB such as 50MB)", text)
	}
	return int64(n) * mult, nil
}

// parseExitCodes reads a comma-separated list of exit statuses 0-255; an
// empty value is an empty list.
func parseExitCodes(text string) ([]int, error) {
	if text == "" {
		return []int{}, nil
	}
	var codes []int
	for _, f := range strings.Split(text, ",") {
		n, err := pyInt(f, 10)
		if err != nil || n < 0 || n > 255 {
			return nil, fmt.Errorf("invalid exit code %q in %q (want numbers from 0 to 255 separated by commas)", pyStrip(f), text)
		}
		codes = append(codes, n)
	}
	return codes, nil
}

// parseAutoRestart reads autorestart: a boolean, or "unexpected".
func parseAutoRestart(text string) (AutoRestart, error) {
	s := strings.ToLower(text)
	switch {
	case s == "unexpected":
		return RestartUnexpected, nil
	case contains(truthy, s):
		return RestartAlways, nil
	case contains(falsy, s):
		return RestartNever, nil
	}
	return 0, fmt.Errorf("invalid value %q (want true, false or unexpected)", text)
}

// parseOctal reads a permission mask written in octal ("022", "0o700"),
// as umask, chmod and socket_mode are.
func parseOctal(text string) (uint32, error) {
	n, err := pyInt(text, 8)
	if err != nil || n < 0 || n > 0o7777 {
		return 0, fmt.Errorf("invalid octal mode %q (want digits 0-7 such as 022 or 0700)", text)
	}
	return uint32(n), nil
}

// parseLogLevel reads supervisord's level names.
func parseLogLevel(text string) (LogLevel, error) {
	s := strings.ToLower(text)
	for l, name := range levelNames {
		if name == s {
			return l, nil
		}
	}
	return 0, fmt.Errorf("invalid log level %q (want critical, error, warn, info, debug, trace or blather)", text)
}

// parseName checks a program, group or process name: it is trimmed and
// must not contain a space, ':' or '/', which would break namespecs, the
// event protocol and web UI URLs.
func parseName(text string) (string, error) {
	s := pyStrip(text)
	if s == "" {
		return "", errors.New("empty name")
	}
	if i := strings.IndexAny(s, " :/"); i >= 0 {
		return "", fmt.Errorf("invalid name %q: it contains %q (names cannot contain a space, ':' or '/')", text, s[i])
	}
	return s, nil
}

// parseList splits a comma-separated list and trims each item; an empty
// value is an empty list.
func parseList(text string) []string {
	if text == "" {
		return nil
	}
	items := strings.Split(text, ",")
	for i, s := range items {
		items[i] = pyStrip(s)
	}
	return items
}

// parseInetAddress reads [inet_http_server] port: "host:port", ":port",
// "*:port" or "port". The host is lower-cased; "" means every interface.
func parseInetAddress(text string) (host string, port int, err error) {
	portText := text
	if i := strings.LastIndexByte(text, ':'); i >= 0 {
		host, portText = strings.ToLower(text[:i]), text[i+1:]
	}
	port, err = pyInt(portText, 10)
	if err != nil || port < 1 || port > 65535 {
		return "", 0, fmt.Errorf("invalid address %q (want host:port, *:port or port, with a port from 1 to 65535)", text)
	}
	if host == "*" {
		host = ""
	}
	return host, port, nil
}
