package process

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"slices"
	"strconv"
	"syscall"
)

// ExecSpawner starts real children with fork/exec, each as the leader of its
// own process group (the reference's setpgrp(), so that a terminal's
// SIGINT to the daemon does not reach them and a group signal reaches
// their descendants). The zero value works, without the shim.
//
// What happens in the reference's forked child (setuid, chdir, umask,
// execve) happens here in the kernel's fork/exec, except umask, which Go
// cannot set in a child: a process with a umask is started through the
// shim, a re-execution of the daemon binary ([RunShim]) that sets the
// umask and then execs the program, keeping its pid. Any other is
// executed directly: the shim's extra exec doubles the cost of a spawn.
//
// The reference reports a failure in its child (chdir, setuid, execve) on
// the child's stderr, "supervisor: couldn't chdir to /x: ENOENT" then
// "supervisor: child process was not spawned", and the child exits 127, so
// that the process goes STARTING → BACKOFF as "Exited too quickly". Go's
// fork/exec reports such a failure to the parent instead. With a shim,
// ExecSpawner then starts the shim in its failure mode, which writes those
// two lines to the child's stderr pipe and exits 127: the main log, the
// child log and the states are the reference's. Without a shim, it writes
// the two lines to the stderr writer itself and returns a [*SpawnError]
// whose text is the message ("couldn't chdir to /x: ENOENT"): the process
// still ends in BACKOFF, with the cause as its spawnerr.
//
// One goroutine per ExecSpawner, running while it has children, copies
// the output of all of them to their writers and awaits their exits, as
// the reference's select loop does. An ExecSpawner must not be copied
// after its first Spawn.
type ExecSpawner struct {
	// Shim is the argument vector that runs the shim, such as
	// {"/proc/self/exe", ShimArg} in the daemon; the shim's own arguments
	// are appended to it. nil disables it: a umask is then a spawn error.
	Shim []string

	poller poller // copies the output of every child and awaits their exits
}

// Check resolves and checks the command without starting it.
func (s *ExecSpawner) Check(spec SpawnSpec) error {
	spec.BaseEnv, spec.Env = nil, spec.Environ()
	_, err := resolve(spec)
	return err
}

// Spawn starts spec's command; see [ExecSpawner] for how failures surface.
func (s *ExecSpawner) Spawn(spec SpawnSpec) (Proc, error) {
	spec.BaseEnv, spec.Env = nil, spec.Environ() // from here on, Env is complete
	filename, err := resolve(spec)
	if err != nil {
		return nil, err
	}
	if spec.Umask >= 0 && len(s.Shim) == 0 {
		return nil, &SpawnError{Msg: fmt.Sprintf("can't set umask for '%s': no spawn shim", spec.Name), Err: errors.ErrUnsupported}
	}
	cred, failure := credential(spec)
	ps, err := newPipes(&s.poller, spec)
	if err != nil {
		return nil, pipeError(spec.Name, err)
	}
	if failure != "" {
		return s.childFailed(spec, ps, failure)
	}
	pid, pidfd, err := forkExec(s.child(spec, filename, cred, ps))
	if err != nil {
		return s.startFailed(spec, ps, cred, err)
	}
	return ps.started(pid, pidfd), nil
}

// child describes the program itself, or the shim when a umask is set.
func (s *ExecSpawner) child(spec SpawnSpec, filename string, cred *syscall.Credential, ps *pipes) child {
	c := child{path: filename, argv: spec.Argv, env: spec.Env, dir: spec.Dir, cred: cred, stdio: ps.stdio()}
	if spec.Umask >= 0 {
		c.path = s.Shim[0]
		c.argv = append(slices.Clone(s.Shim), shimExec, strconv.FormatInt(int64(spec.Umask), 8), filename)
		c.argv = append(c.argv, spec.Argv...)
	}
	return c
}

// startFailed sorts a failed Start into the parent's failures (no
// process, spawnerr) and the child's (see ExecSpawner).
func (s *ExecSpawner) startFailed(spec SpawnSpec, ps *pipes, cred *syscall.Credential, err error) (Proc, error) {
	var errno syscall.Errno
	switch {
	case errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE):
		ps.close()
		return nil, &SpawnError{Msg: fmt.Sprintf("too many open files to spawn '%s'", spec.Name), Err: err}
	case errors.Is(err, syscall.EAGAIN):
		ps.close()
		return nil, &SpawnError{Msg: fmt.Sprintf("Too many processes in process table to spawn '%s'", spec.Name), Err: err}
	case !errors.As(err, &errno) || errno == syscall.ENOMEM:
		ps.close()
		return nil, &SpawnError{Msg: fmt.Sprintf("unknown error during fork for '%s': %s", spec.Name, errnoName(err)), Err: err}
	}
	return s.childFailed(spec, ps, childFailure(spec, cred, errno))
}

// childFailure says which step of the child failed, in the reference's
// words. Go's fork/exec returns only an errno, so the working directory
// is examined again to tell a chdir failure from an exec failure.
func childFailure(spec SpawnSpec, cred *syscall.Credential, errno syscall.Errno) string {
	if spec.Dir != "" {
		if e := dirProblem(spec.Dir, cred); e != 0 {
			return fmt.Sprintf("couldn't chdir to %s: %s", spec.Dir, errnoName(e))
		}
	}
	if cred != nil && errno == syscall.EPERM {
		return fmt.Sprintf("couldn't setuid to %d: Could not set group id of effective user", spec.UID)
	}
	return fmt.Sprintf("couldn't exec %s: %s", spec.Argv[0], errnoName(errno))
}

// dirProblem returns the errno chdir to dir would fail with, as far as the
// parent can tell, for a child with credential cred.
func dirProblem(dir string, cred *syscall.Credential) syscall.Errno {
	var st syscall.Stat_t
	if err := syscall.Stat(dir, &st); err != nil {
		var e syscall.Errno
		if errors.As(err, &e) {
			return e
		}
		return syscall.ENOENT
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFDIR {
		return syscall.ENOTDIR
	}
	if cred == nil || cred.Uid == 0 {
		return 0
	}
	perm := st.Mode & 0o7
	switch {
	case st.Uid == cred.Uid:
		perm = st.Mode >> 6 & 0o7
	case st.Gid == cred.Gid || slices.Contains(cred.Groups, st.Gid):
		perm = st.Mode >> 3 & 0o7
	}
	if perm&1 == 0 {
		return syscall.EACCES
	}
	return 0
}

// childFailed reports a failure of the child's setup: through the shim
// when there is one, so that a real child writes the reference's lines
// and exits 127; else by writing the lines here and failing the spawn.
func (s *ExecSpawner) childFailed(spec SpawnSpec, ps *pipes, msg string) (Proc, error) {
	if len(s.Shim) > 0 {
		c := child{path: s.Shim[0], argv: append(slices.Clone(s.Shim), shimFail, msg), env: spec.Env, stdio: ps.stdio()}
		if pid, pidfd, err := forkExec(c); err == nil {
			return ps.started(pid, pidfd), nil
		}
	}
	ps.close()
	w := spec.Stderr
	if spec.RedirectStderr {
		w = spec.Stdout
	}
	if w != nil {
		_, _ = io.WriteString(w, childFailureText(msg))
	}
	return nil, &SpawnError{Msg: msg, Err: errors.ErrUnsupported}
}

// childFailureText is what the reference's child writes to its stderr
// before exiting 127.
func childFailureText(msg string) string {
	return "supervisor: " + msg + "\nsupervisor: child process was not spawned\n"
}

// credential returns the credential to start spec's command with (nil to
// keep the daemon's), or the reference's setuid failure message. As in
// the reference, asking for the daemon's own user is a no-op and any
// other user needs root.
func credential(spec SpawnSpec) (*syscall.Credential, string) {
	if spec.User == "" || spec.UID == os.Getuid() {
		return nil, ""
	}
	fail := func(why string) (*syscall.Credential, string) {
		return nil, fmt.Sprintf("couldn't setuid to %d: %s", spec.UID, why)
	}
	if os.Getuid() != 0 {
		return fail("Can't drop privilege as nonroot user")
	}
	u, err := user.LookupId(strconv.Itoa(spec.UID))
	if err != nil {
		return fail(fmt.Sprintf("Can't find uid %d", spec.UID))
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return fail("Could not set group id of effective user")
	}
	groups := []uint32{uint32(gid)} // the primary group first, as the reference does
	ids, _ := u.GroupIds()
	for _, id := range ids {
		if g, err := strconv.ParseUint(id, 10, 32); err == nil && !slices.Contains(groups, uint32(g)) {
			groups = append(groups, uint32(g))
		}
	}
	return &syscall.Credential{Uid: uint32(spec.UID), Gid: uint32(gid), Groups: groups}, ""
}

// pipeError is the reference's message for failing to make the pipes.
func pipeError(name string, err error) error {
	if errors.Is(err, syscall.EMFILE) {
		return &SpawnError{Msg: fmt.Sprintf("too many open files to spawn '%s'", name), Err: err}
	}
	return &SpawnError{Msg: fmt.Sprintf("unknown error making dispatchers for '%s': %s", name, errnoName(err)), Err: err}
}
