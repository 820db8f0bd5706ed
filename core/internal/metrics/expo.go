package metrics

import (
	"bufio"
	"cmp"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// kind is a family's type in the exposition.
type kind uint8

const (
	gauge kind = iota
	counter
)

func (k kind) String() string {
	if k == counter {
		return "counter"
	}
	return "gauge"
}

// desc describes one metric family: its name, help text, type and label
// names, which are sorted, as the text format's consumers expect them.
type desc struct {
	name, help string
	kind       kind
	labels     []string
}

// sample is one series of a family: its label values, in the order of
// its desc's labels, and its value.
type sample struct {
	values []string
	value  float64
}

// family is a desc with the samples one scrape found for it.
type family struct {
	*desc
	samples []sample
}

// writeText writes fams in the Prometheus text format, version 0.0.4,
// as client_golang's encoder writes it: families sorted by name, each
// with its HELP and TYPE lines and its samples sorted by label values; a
// family without samples is left out. It sorts fams and their samples in
// place.
func writeText(w io.Writer, fams []*family) error {
	slices.SortFunc(fams, func(a, b *family) int { return cmp.Compare(a.name, b.name) })
	bw := bufio.NewWriterSize(w, 32<<10)
	var num []byte
	for _, f := range fams {
		if len(f.samples) == 0 {
			continue
		}
		slices.SortFunc(f.samples, func(a, b sample) int { return slices.Compare(a.values, b.values) })
		bw.WriteString("# HELP ")
		bw.WriteString(f.name)
		bw.WriteByte(' ')
		writeEscaped(bw, f.help, false)
		bw.WriteString("\n# TYPE ")
		bw.WriteString(f.name)
		bw.WriteByte(' ')
		bw.WriteString(f.kind.String())
		bw.WriteByte('\n')
		for _, s := range f.samples {
			bw.WriteString(f.name)
			writeLabels(bw, f.labels, s.values)
			bw.WriteByte(' ')
			num = appendValue(num[:0], s.value)
			bw.Write(num)
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}

// writeLabels writes {name="value",...}, or nothing without labels.
func writeLabels(bw *bufio.Writer, names, values []string) {
	if len(names) == 0 {
		return
	}
	bw.WriteByte('{')
	for i, n := range names {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString(n)
		bw.WriteString(`="`)
		writeEscaped(bw, values[i], true)
		bw.WriteByte('"')
	}
	bw.WriteByte('}')
}

// writeEscaped writes s with the text format's escapes: backslash and
// line feed always, the double quote in a label value. Bytes that are
// not UTF-8 become U+FFFD, which the format requires (client_golang
// refuses such a label value; a process name read from a config file
// could have one, and one bad name must not spoil the whole scrape).
func writeEscaped(bw *bufio.Writer, s string, quote bool) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch c := s[i]; {
		case c == '\\':
			esc = `\\`
		case c == '\n':
			esc = `\n`
		case c == '"' && quote:
			esc = `\"`
		default:
			continue
		}
		bw.WriteString(s[start:i])
		bw.WriteString(esc)
		start = i + 1
	}
	bw.WriteString(s[start:])
}

// appendValue appends v as the text format writes a sample value: the
// shortest representation that reads back as v, and NaN, +Inf, -Inf.
func appendValue(b []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, "NaN"...)
	case math.IsInf(v, 1):
		return append(b, "+Inf"...)
	case math.IsInf(v, -1):
		return append(b, "-Inf"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}
