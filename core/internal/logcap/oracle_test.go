package logcap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The oracle is Debian's Python supervisor 4.2.5; `make deps` installs it.
const oraclePython = "/usr/bin/python3"

// oracle runs testdata/oracle.py with req and decodes its answer into
// out. It fails, never skips, when the oracle is missing: a skipped
// differential test would hide the missing dependency.
func oracle(t *testing.T, req map[string]any, out any) {
	t.Helper()
	if testing.Short() {
		t.Skip("differential test against Python supervisor")
	}
	in, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(oraclePython, filepath.Join("testdata", "oracle.py"))
	cmd.Stdin, cmd.Stderr = bytes.NewReader(in), os.Stderr
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle.py (run `make deps` if supervisor is missing): %v", err)
	}
	if err := json.Unmarshal(res, out); err != nil {
		t.Fatalf("oracle.py answer %q: %v", res, err)
	}
}

// latin1 turns bytes into the string the oracle sees them as.
func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func TestOracleStripANSI(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("\x1b[[[1;mHfKax\x1b\n")
	inputs := []string{"\x1b[31mred\x1b[0m", "a\x1b\x1b[0mb\x1b", "x\x1b[12;34", "é\x1b[1m€"}
	for range 300 {
		b := make([]byte, rng.IntN(20))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		inputs = append(inputs, string(b))
	}
	var req []string
	for _, s := range inputs {
		req = append(req, latin1([]byte(s)))
	}
	var want []string
	oracle(t, map[string]any{"op": "strip", "inputs": req}, &want)
	for i, in := range inputs {
		if got := latin1(StripANSI([]byte(in))); got != want[i] {
			t.Errorf("StripANSI(%q) = %q; reference %q", in, got, want[i])
		}
	}
}

func TestOracleReadTail(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	f := newFile(t, path, FileOptions{})
	write(t, f, twelve)
	var cases [][2]int
	for _, o := range []int{-20, -12, -11, -5, -1, 0, 1, 5, 7, 11, 12, 13, 100} {
		for _, l := range []int{-3, 0, 1, 5, 11, 12, 13, 100} {
			cases = append(cases, [2]int{o, l})
		}
	}
	var reads []string
	oracle(t, map[string]any{"op": "read", "path": path, "cases": cases}, &reads)
	var tails [][3]any
	oracle(t, map[string]any{"op": "tail", "path": path, "cases": cases}, &tails)
	for i, c := range cases {
		data, err := f.Read(c[0], c[1])
		got := string(data)
		if errors.Is(err, ErrBadArguments) {
			got = "ERR BAD_ARGUMENTS"
		}
		if got != reads[i] {
			t.Errorf("Read(%d, %d) = %q, %v; reference %q", c[0], c[1], data, err, reads[i])
		}
		data, off, overflow, _ := f.Tail(c[0], c[1])
		if g := fmt.Sprint([3]any{string(data), float64(off), overflow}); g != fmt.Sprint(tails[i]) {
			t.Errorf("Tail(%d, %d) = %s; reference %v", c[0], c[1], g, tails[i])
		}
	}
}

func TestOracleRotation(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		max     int64
		backups int
	}{{0, 3}, {10, 0}, {10, 1}, {10, 3}, {7, 5}} {
		writes := make([]string, 30)
		for i := range writes {
			writes[i] = strings.Repeat(string(rune('a'+i%26)), rng.IntN(9))
		}
		ours, theirs := filepath.Join(t.TempDir(), "log"), filepath.Join(t.TempDir(), "log")
		f := newFile(t, ours, FileOptions{MaxBytes: tc.max, Backups: tc.backups})
		for _, w := range writes {
			write(t, f, w)
		}
		var want map[string]string
		oracle(t, map[string]any{"op": "rotate", "path": theirs, "maxbytes": tc.max, "backups": tc.backups, "writes": writes}, &want)
		if diff := cmp.Diff(want, files(t, ours)); diff != "" {
			t.Errorf("max %d backups %d: files differ (-reference +ours):\n%s", tc.max, tc.backups, diff)
		}
	}
}

func TestOracleCleanPattern(t *testing.T) {
	t.Parallel()
	names := []string{
		"web-stdout---supervisor-abc123.log", "web-stderr---supervisor-abc123.log.1",
		"web-stdout---supervisor-x.log.10", "web-stdout---supervisor-x.logfoo",
		"web-stdout---other-abc123.log", "---supervisor-abc.log", "web-stdout---supervisor-.log",
		"a---supervisor-b c.log", "a---supervisor-b.log.12345", "web.log", "x---supervisor-y.lo",
	}
	var want []string
	oracle(t, map[string]any{"op": "clean", "identifier": "supervisor", "names": names}, &want)
	dir := t.TempDir()
	for _, n := range names {
		writeFile(t, filepath.Join(dir, n), "")
	}
	if err := CleanAutoLogs(dir, "supervisor"); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			got = append(got, n)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cleanup matches differ (-reference +ours):\n%s", diff)
	}
}
