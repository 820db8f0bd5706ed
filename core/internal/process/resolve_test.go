package process

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	bin := t.TempDir()
	exe := filepath.Join(bin, "tool")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(bin, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	tests := []struct {
		name     string
		spec     SpawnSpec
		file     string
		msg      string
		sentinel error
	}{
		{"absolute", SpawnSpec{Argv: []string{exe}}, exe, "", nil},
		{"found in the program's PATH", SpawnSpec{Argv: []string{"tool"}, Env: []string{"PATH=" + empty + ":" + bin}}, exe, "", nil},
		{"the last PATH wins", SpawnSpec{Argv: []string{"tool"}, Env: []string{"PATH=" + empty, "PATH=" + bin + "/"}}, exe, "", nil},
		{"not in PATH", SpawnSpec{Argv: []string{"tool"}, Env: []string{"PATH=" + empty}}, "tool", "can't find command 'tool'", ErrNotFound},
		{"a directory in PATH wins", SpawnSpec{Argv: []string{"adir"}, Env: []string{"PATH=" + bin}},
			bin + "/adir", "command at '" + bin + "/adir' is a directory", ErrNotExecutable},
		{"default PATH", SpawnSpec{Argv: []string{"sh"}, Env: []string{"HOME=/"}}, "/bin/sh", "", nil},
		{"empty", SpawnSpec{}, "", "command is empty", ErrNotExecutable},
		{"quote in name", SpawnSpec{Argv: []string{"/no/it's"}}, "/no/it's", `can't find command "/no/it's"`, ErrNotFound},
	}
	for _, tt := range tests {
		file, err := resolve(tt.spec)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if file != tt.file || msg != tt.msg || (tt.sentinel != nil && !errors.Is(err, tt.sentinel)) {
			t.Errorf("%s: resolve(%q) = %q, %v; want %q, %q (%v)", tt.name, tt.spec.Argv, file, err, tt.file, tt.msg, tt.sentinel)
		}
	}
}

func TestErrnoName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{syscall.ENOENT, "ENOENT"},
		{&os.PathError{Op: "chdir", Path: "/x", Err: syscall.EACCES}, "EACCES"},
		{syscall.Errno(133), "133"},
		{errors.New("odd"), "odd"},
	}
	for _, tt := range tests {
		if got := errnoName(tt.err); got != tt.want {
			t.Errorf("errnoName(%v) = %q; want %q", tt.err, got, tt.want)
		}
	}
}

// TestRunShimFailures is not parallel: the exec mode sets the umask of
// the test process itself before its exec fails, so it is restored here.
func TestRunShimFailures(t *testing.T) {
	old := syscall.Umask(0o22)
	defer syscall.Umask(old)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"fail", "couldn't chdir to /x: ENOENT"}, childFailureText("couldn't chdir to /x: ENOENT")},
		{[]string{"exec", "022", "/nonexistent", "prog"}, childFailureText("couldn't exec prog: ENOENT")},
		{[]string{"exec", "9x", "/bin/true", "true"}, childFailureText(`couldn't set umask 9x: strconv.ParseUint: parsing "9x": invalid syntax`)},
		{nil, childFailureText("bad spawn shim arguments []")},
	}
	for _, tt := range tests {
		var b output
		if code := RunShim(tt.args, &b); code != 127 || b.String() != tt.want {
			t.Errorf("RunShim(%q) = %d, %q; want 127, %q", tt.args, code, b.String(), tt.want)
		}
	}
}
