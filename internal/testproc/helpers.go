package testproc

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// builtins are the helpers every test binary has. Each one bounds its own
// lifetime, so a helper that a test forgets to stop still goes away.
var builtins = map[string]Func{
	"exit":        helperExit,
	"sleep":       helperSleep,
	"ignore-term": helperIgnoreTerm,
	"print":       helperPrint,
	"hold-rss":    helperHoldRSS,
	"fork-child":  helperForkChild,
	"pcomm":       helperPComm,
	"echo":        helperEcho,
}

// maxLife caps every helper that sleeps, whatever it was asked for.
const maxLife = 10 * time.Minute

func usage(stderr io.Writer, msg string) int {
	fmt.Fprintln(stderr, "testproc:", msg)
	return 126
}

func duration(arg string) (time.Duration, error) {
	d, err := time.ParseDuration(arg)
	if err != nil {
		return 0, fmt.Errorf("parse duration %q: %w", arg, err)
	}
	return min(d, maxLife), nil
}

// exit CODE: exit at once with CODE.
func helperExit(args []string, _, stderr io.Writer) int {
	if len(args) != 1 {
		return usage(stderr, "usage: exit CODE")
	}
	code, err := strconv.Atoi(args[0])
	if err != nil {
		return usage(stderr, err.Error())
	}
	return code
}

// sleep DUR [CODE]: sleep, then exit with CODE (default 0).
func helperSleep(args []string, _, stderr io.Writer) int {
	if len(args) < 1 || len(args) > 2 {
		return usage(stderr, "usage: sleep DUR [CODE]")
	}
	d, err := duration(args[0])
	if err != nil {
		return usage(stderr, err.Error())
	}
	code := 0
	if len(args) == 2 {
		if code, err = strconv.Atoi(args[1]); err != nil {
			return usage(stderr, err.Error())
		}
	}
	time.Sleep(d)
	return code
}

// ignore-term DUR: ignore SIGTERM (and SIGINT, SIGHUP) and sleep, so that only
// SIGKILL ends it early. It prints "ready" once the signals are ignored.
func helperIgnoreTerm(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		return usage(stderr, "usage: ignore-term DUR")
	}
	d, err := duration(args[0])
	if err != nil {
		return usage(stderr, err.Error())
	}
	signal.Ignore(syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	fmt.Fprintln(stdout, "ready")
	time.Sleep(d)
	return 0
}

// print N [stdout|stderr|both]: write N numbered lines, then exit 0.
func helperPrint(args []string, stdout, stderr io.Writer) int {
	if len(args) < 1 || len(args) > 2 {
		return usage(stderr, "usage: print N [stdout|stderr|both]")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 0 {
		return usage(stderr, fmt.Sprintf("bad line count %q", args[0]))
	}
	channel := "stdout"
	if len(args) == 2 {
		channel = args[1]
	}
	outs := map[string][]io.Writer{
		"stdout": {stdout}, "stderr": {stderr}, "both": {stdout, stderr},
	}[channel]
	if outs == nil {
		return usage(stderr, fmt.Sprintf("bad channel %q", channel))
	}
	for i := range n {
		for _, w := range outs {
			fmt.Fprintf(w, "line %06d 0123456789abcdefghijklmnopqrstuvwxyz\n", i)
		}
	}
	return 0
}

// hold-rss MB DUR: allocate and touch MB mebibytes, print "ready", then sleep.
func helperHoldRSS(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 {
		return usage(stderr, "usage: hold-rss MB DUR")
	}
	mb, err := strconv.Atoi(args[0])
	if err != nil || mb < 0 || mb > 4096 {
		return usage(stderr, fmt.Sprintf("bad size %q (0..4096 MB)", args[0]))
	}
	d, err := duration(args[1])
	if err != nil {
		return usage(stderr, err.Error())
	}
	buf := make([]byte, mb<<20)
	for i := 0; i < len(buf); i += 4096 {
		buf[i] = 1
	}
	fmt.Fprintln(stdout, "ready")
	time.Sleep(d)
	return int(buf[0]) - 1 // keeps buf alive until here; exits 0
}

// fork-child DUR: start a grandchild ("sleep DUR") in the same process group,
// print its pid, then sleep DUR. It is what `sh -c "x; sleep 1000"` does to
// a supervisor: a stop that reaches only the child leaves the grandchild.
func helperForkChild(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		return usage(stderr, "usage: fork-child DUR")
	}
	d, err := duration(args[0])
	if err != nil {
		return usage(stderr, err.Error())
	}
	argv := Argv("sleep", d.String())
	cmd := exec.Command(argv[0], argv[1:]...)
	if err := cmd.Start(); err != nil {
		return usage(stderr, "start grandchild: "+err.Error())
	}
	fmt.Fprintln(stdout, cmd.Process.Pid)
	time.Sleep(d)
	return 0
}

// pcomm TEXT [DUR]: write TEXT between supervisord's capture-mode tags on
// stdout (what childutils.pcomm.stdout does), then sleep DUR (default 0).
func helperPComm(args []string, stdout, stderr io.Writer) int {
	if len(args) < 1 || len(args) > 2 {
		return usage(stderr, "usage: pcomm TEXT [DUR]")
	}
	d := time.Duration(0)
	if len(args) == 2 {
		var err error
		if d, err = duration(args[1]); err != nil {
			return usage(stderr, err.Error())
		}
	}
	fmt.Fprint(stdout, "<!--XSUPERVISOR:BEGIN-->"+args[0]+"<!--XSUPERVISOR:END-->")
	if f, ok := stdout.(*os.File); ok {
		_ = f.Sync()
	}
	time.Sleep(d)
	return 0
}

// echo TEXT [stdout|stderr] [DUR]: write TEXT (with \n appended) in one
// write to the channel, then sleep DUR (default 0): one chunk of output,
// so that a supervisor reads it in one piece.
func helperEcho(args []string, stdout, stderr io.Writer) int {
	if len(args) < 1 || len(args) > 3 {
		return usage(stderr, "usage: echo TEXT [stdout|stderr] [DUR]")
	}
	w := stdout
	if len(args) > 1 && args[1] == "stderr" {
		w = stderr
	} else if len(args) > 1 && args[1] != "stdout" {
		return usage(stderr, fmt.Sprintf("bad channel %q", args[1]))
	}
	d := time.Duration(0)
	if len(args) == 3 {
		var err error
		if d, err = duration(args[2]); err != nil {
			return usage(stderr, err.Error())
		}
	}
	if _, err := io.WriteString(w, args[0]+"\n"); err != nil {
		return 1
	}
	time.Sleep(d)
	return 0
}
