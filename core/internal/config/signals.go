package config

import (
	"fmt"
	"strings"
	"syscall"
)

// signalNames are the names supervisord accepts (Python's signal module on
// Linux), without the SIG prefix. CLD, IOT and POLL are Python's aliases.
var signalNames = map[string]syscall.Signal{
	"HUP": syscall.SIGHUP, "INT": syscall.SIGINT, "QUIT": syscall.SIGQUIT,
	"ILL": syscall.SIGILL, "TRAP": syscall.SIGTRAP, "ABRT": syscall.SIGABRT,
	"IOT": syscall.SIGIOT, "BUS": syscall.SIGBUS, "FPE": syscall.SIGFPE,
	"KILL": syscall.SIGKILL, "USR1": syscall.SIGUSR1, "SEGV": syscall.SIGSEGV,
	"USR2": syscall.SIGUSR2, "PIPE": syscall.SIGPIPE, "ALRM": syscall.SIGALRM,
	"TERM": syscall.SIGTERM, "STKFLT": syscall.SIGSTKFLT, "CHLD": syscall.SIGCHLD,
	"CLD": syscall.SIGCHLD, "CONT": syscall.SIGCONT, "STOP": syscall.SIGSTOP,
	"TSTP": syscall.SIGTSTP, "TTIN": syscall.SIGTTIN, "TTOU": syscall.SIGTTOU,
	"URG": syscall.SIGURG, "XCPU": syscall.SIGXCPU, "XFSZ": syscall.SIGXFSZ,
	"VTALRM": syscall.SIGVTALRM, "PROF": syscall.SIGPROF, "WINCH": syscall.SIGWINCH,
	"POLL": syscall.SIGIO, "IO": syscall.SIGIO, "PWR": syscall.SIGPWR,
	"SYS": syscall.SIGSYS,
	// glibc reserves 32 and 33; Python reports the rest of the real-time
	// range only by its ends.
	"RTMIN": 34, "RTMAX": 64,
}

// validSignal reports whether n is a number supervisord accepts: 0 (the
// reference takes it) or the number of a name above.
func validSignal(n int) bool {
	if n == 0 {
		return true
	}
	for _, s := range signalNames {
		if int(s) == n {
			return true
		}
	}
	return false
}

const signalHint = "want a name such as TERM, HUP, INT, QUIT, KILL, USR1, USR2"

// parseSignal reads a signal name, with or without SIG and in any case, or
// a signal number.
func parseSignal(text string) (syscall.Signal, error) {
	if n, err := pyInt(text, 10); err == nil {
		if !validSignal(n) {
			return 0, fmt.Errorf("unknown signal number %s (%s)", pyStrip(text), signalHint)
		}
		return syscall.Signal(n), nil
	}
	name := strings.TrimPrefix(strings.ToUpper(pyStrip(text)), "SIG")
	if s, ok := signalNames[name]; ok {
		return s, nil
	}
	return 0, fmt.Errorf("unknown signal %q (%s)", text, signalHint)
}
