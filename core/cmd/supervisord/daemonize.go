package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// daemonEnv marks the re-executed copy of supervisord that is the daemon.
// Go cannot fork a running runtime, so daemonizing starts a fresh copy of
// the binary with the same arguments in a new session and with standard
// streams on /dev/null, which is what the reference's fork + setsid does.
const daemonEnv = "LANCER_SUPERVISORD_DAEMON"

// readyFD is the file descriptor on which the daemon copy tells its parent
// that it started: it writes nothing and closes it once it runs, or writes
// an error message and exits. The parent waits for that, so `supervisord`
// in an init script fails with the daemon's error instead of exiting 0 for
// a daemon that dies a moment later (the reference cannot report those).
const readyFD = 3

// isDaemonChild reports whether this process is the daemon copy.
func isDaemonChild() bool { return os.Getenv(daemonEnv) == "1" }

// daemonize starts the daemon copy of this process and waits until it
// reports that it is running. It returns the exit status for the parent.
func daemonize(args []string, stderr io.Writer) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "Error: daemonize: %v\n", err)
		return exitUsage
	}
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Fprintf(stderr, "Error: daemonize: %v\n", err)
		return exitUsage
	}
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		fmt.Fprintf(stderr, "Error: daemonize: %v\n", err)
		return exitUsage
	}
	defer null.Close()
	p, err := os.StartProcess(exe, append([]string{os.Args[0]}, args...), &os.ProcAttr{
		Env:   append(os.Environ(), daemonEnv+"=1"),
		Files: []*os.File{null, null, null, w},
		Sys:   &syscall.SysProcAttr{Setsid: true},
	})
	w.Close()
	if err != nil {
		r.Close()
		fmt.Fprintf(stderr, "Error: daemonize: %v\n", err)
		return exitUsage
	}
	msg, _ := io.ReadAll(io.LimitReader(r, 64<<10))
	r.Close()
	if len(msg) > 0 {
		fmt.Fprint(stderr, string(msg))
		_, _ = p.Wait()
		return exitUsage
	}
	if err := p.Release(); err != nil {
		return exitUsage
	}
	return exitOK
}

// readyPipe returns the pipe to the waiting parent when this is the daemon
// copy, or nil.
func readyPipe() *os.File {
	if !isDaemonChild() {
		return nil
	}
	os.Unsetenv(daemonEnv) // children must not inherit the marker
	f := os.NewFile(readyFD, "ready")
	if _, err := f.Stat(); err != nil {
		return nil
	}
	return f
}

// reportReady tells the waiting parent that the daemon runs (err == nil) or
// why it could not start.
func reportReady(f *os.File, err error) {
	if f == nil {
		return
	}
	if err != nil && !errors.Is(err, os.ErrClosed) {
		fmt.Fprintf(f, "Error: %v\n", err)
	}
	f.Close()
}
