package config

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// names is what %(name)s may refer to in one option: the section's own
// names (here, program_name, process_num...) over supervisord's
// environment as ENV_X. Values are strings, or ints for process_num and
// numprocs.
type names struct {
	local map[string]any
	env   map[string]string // "ENV_X" -> value
}

func (nm names) lookup(key string) (any, bool) {
	if v, ok := nm.local[key]; ok {
		return v, true
	}
	v, ok := nm.env[key]
	return v, ok
}

// available lists the names for an error message. The environment is
// summarised: it is long, and differs between machines.
func (nm names) available() string {
	var keys []string
	for k := range nm.local {
		if !strings.HasPrefix(k, "ENV_") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return strings.Join(append(keys, "ENV_<variable>"), ", ")
}

// maxWidth bounds printf widths and precisions; Python's are bounded only
// by memory.
const maxWidth = 1024

// expand performs Python's `text % mapping`, which is what supervisord's
// expansions are: %(name)s and %(name)d with printf flags, width and
// precision (%(process_num)02d), and %% for a literal %. A %s without a
// name, which Python would fill with the whole mapping, is refused, as are
// the float and character conversions and repr of text, which nobody
// writes in a config.
func expand(text string, nm names) (string, error) {
	if !strings.Contains(text, "%") {
		return text, nil
	}
	var b strings.Builder
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '%')
		if j < 0 {
			b.WriteString(text[i:])
			break
		}
		b.WriteString(text[i : i+j])
		n, err := expandOne(&b, text, i+j, nm)
		if err != nil {
			return "", err
		}
		i = i + j + n
	}
	return b.String(), nil
}

// spec is one parsed conversion specification.
type spec struct {
	key                string
	value              any
	minus, plus, space bool
	alt, zero          bool
	width, prec        int // -1 when absent
	conv               byte
}

// expandOne expands the specification starting at text[at] ('%') into b
// and returns its length.
func expandOne(b *strings.Builder, text string, at int, nm names) (int, error) {
	if at+1 < len(text) && text[at+1] == '%' {
		b.WriteByte('%')
		return 2, nil
	}
	sp, end, err := parseSpec(text, at, nm)
	if err != nil {
		return 0, err
	}
	s, err := convert(sp)
	if err != nil {
		return 0, formatError(text, err.Error())
	}
	b.WriteString(s)
	return end - at, nil
}

func formatError(text, msg string) error {
	return fmt.Errorf("bad %%-expansion in %q: %s", text, msg)
}

// parseSpec parses "%(key)flags width .prec conv" at text[at] and looks
// the key up, in Python's order: an unknown name is reported before a
// malformed rest.
func parseSpec(text string, at int, nm names) (spec, int, error) {
	sp := spec{width: -1, prec: -1}
	i := at + 1
	if i >= len(text) || text[i] != '(' {
		return sp, 0, formatError(text, "a % must be followed by (name) (write %% for a literal %)")
	}
	depth, k := 1, i+1
	for ; k < len(text) && depth > 0; k++ {
		switch text[k] {
		case '(':
			depth++
		case ')':
			depth--
		}
	}
	if depth > 0 {
		return sp, 0, formatError(text, "incomplete format key")
	}
	sp.key, i = text[i+1:k-1], k
	v, ok := nm.lookup(sp.key)
	if !ok {
		return sp, 0, fmt.Errorf("unknown name %q in %q (available: %s)", sp.key, text, nm.available())
	}
	sp.value = v
	for ; i < len(text) && strings.IndexByte("-+ #0", text[i]) >= 0; i++ {
		sp.setFlag(text[i])
	}
	var err error
	if sp.width, i, err = number(text, i); err != nil {
		return sp, 0, err
	}
	if i < len(text) && text[i] == '.' {
		if sp.prec, i, err = number(text, i+1); err != nil {
			return sp, 0, err
		}
		sp.prec = max(sp.prec, 0)
	}
	for i < len(text) && strings.IndexByte("hlL", text[i]) >= 0 {
		i++
	}
	if i >= len(text) {
		return sp, 0, formatError(text, "incomplete format")
	}
	sp.conv = text[i]
	if strings.IndexByte("sdiuoxXra", sp.conv) < 0 {
		r, _ := utf8.DecodeRuneInString(text[i:])
		return sp, 0, formatError(text, fmt.Sprintf("unsupported format character %q at index %d", r, utf8.RuneCountInString(text[:i])))
	}
	return sp, i + 1, nil
}

func (sp *spec) setFlag(c byte) {
	switch c {
	case '-':
		sp.minus = true
	case '+':
		sp.plus = true
	case ' ':
		sp.space = true
	case '#':
		sp.alt = true
	case '0':
		sp.zero = true
	}
}

// number reads a decimal width or precision at text[i]; -1 if there is none.
func number(text string, i int) (int, int, error) {
	if i < len(text) && text[i] == '*' {
		return 0, i, formatError(text, "* width or precision needs a value list, not names")
	}
	j := i
	for j < len(text) && text[j] >= '0' && text[j] <= '9' {
		j++
	}
	if j == i {
		return -1, i, nil
	}
	n, err := strconv.Atoi(text[i:j])
	if err != nil || n > maxWidth {
		return 0, j, formatError(text, "width or precision too big")
	}
	return n, j, nil
}

// convert formats sp.value according to sp.
func convert(sp spec) (string, error) {
	v := sp.value
	if n, ok := v.(int); ok && (sp.conv == 'r' || sp.conv == 'a') {
		v, sp.conv = strconv.Itoa(n), 's'
	}
	if sp.conv == 's' {
		s := fmt.Sprint(v)
		if sp.prec >= 0 && utf8.RuneCountInString(s) > sp.prec {
			s = string([]rune(s)[:sp.prec])
		}
		return pad(s, sp, false), nil
	}
	n, ok := v.(int)
	if !ok && (sp.conv == 'r' || sp.conv == 'a') {
		return "", errors.New("%" + string(sp.conv) + " (Python repr) is not supported; use %(" + sp.key + ")s")
	}
	if !ok {
		return "", errors.New("%" + string(sp.conv) + " needs a number, and " + sp.key + " is text")
	}
	return pad(formatInt(n, sp), sp, true), nil
}

// formatInt renders n with sign, base prefix and precision, before padding.
func formatInt(n int, sp spec) string {
	base, prefix := 10, ""
	switch sp.conv {
	case 'o':
		base, prefix = 8, "0o"
	case 'x':
		base, prefix = 16, "0x"
	case 'X':
		base, prefix = 16, "0X"
	}
	u := uint64(n)
	sign := ""
	switch {
	case n < 0:
		sign, u = "-", uint64(-n)
	case sp.plus:
		sign = "+"
	case sp.space:
		sign = " "
	}
	digits := strconv.FormatUint(u, base)
	if sp.conv == 'X' {
		digits = strings.ToUpper(digits)
	}
	if len(digits) < sp.prec {
		digits = strings.Repeat("0", sp.prec-len(digits)) + digits
	}
	if !sp.alt {
		prefix = ""
	}
	return sign + prefix + digits
}

// pad applies the width: spaces on the left, or on the right with '-', or
// for numbers zeros after the sign and prefix with '0'.
func pad(s string, sp spec, numeric bool) string {
	n := sp.width - utf8.RuneCountInString(s)
	if n <= 0 {
		return s
	}
	switch {
	case sp.minus:
		return s + strings.Repeat(" ", n)
	case sp.zero && numeric:
		k := len(s) - len(strings.TrimLeft(s, "+- "))
		if sp.alt && sp.conv != 'd' && sp.conv != 'i' && sp.conv != 'u' {
			k += 2
		}
		return s[:k] + strings.Repeat("0", n) + s[k:]
	}
	return strings.Repeat(" ", n) + s
}
