package rpc

import (
	"strings"
	"syscall"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// signalNames are the names of Python's signal module on Linux, which the
// reference's signal_number looks "SIG" + name up in. Besides the signals
// and their aliases (CLD, IOT, POLL) the module holds the SIG_DFL, SIG_IGN
// and sigmask constants, which the reference therefore takes as signals 0,
// 1 and 2: so do we.
var signalNames = map[string]syscall.Signal{
	"SIGHUP": 1, "SIGINT": 2, "SIGQUIT": 3, "SIGILL": 4, "SIGTRAP": 5, "SIGABRT": 6,
	"SIGIOT": 6, "SIGBUS": 7, "SIGFPE": 8, "SIGKILL": 9, "SIGUSR1": 10, "SIGSEGV": 11,
	"SIGUSR2": 12, "SIGPIPE": 13, "SIGALRM": 14, "SIGTERM": 15, "SIGSTKFLT": 16,
	"SIGCHLD": 17, "SIGCLD": 17, "SIGCONT": 18, "SIGSTOP": 19, "SIGTSTP": 20,
	"SIGTTIN": 21, "SIGTTOU": 22, "SIGURG": 23, "SIGXCPU": 24, "SIGXFSZ": 25,
	"SIGVTALRM": 26, "SIGPROF": 27, "SIGWINCH": 28, "SIGIO": 29, "SIGPOLL": 29,
	"SIGPWR": 30, "SIGSYS": 31, "SIGRTMIN": 34, "SIGRTMAX": 64,
	"SIG_DFL": 0, "SIG_IGN": 1, "SIG_BLOCK": 0, "SIG_UNBLOCK": 1, "SIG_SETMASK": 2,
}

// validSignal reports whether n is in the reference's SIGNUMS: the values
// of the names above.
func validSignal(n int) bool {
	return n >= 0 && n <= 31 || n == 34 || n == 64
}

// parseSignal converts a signal parameter as the reference's
// signal_number does: int() of it if that works (5, "5", true), else a
// name with or without SIG in any case; the number must be one Python
// names. ok is false for BAD_SIGNAL.
func parseSignal(v xmlrpc.Value) (sig syscall.Signal, ok bool) {
	if n, ok := pyInt(v); ok {
		return syscall.Signal(n), validSignal(n)
	}
	s, ok := asString(v)
	if !ok {
		return 0, false
	}
	name := strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	sig, ok = signalNames[name]
	return sig, ok
}
