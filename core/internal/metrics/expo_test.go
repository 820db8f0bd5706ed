package metrics

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// exposition returns what reg serves.
func exposition(t testing.TB, reg *Registry) string {
	t.Helper()
	var b strings.Builder
	if err := reg.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// only returns the lines of text that belong to the named families.
func only(text string, names ...string) string {
	var b strings.Builder
	for line := range strings.Lines(text) {
		name := line
		if rest, ok := strings.CutPrefix(line, "# HELP "); ok {
			name = rest
		} else if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name = rest
		}
		if i := strings.IndexAny(name, " {"); i >= 0 && slices.Contains(names, name[:i]) {
			b.WriteString(line)
		}
	}
	return b.String()
}

// knownLint are the problems promlint finds by design: node_exporter's
// series, kept as it names and types them.
var knownLint = map[string]bool{
	"node_supervisord_start_time_seconds: counter metrics should have \"_total\" suffix": true,
}

// checkWithClientGolang reads text with the parser of client_golang's
// exposition library and lints it with its promlint, as a scraper and
// a reviewer would.
func checkWithClientGolang(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("client_golang's parser refuses the exposition: %v\n%s", err, text)
	}
	problems, err := promlint.New(strings.NewReader(text)).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if !knownLint[p.Metric+": "+p.Text] {
			t.Errorf("promlint: %s: %s", p.Metric, p.Text)
		}
	}
	return fams
}

func TestWriteTextEscapes(t *testing.T) {
	t.Parallel()
	d := &desc{name: "x_info", help: "back\\slash and\nline", kind: gauge, labels: []string{"a", "b"}}
	fams := []*family{{desc: d, samples: []sample{
		{values: []string{`q"uote`, "new\nline"}, value: 1},
		{values: []string{`back\slash`, "bad\xffutf8"}, value: math.Inf(-1)},
		{values: []string{"", ""}, value: math.NaN()},
	}}}
	var b bytes.Buffer
	if err := writeText(&b, fams); err != nil {
		t.Fatal(err)
	}
	want := `# HELP x_info back\\slash and\nline
# TYPE x_info gauge
x_info{a="",b=""} NaN
x_info{a="back\\slash",b="bad` + "\uFFFD" + `utf8"} -Inf
x_info{a="q\"uote",b="new\nline"} 1
`
	if got := b.String(); got != want {
		t.Errorf("writeText:\n%s\nwant:\n%s", got, want)
	}
}

func TestAppendValue(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {1, "1"}, {-1, "-1"}, {4096, "4096"}, {1.5, "1.5"},
		{1.7e9, "1.7e+09"}, {946684800, "9.466848e+08"}, {1700000000.5, "1.7000000005e+09"},
		{math.Inf(1), "+Inf"}, {math.Inf(-1), "-Inf"}, {math.NaN(), "NaN"},
	} {
		if got := string(appendValue(nil, tt.v)); got != tt.want {
			t.Errorf("appendValue(%v) = %q; want %q", tt.v, got, tt.want)
		}
	}
}

// FuzzExposition writes a family from arbitrary help, label values and
// value, and reads it back with client_golang's parser: what comes back
// is what went in (with bytes that are not UTF-8 replaced).
func FuzzExposition(f *testing.F) {
	f.Add("help", "web", "web_0", 1.5)
	f.Add("a\\b\nc", `q"\`, "\xff\n", math.Inf(1))
	f.Fuzz(func(t *testing.T, help, group, name string, v float64) {
		d := &desc{name: "fuzz_value", help: help, kind: gauge, labels: processLabels}
		var b bytes.Buffer
		if err := writeText(&b, []*family{{desc: d, samples: []sample{{values: []string{group, name}, value: v}}}}); err != nil {
			t.Fatal(err)
		}
		p := expfmt.NewTextParser(model.UTF8Validation)
		fams, err := p.TextToMetricFamilies(&b)
		if err != nil {
			t.Fatalf("parser refuses %q: %v", b.String(), err)
		}
		m := fams["fuzz_value"].GetMetric()
		if len(m) != 1 {
			t.Fatalf("parsed %d samples; want 1", len(m))
		}
		got := map[string]string{}
		for _, l := range m[0].GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		want := map[string]string{"group": strings.ToValidUTF8(group, "\uFFFD"), "name": strings.ToValidUTF8(name, "\uFFFD")}
		if got["group"] != want["group"] || got["name"] != want["name"] {
			t.Errorf("labels read back %q; want %q", got, want)
		}
		gv := m[0].GetGauge().GetValue()
		if gv != v && !(math.IsNaN(gv) && math.IsNaN(v)) {
			t.Errorf("value read back %v; want %v", gv, v)
		}
		// The format cannot keep blanks that lead the help text: the
		// parser skips them.
		if h, want := fams["fuzz_value"].GetHelp(), strings.TrimLeft(help, " \t"); utf8.ValidString(help) && h != want {
			t.Errorf("help read back %q; want %q", h, want)
		}
	})
}
