package events

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The oracle is Debian's Python 3, the interpreter supervisord runs on.
const oraclePython = "/usr/bin/python3"

// oracleCase is one line of testdata/output.golden, written by
// testdata/output_oracle.py.
type oracleCase struct {
	In   string `json:"in"`   // hex, "-" for empty, "all256" for bytes 0..255
	Repr string `json:"repr"` // Python's repr(bytes)
	Data string `json:"data"` // the PROCESS_LOG data Python makes of them
}

func (c oracleCase) bytes(t *testing.T) []byte {
	switch c.In {
	case "-":
		return nil
	case "all256":
		b := make([]byte, 256)
		for i := range b {
			b[i] = byte(i)
		}
		return b
	}
	b, err := hex.DecodeString(c.In)
	if err != nil {
		t.Fatalf("case %q: %v", c.In, err)
	}
	return b
}

// runOracle runs output_oracle.py on an input file and returns its output.
func runOracle(t *testing.T, input string) []byte {
	t.Helper()
	cmd := exec.Command(oraclePython, filepath.Join("testdata", "output_oracle.py"), input)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("output_oracle.py: %v", err)
	}
	return out
}

func readCases(t *testing.T, golden []byte) []oracleCase {
	t.Helper()
	var cases []oracleCase
	sc := bufio.NewScanner(bytes.NewReader(golden))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c oracleCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("golden line %q: %v", sc.Text(), err)
		}
		cases = append(cases, c)
	}
	return cases
}

func checkCases(t *testing.T, cases []oracleCase) {
	t.Helper()
	for _, c := range cases {
		b := c.bytes(t)
		if got := Repr(b); got != c.Repr {
			t.Errorf("Repr(%s) = %s; want %s", c.In, got, c.Repr)
		}
		if got := DecodeOutput(b); got != c.Data {
			t.Errorf("DecodeOutput(%s) = %q; want %q", c.In, got, c.Data)
		}
	}
}

// TestOutputGolden checks Repr and DecodeOutput against what Python
// printed for testdata/output.input; -update asks Python again.
func TestOutputGolden(t *testing.T) {
	t.Parallel()
	golden := filepath.Join("testdata", "output.golden")
	if *update {
		if err := os.WriteFile(golden, runOracle(t, filepath.Join("testdata", "output.input")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	cases := readCases(t, data)
	if len(cases) < 30 {
		t.Fatalf("golden has %d cases", len(cases))
	}
	checkCases(t, cases)
}

// TestOracleOutput compares random chunks with Python's own answers.
func TestOracleOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("differential test against Python")
	}
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte("a'\"\\\t\n\r\x00\x1b\x7f\x80\xc3\xa9\xe2\x82\xac\xed\xa0\xf0\x9f\x98\x80\xff")
	var in strings.Builder
	for range 500 {
		b := make([]byte, 1+rng.IntN(12))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		in.WriteString(hex.EncodeToString(b) + "\n")
	}
	path := filepath.Join(t.TempDir(), "random.input")
	if err := os.WriteFile(path, []byte(in.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := readCases(t, runOracle(t, path))
	if len(cases) != 501 {
		t.Fatalf("oracle answered %d cases; want 501", len(cases))
	}
	checkCases(t, cases)
}
