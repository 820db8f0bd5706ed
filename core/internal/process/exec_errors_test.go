package process

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestExecSpawnErrors: failures in the parent are BACKOFF with the
// reference's spawnerr (here straight to FATAL: startretries=0).
func TestExecSpawnErrors(t *testing.T) {
	t.Parallel()
	script := writeFile(t, "script", "#!/bin/sh\nexit 0\n", 0o644)
	dir := t.TempDir()
	tests := []struct {
		name string
		spec SpawnSpec
		want string
	}{
		{"missing command", SpawnSpec{Argv: []string{"/nonexistent/cmd"}, Umask: -1}, "can't find command '/nonexistent/cmd'"},
		{"not in PATH", SpawnSpec{Argv: []string{"lancer-no-such-cmd"}, Env: []string{"PATH=" + dir}, Umask: -1},
			"can't find command 'lancer-no-such-cmd'"},
		{"not executable", SpawnSpec{Argv: []string{script}, Umask: -1}, "command at '" + script + "' is not executable"},
		{"a directory", SpawnSpec{Argv: []string{dir}, Umask: -1}, "command at '" + dir + "' is a directory"},
		{"empty", SpawnSpec{Umask: -1}, "command is empty"},
		{"umask without a shim", SpawnSpec{Argv: []string{"/bin/true"}, Umask: 0o22}, "can't set umask for 'x': no spawn shim"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := realPolicy()
			p.StartRetries = 0
			r := runReal(t, p, tt.spec, false)
			i := r.waitState(t, "FATAL", is(Fatal))
			if i.SpawnErr != tt.want {
				t.Errorf("spawnerr = %q; want %q", i.SpawnErr, tt.want)
			}
			r.expect(t,
				"STARTING from_state:STOPPED tries:0",
				"INFO spawnerr: "+tt.want,
				"BACKOFF from_state:STARTING tries:1",
				"FATAL from_state:BACKOFF",
				"INFO gave up: x entered FATAL state, too many start retries too quickly",
			)
		})
	}
}

// TestExecCheck: Start rejects a command that cannot run before any state
// change, with NO_FILE's and NOT_EXECUTABLE's sentinels.
func TestExecCheck(t *testing.T) {
	t.Parallel()
	p := realPolicy()
	p.AutoStart = false
	for _, tt := range []struct {
		argv []string
		want error
	}{
		{[]string{"/nonexistent/cmd"}, ErrNotFound},
		{[]string{t.TempDir()}, ErrNotExecutable},
	} {
		r := runReal(t, p, SpawnSpec{Argv: tt.argv, Umask: -1}, false)
		err := r.Start(t.Context(), true)
		var se *SpawnError
		if !errors.Is(err, tt.want) || !errors.As(err, &se) {
			t.Errorf("Start(%q) = %v; want a *SpawnError wrapping %v", tt.argv, err, tt.want)
		}
		r.expect(t)
	}
}

// TestExecChildFailures: failures of the child's setup. With the shim a
// real child reports them on stderr and exits 127, as in the reference;
// without it the message is the spawnerr.
func TestExecChildFailures(t *testing.T) {
	t.Parallel()
	garbage := writeFile(t, "garbage", "\x7fELF garbage", 0o755)
	tests := []struct {
		name string
		spec SpawnSpec
		msg  string
	}{
		{"missing directory", SpawnSpec{Argv: []string{"/bin/true"}, Dir: "/nonexistent", Umask: -1},
			"couldn't chdir to /nonexistent: ENOENT"},
		{"directory is a file", SpawnSpec{Argv: []string{"/bin/true"}, Dir: garbage, Umask: -1},
			"couldn't chdir to " + garbage + ": ENOTDIR"},
		{"bad executable", SpawnSpec{Argv: []string{garbage}, Umask: -1},
			"couldn't exec " + garbage + ": ENOEXEC"},
		{"bad executable through the umask shim", SpawnSpec{Argv: []string{garbage}, Umask: 0o22},
			"couldn't exec " + garbage + ": ENOEXEC"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" with shim", func(t *testing.T) {
			t.Parallel()
			p := realPolicy()
			p.StartSecs, p.StartRetries = 5e9, 0
			r := runReal(t, p, tt.spec, true)
			i := r.waitState(t, "FATAL", is(Fatal))
			checkFailure(t, r, i, msgTooQuickly, tt.msg)
			r.expect(t,
				"STARTING from_state:STOPPED tries:0",
				"INFO spawned: 'x' with pid PID",
				"BACKOFF from_state:STARTING tries:1",
				"WARN exited: x (exit status 127; not expected)",
				"FATAL from_state:BACKOFF",
				"INFO gave up: x entered FATAL state, too many start retries too quickly",
			)
		})
		if tt.spec.Umask >= 0 {
			continue
		}
		t.Run(tt.name+" without shim", func(t *testing.T) {
			t.Parallel()
			p := realPolicy()
			p.StartRetries = 0
			r := runReal(t, p, tt.spec, false)
			checkFailure(t, r, r.waitState(t, "FATAL", is(Fatal)), tt.msg, tt.msg)
		})
	}
}

// checkFailure checks the spawnerr and that the child's stderr log got the
// reference's two lines.
func checkFailure(t *testing.T, r *realProc, i Info, spawnErr, msg string) {
	t.Helper()
	if i.SpawnErr != spawnErr || r.err.String() != childFailureText(msg) {
		t.Errorf("spawnerr %q, stderr %q; want %q, %q", i.SpawnErr, r.err.String(), spawnErr, childFailureText(msg))
	}
}

// TestExecUser: as root, user= switches uid; otherwise a different user
// fails the way the reference's child does.
func TestExecUser(t *testing.T) {
	t.Parallel()
	spec := SpawnSpec{Argv: []string{"/usr/bin/id", "-u"}, User: "nobody", UID: 65534, Umask: -1}
	p := realPolicy()
	p.StartRetries = 0
	if os.Getuid() != 0 {
		r := runReal(t, p, spec, false)
		i := r.waitState(t, "FATAL", is(Fatal))
		if want := "couldn't setuid to 65534: Can't drop privilege as nonroot user"; i.SpawnErr != want {
			t.Errorf("spawnerr = %q; want %q", i.SpawnErr, want)
		}
		return
	}
	r := runReal(t, p, spec, false)
	r.waitState(t, "EXITED", is(Exited))
	if got := strings.TrimSpace(r.out.String()); got != "65534" {
		t.Errorf("id -u printed %q (stderr %q); want 65534", got, r.err.String())
	}
}

// TestExecSameUser: user= naming the daemon's own user is a no-op.
func TestExecSameUser(t *testing.T) {
	t.Parallel()
	spec := SpawnSpec{Argv: []string{"/usr/bin/id", "-u"}, User: "me", UID: os.Getuid(), Umask: -1}
	r := runReal(t, realPolicy(), spec, false)
	r.waitState(t, "EXITED", is(Exited))
	if got, want := strings.TrimSpace(r.out.String()), strings.TrimSpace(itoa(os.Getuid())); got != want {
		t.Errorf("id -u printed %q; want %q", got, want)
	}
}
