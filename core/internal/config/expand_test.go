package config

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var expandNames = map[string]any{"n": 7, "m": -255, "z": 0, "s": "ab", "u": "über", "a(b)c": "nested"}

// expandCases are formats Python's % and expand must agree on; the ones
// expand refuses deliberately are in expandRefused.
var expandCases = []string{
	"plain", "100%%", "%%(n)s", "%(n)d", "%(n)s", "%(n)i", "%(n)u", "%(n)5d", "%(n)-5d|", "%(n)05d",
	"%(n)+d", "%(n) d", "%(m)d", "%(m)08d", "%(m)+08d", "%(n)05.3d", "%(n).3d", "%(n)x", "%(n)#x",
	"%(m)#08x", "%(n)X", "%(n)#X", "%(n)o", "%(n)#o", "%(z)#x", "%(n)010.5d", "%(s)s", "%(s)5s",
	"%(s)-5s|", "%(s).1s", "%(s)05s", "%(u)s", "%(u)6s", "%(u).2s", "%(a(b)c)s", "%(n)ld", "%(n)hd",
	"%(n)Ld", "%(n)r", "a%(s)sb%(n)dc", "%(nope)s", "%(s)d", "%(n)", "%(n", "%", "50%",
	"%(n)q", "%(n)%", "%(nope)%", "%(n)5.2%", "%(s)#-05s", "%(n)-05d", "%(m)x",
}

// expandRefused are valid Python that expand refuses on purpose.
var expandRefused = []string{"%s", "%d", "%(s)r", "%(n)f", "%(n)e", "%(n)c", "%(n)*d"}

// TestExpandMatchesPython expands every case with Python's % and with
// expand; the results, or the failures, must be the same.
func TestExpandMatchesPython(t *testing.T) {
	requireOracle(t)
	in, err := json.Marshal(map[string]any{"names": expandNames, "texts": expandCases})
	if err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs(filepath.Join("testdata", "expand_oracle.py"))
	cmd := exec.Command(oraclePython, script)
	cmd.Stdin, cmd.Stderr = bytes.NewReader(in), os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("expand_oracle.py: %v", err)
	}
	var want []*string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	nm := names{local: expandNames}
	for i, text := range expandCases {
		got, err := expand(text, nm)
		switch {
		case want[i] == nil && err == nil:
			t.Errorf("expand(%q) = %q; Python refuses it", text, got)
		case want[i] != nil && err != nil:
			t.Errorf("expand(%q): %v; Python gives %q", text, err, *want[i])
		case want[i] != nil && got != *want[i]:
			t.Errorf("expand(%q) = %q; want %q", text, got, *want[i])
		}
	}
}

func TestExpandRefusesPythonOnlyForms(t *testing.T) {
	t.Parallel()
	for _, text := range expandRefused {
		if got, err := expand(text, names{local: expandNames}); err == nil {
			t.Errorf("expand(%q) = %q; want an error", text, got)
		}
	}
}

func TestExpandUnknownNameListsNames(t *testing.T) {
	t.Parallel()
	nm := names{local: map[string]any{"here": "/etc", "program_name": "web"}, env: map[string]string{"ENV_HOME": "/root"}}
	_, err := expand("%(ENV_NOPE)s", nm)
	want := `unknown name "ENV_NOPE" in "%(ENV_NOPE)s" (available: here, program_name, ENV_<variable>)`
	if err == nil || err.Error() != want {
		t.Errorf("expand(%%(ENV_NOPE)s) error = %v; want %s", err, want)
	}
	if got, err := expand("%(ENV_HOME)s", nm); err != nil || got != "/root" {
		t.Errorf("expand(%%(ENV_HOME)s) = %q, %v; want /root", got, err)
	}
	if _, err := expand("%(here)999999d", nm); err == nil || !strings.Contains(err.Error(), "too big") {
		t.Errorf("expand with a huge width: %v; want a width error", err)
	}
}
