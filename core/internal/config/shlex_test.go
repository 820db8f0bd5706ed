package config

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, command string
		want          []string
		wantErr       bool
	}{
		{"words", "/usr/bin/web --port 8080", []string{"/usr/bin/web", "--port", "8080"}, false},
		{"whitespace runs", " a \t b\n c ", []string{"a", "b", "c"}, false},
		{"single quotes keep all", `sh -c 'echo "$HOME" \n'`, []string{"sh", "-c", `echo "$HOME" \n`}, false},
		{"double quotes escape quote and backslash", `a "b\"c\\d\$e"`, []string{"a", `b"c\d\$e`}, false},
		{"backslash outside quotes", `a\ b c\\d \x`, []string{"a b", `c\d`, "x"}, false},
		{"empty arguments", `a '' ""`, []string{"a", "", ""}, false},
		{"adjacent quotes join", `a"b c"'d'e`, []string{"ab cde"}, false},
		{"no shell operators", "a;b|c > d", []string{"a;b|c", ">", "d"}, false},
		{"empty", "", nil, false},
		{"unclosed single", "sh -c 'x", nil, true},
		{"unclosed double", `sh -c "x`, nil, true},
		{"trailing backslash", `a \`, nil, true},
		{"trailing backslash in quotes", `a "\`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SplitCommand(tt.command)
			if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
				t.Errorf("SplitCommand(%q) = %q, %v; want %q, error %v", tt.command, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// shlexCases are command lines and environment values at the corners of
// Python's shlex.
var shlexCases = []string{
	`/usr/bin/web --port 8080`, `a 'b c' "d e"`, `a "b\"c\\d\$e\n"`, `a\ b \'c`, `a '' ""`,
	`a"b c"'d'e`, `x 'y`, `x "y`, `x \`, `x "\`, "a\tb\nc\rd", `#not a comment`, `a #b`,
	`A=1`, `A="x,y",B=z`, `A='q r',C=""`, `A=1,B`, `A=`, `A=x y`, `A=x y,B=1`, `A = 1 , B = 2`,
	`A=a/b.c+d-e(f):g`, `"A"=1`, `A=x"y z"`, `A=x#y,B=1`, "A=x#y\nB=1", `A=1,,B=2`, `A=1,B=2,`,
	`A='it''s'`, `A=über`, `A="%(here)s"`, `A=1;B=2`, `=1`, `A==1`, `A="x`, ``, `,`,
}

// TestShlexMatchesPython splits every case with SplitCommand and parseEnv
// and with Python's shlex.split and dict_of_key_value_pairs.
func TestShlexMatchesPython(t *testing.T) {
	requireOracle(t)
	in, err := json.Marshal(shlexCases)
	if err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs(filepath.Join("testdata", "shlex_oracle.py"))
	cmd := exec.Command(oraclePython, script)
	cmd.Stdin, cmd.Stderr = bytes.NewReader(in), os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("shlex_oracle.py: %v", err)
	}
	var want []struct {
		Argv []string   `json:"argv"`
		Env  [][]string `json:"env"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, text := range shlexCases {
		argv, err := SplitCommand(text)
		if err != nil {
			argv = nil
		} else if argv == nil {
			argv = []string{}
		}
		if diff := cmp.Diff(want[i].Argv, argv); diff != "" {
			t.Errorf("SplitCommand(%q) (err %v) differs from shlex.split (-python +ours):\n%s", text, err, diff)
		}
		env, _, err := parseEnv(text)
		var got [][]string
		if err == nil {
			got = dumpEnv(env)
		}
		if diff := cmp.Diff(want[i].Env, got); diff != "" {
			t.Errorf("parseEnv(%q) (err %v) differs from dict_of_key_value_pairs (-python +ours):\n%s", text, err, diff)
		}
	}
}
