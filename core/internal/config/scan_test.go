package config

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// scanCases are INI texts at the corners of configparser's grammar.
var scanCases = []string{
	"[s]\na=1\n",
	"[s]\nc=a;b\nd=a ;b\ne=a #b\nf=a#b\ng=a\t;b\n",
	"[s]\nquirk=a;b ;c #d\nx = ;all comment\n",
	"[s] junk\nk=v\n[t]u]\nk=v\n[]]\nk=v\n",
	"[s]\n[]\n",
	"[s]\na:b=c\nd = e : f\n  g :h\n",
	"[s]\n= x\n",
	"[s]\n: x\n",
	"k=v\n[s]\n",
	"; only comments\n# here\n",
	"[s]\na = 1\n  more\n    deeper\n  ; comment line\n\n  after blank\n\n\nb = 2\n",
	"[s]\na = 1\n\tb = 2\nc = 3\n",
	"[s]\n  a = 1\n  b = 2\n    c\n",
	"[s]\n  indented = header follows\n  [t]\nk=v\n",
	"[s]\nno delimiter here\n  continued\nk=v\n",
	"[s]\na=1\n[s]\nb=2\na=3\n[t]\n[s]\nc=4\n",
	"[DEFAULT]\nd=1\n[s]\nd=2\n[DEFAULT]\ne=3\n",
	"[s]\r\na=1\r\n  b\r\nc=2\rd=3\r",
	"[s]\na=\n  x\n",
	"[s]\na=\nb =\n",
	"[s]\nKEY=v\nKey=w\n",
	"[S]\nk=v\n[s]\nk=w\n",
	"[s]\na = 1\n\u00a0\u00a0b\n",
	"[s]\na=1 \u00a0;c\n",
	"[s]\na = x\n \n  y\n",
	"[s]\na = x\n  # c1\n  y # c2\n  z;not\n",
	"  [s]\n k=v\n",
	"[s]\nk==v\nl=:v\n",
	"[s]\n\ta\n",
	"[s]\na=1\n\n\n",
	"[s]\n\"quoted\" = \"value\"\n`tick`=`v`\n",
	"[s]\nk=\"\"\"\nmulti\n\"\"\"\n",
	"[s]\nk=a \\\n  b\n",
}

// TestScanMatchesConfigparser scans each case with ours and with the
// reference's parser and requires the same sections, options and values,
// or an error from both.
func TestScanMatchesConfigparser(t *testing.T) {
	requireOracle(t)
	cases := append(scanCases, randomINI(2000)...)
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs(filepath.Join("testdata", "scan_oracle.py"))
	cmd := exec.Command(oraclePython, script)
	cmd.Stdin, cmd.Stderr = bytes.NewReader(in), os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("scan_oracle.py: %v", err)
	}
	var want []any
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, text := range cases {
		got := roundTrip(t, scanDump(text))
		if diff := cmp.Diff(want[i], got); diff != "" {
			t.Errorf("scan(%q) differs from configparser (-configparser +ours):\n%s", text, diff)
		}
	}
}

// randomINI returns n texts, always the same: lines that are mostly
// headers, options, continuations and comments, with INI punctuation
// sprinkled in.
func randomINI(n int) []string {
	junk := []string{"[", "]", "=", ":", ";", "#", " ", " ", "\t", "a", "B", "\u00a0", "\"", "%(here)s", " ;", " #"}
	lines := []string{"[s]", "[t]", "[DEFAULT]", "k=", "K = ", "opt: ", "  ", "\t", "; ", "# ", "", "x"}
	ends := []string{"\n", "\n", "\n", "\r\n", "\r"}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	texts := make([]string, n)
	for i := range texts {
		var b strings.Builder
		b.WriteString("[s]\n")
		for range rng.IntN(8) {
			b.WriteString(pick(lines))
			for range rng.IntN(5) {
				b.WriteString(pick(junk))
			}
			b.WriteString(pick(ends))
		}
		texts[i] = b.String()
	}
	return texts
}

// scanDump scans text and renders it like scan_oracle.py.
func scanDump(text string) map[string]any {
	st, pb := newStore(), &problems{}
	scan(st, "t.conf", []byte(text), pb)
	if pb.errs != nil {
		return map[string]any{"error": true}
	}
	var sections [][]any
	for _, sec := range append([]string{defaultSection}, st.sections()...) {
		opts := [][]string{}
		for _, opt := range st.ownOptions(sec) {
			v, _, _ := st.get(sec, opt)
			opts = append(opts, []string{opt, v})
		}
		sections = append(sections, []any{sec, opts})
	}
	return map[string]any{"sections": sections}
}
