package config

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// scan reads one file's text into st the way supervisord's parser does
// (Python's configparser.RawConfigParser with inline_comment_prefixes
// (";", "#") and strict=False, which is what supervisor/options.py sets up):
//
//   - lines end at \n, \r\n or \r;
//   - a line whose first non-blank character is ';' or '#' is a comment, and
//     so is the rest of a line from a ';' or '#' that follows whitespace
//     (`c=a;b` keeps "a;b", `c=a ;b` is "a");
//   - `[name]` opens a section (the name runs to the last ']'), name case
//     kept; a section seen again is reopened and merged;
//   - `name = value` or `name: value` at the first '=' or ':'; names are
//     lower-cased, names and values trimmed; a name seen again is replaced;
//   - a line indented deeper than the option line above it continues that
//     value (joined with "\n"), blank lines inside a value are kept, trailing
//     ones dropped;
//   - a line that is none of these is an error, but the whole file is read
//     first so that every such line is reported; a line before any section
//     header stops the scan.
//
// ini.v1's own lexer differs from this in too many places to be configured
// into it (quotes are special to it, `"""` and backslash continuations, an
// inline comment needs a space and not a tab, Python continuation lines are
// not indentation-relative, no line numbers), so the lexing is ours and
// ini.v1 holds the result (see store).
func scan(st *store, file string, data []byte, pb *problems) {
	if !utf8.Valid(data) {
		pb.fail(pos{file, invalidLine(data)}, "", "", errors.New("not valid UTF-8 text"))
		return
	}
	sc := scanner{st: st, file: file, pb: pb, indent: -1}
	sc.entries = make([]entry, 0, bytes.Count(data, []byte{'\n'})+1)
	text := string(data)
	for n := 1; text != ""; n++ {
		var line string
		line, text = cutLine(text)
		if !sc.line(n, line) {
			break
		}
	}
	sc.flush()
}

// invalidLine returns the line of the first byte that is not UTF-8.
func invalidLine(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			break
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line
}

// cutLine splits off the first line of text, without its line ending.
func cutLine(text string) (line, rest string) {
	i := strings.IndexAny(text, "\r\n")
	if i < 0 {
		return text, ""
	}
	if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
		return text[:i], text[i+2:]
	}
	return text[:i], text[i+1:]
}

type scanner struct {
	st      *store
	file    string
	pb      *problems
	section string // current section, "" before the first header
	option  string // option that continuation lines extend, "" after a header
	indent  int    // indentation of the last header or option line
	// Every assignment in the file in order, stored at the end; a later
	// assignment to the same option wins there, and continuation lines
	// extend the last one.
	entries []entry
}

type entry struct {
	key   optKey
	value string
	more  []string // continuation lines
}

// line handles line number n; it returns false when the scan must stop.
func (sc *scanner) line(n int, line string) bool {
	start := commentStart(line)
	value := pyStrip(line)
	if start >= 0 {
		value = pyStrip(line[:start])
	}
	if value == "" {
		// A blank line inside a value is kept (Python's
		// empty_lines_in_values); one that only holds a comment is not.
		if start < 0 && sc.section != "" && sc.option != "" {
			sc.extend("")
		}
		return true
	}
	indent := indentOf(line)
	if sc.section != "" && sc.option != "" && indent > sc.indent {
		sc.extend(value)
		return true
	}
	sc.indent = indent
	at := pos{sc.file, n}
	if name, ok := sectionHeader(value); ok {
		sc.section, sc.option = name, ""
		sc.st.addSection(name, at)
		return true
	}
	if sc.section == "" {
		sc.pb.fail(at, "", "", fmt.Errorf("%q is outside any section (want a [section] header first)", value))
		return false
	}
	i := strings.IndexAny(value, "=:")
	name := strings.ToLower(pyStrip(value[:max(i, 0)]))
	if i < 0 || name == "" {
		if i >= 0 {
			sc.option = "" // configparser ends the value above at "=x" but not at "x"
		}
		sc.pb.fail(at, sc.section, "", fmt.Errorf("cannot parse %q (want name = value or name: value)", value))
		return true // configparser reads on to report every bad line
	}
	sc.option = name
	sc.set(optKey{sc.section, name}, pyStrip(value[i+1:]), at)
	return true
}

func (sc *scanner) set(k optKey, value string, at pos) {
	sc.entries = append(sc.entries, entry{key: k, value: value})
	sc.st.setPos(k, at)
}

// extend adds a continuation line to the current option's value.
func (sc *scanner) extend(line string) {
	e := &sc.entries[len(sc.entries)-1]
	e.more = append(e.more, line)
}

// flush joins the lines of every value and stores them.
func (sc *scanner) flush() {
	for _, e := range sc.entries {
		v := e.value
		if e.more != nil {
			v = strings.TrimRightFunc(v+"\n"+strings.Join(e.more, "\n"), pySpace)
		}
		sc.st.set(e.key.sec, e.key.opt, v)
	}
}

// commentStart returns the byte offset where an inline or full-line
// comment starts, or -1. It follows configparser exactly, including its
// quirk: the prefixes are searched for in rounds, each round moving every
// prefix to its next occurrence, and the first round in which some
// occurrence follows whitespace decides ("a;b ;c #d" cuts at "#d").
func commentStart(line string) int {
	if s := pyStrip(line); s != "" && (s[0] == ';' || s[0] == '#') {
		return 0
	}
	prefixes := [2]byte{';', '#'}
	from := [2]int{-1, -1} // last occurrence of each prefix; -2 once exhausted
	for from[0] != -2 || from[1] != -2 {
		start := -1
		for k, p := range prefixes {
			if from[k] == -2 {
				continue
			}
			i := strings.IndexByte(line[from[k]+1:], p)
			if i < 0 {
				from[k] = -2
				continue
			}
			i += from[k] + 1
			from[k] = i
			if r, _ := utf8.DecodeLastRuneInString(line[:i]); i == 0 || pySpace(r) {
				if start < 0 || i < start {
					start = i
				}
			}
		}
		if start >= 0 {
			return start
		}
	}
	return -1
}

// sectionHeader reports whether value is a section header: '[', at least
// one character, and the name ending at the last ']'.
func sectionHeader(value string) (string, bool) {
	if value == "" || value[0] != '[' {
		return "", false
	}
	i := strings.LastIndexByte(value, ']')
	if i < 2 {
		return "", false
	}
	return value[1:i], true
}

// indentOf counts the characters before the first non-blank one.
func indentOf(line string) int {
	n := 0
	for _, r := range line {
		if !pySpace(r) {
			break
		}
		n++
	}
	return n
}

// pySpace is Python's str.isspace for one character: Go's unicode.IsSpace
// plus the four ASCII separators \x1c-\x1f.
func pySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

func pyStrip(s string) string { return strings.TrimFunc(s, pySpace) }
