package process

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"
)

// ShimArg is the first argument that makes the daemon binary run as the
// spawn shim. The daemon's main must check for it before anything else:
//
//	if len(os.Args) > 1 && os.Args[1] == process.ShimArg {
//		os.Exit(process.RunShim(os.Args[2:], os.Stderr))
//	}
//
// and configure [ExecSpawner] with Shim: []string{"/proc/self/exe",
// process.ShimArg}. /proc/self/exe is the daemon's binary even after it
// has been replaced on disk.
const ShimArg = "__lancer_spawn"

// The shim's modes.
const (
	shimExec = "exec" // exec UMASK FILE ARGV...: set the umask, then execve
	shimFail = "fail" // fail MESSAGE: report a failed child setup, exit 127
)

// RunShim is the spawn shim: the part of the reference's forked child that
// Go's fork/exec cannot do. It runs as the child, with the child's pid,
// process group, credentials, directory, environment and pipes already in
// place, and replaces itself with the program, so a successful RunShim
// never returns. Otherwise it writes the reference's two failure lines
// ("supervisor: couldn't exec X: ENOENT", "supervisor: child process was
// not spawned") to stderr and returns 127, the exit code the reference's
// child uses, for the caller to exit with.
func RunShim(args []string, stderr io.Writer) int {
	switch {
	case len(args) == 2 && args[0] == shimFail:
		return shimFailed(stderr, args[1])
	case len(args) >= 4 && args[0] == shimExec:
		mask, err := strconv.ParseUint(args[1], 8, 32)
		if err != nil {
			return shimFailed(stderr, fmt.Sprintf("couldn't set umask %s: %v", args[1], err))
		}
		syscall.Umask(int(mask))
		err = syscall.Exec(args[2], args[3:], os.Environ())
		return shimFailed(stderr, fmt.Sprintf("couldn't exec %s: %s", args[3], errnoName(err)))
	}
	return shimFailed(stderr, fmt.Sprintf("bad spawn shim arguments %q", args))
}

func shimFailed(stderr io.Writer, msg string) int {
	_, _ = io.WriteString(stderr, childFailureText(msg))
	return 127
}
