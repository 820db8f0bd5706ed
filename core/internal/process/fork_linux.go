package process

import (
	"os"
	"sync"
	"syscall"
)

// child is what forkExec starts: one program with its standard streams.
type child struct {
	path  string   // the file to execute, already resolved
	argv  []string // argv[0] is the program's own name for itself
	env   []string // complete; nil means the daemon's own environment
	dir   string   // working directory; "" keeps the daemon's
	cred  *syscall.Credential
	stdio [3]*os.File // the child's stdin, stdout and stderr
}

// forkExec starts c as the leader of its own process group and returns its
// pid and, where the kernel has them, a pidfd for it from the clone itself
// (-1 without). It calls syscall.ForkExec directly rather than os/exec: an
// exec.Cmd copies and de-duplicates the environment on every start (the
// daemon's environment is complete and de-duplicated once), and
// os.StartProcess opens a pidfd of its own that the poller would have to
// release again. A failure in the child (chdir, setuid, execve) comes back
// as its errno, as from os/exec.
func forkExec(c child) (pid, pidfd int, err error) {
	env := c.env
	if env == nil {
		env = os.Environ()
	}
	pidfd = -1
	sys := &syscall.SysProcAttr{Setpgid: true, Credential: c.cred}
	if havePidfd() {
		sys.PidFD = &pidfd
	}
	files := make([]uintptr, len(c.stdio))
	for i, f := range c.stdio {
		files[i] = f.Fd() // the child's ends are blocking, as Fd leaves them
	}
	pid, err = syscall.ForkExec(c.path, c.argv, &syscall.ProcAttr{Dir: c.dir, Env: env, Files: files, Sys: sys})
	if err != nil {
		return 0, -1, err
	}
	return pid, pidfd, nil
}

// havePidfd reports whether this kernel has pidfds (Linux 5.3 and later):
// pidfd_open on the daemon itself works. CLONE_PIDFD is from 5.2, so a
// kernel that passes can also hand one out at clone.
var havePidfd = sync.OnceValue(func() bool {
	fd, _, e := syscall.Syscall(sysPidfdOpen, uintptr(os.Getpid()), 0, 0)
	if e != 0 {
		return false
	}
	_ = syscall.Close(int(fd))
	return true
})
