package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/core/internal/process"
)

// asMainEnv makes the test binary run as supervisord: main() instead of
// the tests. The daemon tests start this binary rather than one built
// with go build: it is the same main and run, built with the test's
// flags (so -race covers the daemon too), with no toolchain needed at
// test time. Daemonizing re-executes os.Executable() with the same
// arguments and environment, so the daemon copy is supervisord too, and
// the spawn shim (/proc/self/exe with process.ShimArg) is recognised as
// main recognises it.
const asMainEnv = "LANCER_SUPERVISORD_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" || (len(os.Args) > 1 && os.Args[1] == process.ShimArg) {
		main()
	}
	os.Exit(m.Run())
}

// supervisordCmd returns a command running this binary as supervisord
// with args, in its own process group, killed with that group if the
// test ends first.
func supervisordCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	race := "atexit_sleep_ms=0" // a -race binary otherwise sleeps 1s at exit
	if v, ok := os.LookupEnv("GORACE"); ok {
		race = v + " " + race
	}
	cmd.Env = append(os.Environ(), asMainEnv+"=1", "GORACE="+race)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	t.Cleanup(func() {
		if cmd.Process != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
	return cmd
}

// daemonConf writes a config running one sleeping program, with its
// pidfile, main log and child logs in dir, and returns its path.
func daemonConf(t *testing.T, dir, extra string) string {
	t.Helper()
	return writeConf(t, dir, `[supervisord]
logfile = %(here)s/supervisord.log
pidfile = %(here)s/supervisord.pid
childlogdir = %(here)s
`+extra+`
[program:sleeper]
command = /bin/sleep 60
startsecs = 0
`)
}

// procStat returns the fields of /proc/pid/stat after the command name:
// state, ppid, pgrp, session, ...; nil when pid is gone.
func procStat(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(string(b[i+1:]))
}

// exited reports whether pid has exited: it is gone, or a zombie left to
// whoever adopted it.
func exited(pid int) bool {
	st := procStat(pid)
	return st == nil || st[0] == "Z"
}

// waitFor polls cond, which observes another process, until timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitLog waits until the main log at path matches re and returns the
// submatches.
func waitLog(t *testing.T, path, re string) []string {
	t.Helper()
	rx := regexp.MustCompile(re)
	var m []string
	waitFor(t, 10*time.Second, "main log to match "+re, func() bool {
		b, _ := os.ReadFile(path)
		m = rx.FindStringSubmatch(string(b))
		return m != nil
	})
	return m
}

func readPid(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("pidfile: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatalf("pidfile holds %q", b)
	}
	return pid
}

// TestDaemonize runs supervisord with nodaemon=false: the command exits
// 0 once the daemon copy runs, which is in a session of its own with its
// standard streams on /dev/null, holds the pidfile and on SIGTERM stops
// its programs, removes the pidfile and exits.
func TestDaemonize(t *testing.T) {
	dir := t.TempDir()
	conf := daemonConf(t, dir, "")
	pidfile, logfile := filepath.Join(dir, "supervisord.pid"), filepath.Join(dir, "supervisord.log")
	cmd := supervisordCmd(t, "-c", conf)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("supervisord = %v; want exit 0\nstderr: %s", err, stderr.String())
	}
	if stdout.Len() > 0 || stderr.Len() > 0 {
		t.Errorf("supervisord wrote stdout %q, stderr %q; want nothing", stdout.String(), stderr.String())
	}
	// The parent has exited: the daemon must already run.
	pid := readPid(t, pidfile)
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	st := procStat(pid)
	if pid == cmd.Process.Pid || st == nil || st[0] == "Z" {
		t.Fatalf("pidfile holds %d (parent %d, stat %q); want the running daemon", pid, cmd.Process.Pid, st)
	}
	if st[3] != strconv.Itoa(pid) {
		t.Errorf("daemon %d is in session %s; want a session of its own", pid, st[3])
	}
	for fd := range 3 {
		if target, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%d", pid, fd)); target != os.DevNull {
			t.Errorf("daemon's fd %d is %q; want %s", fd, target, os.DevNull)
		}
	}
	waitLog(t, logfile, fmt.Sprintf(`supervisord started with pid %d\n`, pid))
	child := atoi(t, waitLog(t, logfile, `spawned: 'sleeper' with pid (\d+)\n`)[1])

	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the daemon to exit", func() bool { return exited(pid) })
	if _, err := os.Stat(pidfile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("pidfile after shutdown: %v; want it removed", err)
	}
	waitLog(t, logfile, `WARN received SIGTERM indicating exit request\n(?s:.*)WARN stopped: sleeper \(terminated by SIGTERM\)\n`)
	waitFor(t, 5*time.Second, "the program's process group to be empty", func() bool {
		return errors.Is(syscall.Kill(-child, 0), syscall.ESRCH)
	})
}

// TestDaemonStartFailure checks that an error only the daemon copy meets
// makes the command exit non-zero with the error on stderr (the command
// waits for the failed daemon copy, so none is left).
func TestDaemonStartFailure(t *testing.T) {
	tests := []struct {
		name    string
		dir     string // a directory to create where supervisord wants a file
		logfile string
		pidfile string
		want    string // what stderr holds, after "Error: "
	}{
		{"pidfile is a directory", "pid.d", "supervisord.log", "pid.d",
			"could not write pidfile DIR/pid.d: open DIR/pid.d: is a directory\n"},
		{"logfile is a directory", "log.d", "log.d", "supervisord.pid",
			"open DIR/log.d: is a directory\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, tt.dir), 0o755); err != nil {
				t.Fatal(err)
			}
			writeConf(t, dir, fmt.Sprintf(`[supervisord]
childlogdir = %%(here)s
logfile = %%(here)s/%s
pidfile = %%(here)s/%s

[program:sleeper]
command = /bin/sleep 60
`, tt.logfile, tt.pidfile))
			cmd := supervisordCmd(t, "-c", filepath.Join(dir, "supervisord.conf"))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 2 {
				t.Errorf("supervisord = %v; want exit status 2", err)
			}
			if got := strings.ReplaceAll(stderr.String(), dir, "DIR"); !strings.HasPrefix(got, "Error: ") || !strings.HasSuffix(got, tt.want) {
				t.Errorf("stderr = %q; want \"Error: ...%s\"", got, tt.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "supervisord.pid")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("pidfile after a failed start: %v; want none", err)
			}
		})
	}
}

// TestForeground runs supervisord -n: the main log goes to stdout too,
// SIGHUP restarts in the same process, SIGTERM stops it with exit 0.
func TestForeground(t *testing.T) {
	dir := t.TempDir()
	conf := daemonConf(t, dir, "")
	pidfile := filepath.Join(dir, "supervisord.pid")
	cmd := supervisordCmd(t, "-n", "-c", conf)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var got []string
	await := func(re string) []string {
		t.Helper()
		rx := regexp.MustCompile(re)
		timeout := time.After(10 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("stdout ended before %s:\n%s\nstderr: %s", re, strings.Join(got, "\n"), stderr.String())
				}
				got = append(got, l)
				if m := rx.FindStringSubmatch(l); m != nil {
					return m
				}
			case <-timeout:
				t.Fatalf("no line matching %s in:\n%s", re, strings.Join(got, "\n"))
			}
		}
	}
	pid := cmd.Process.Pid
	await(fmt.Sprintf(`INFO supervisord started with pid %d$`, pid))
	first := atoi(t, await(`INFO spawned: 'sleeper' with pid (\d+)$`)[1])
	await(`INFO success: sleeper entered RUNNING state`)
	if got := readPid(t, pidfile); got != pid {
		t.Errorf("pidfile holds %d; want %d", got, pid)
	}

	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	await(`WARN received SIGHUP indicating restart request$`)
	await(`WARN stopped: sleeper \(terminated by SIGTERM\)$`)
	await(fmt.Sprintf(`INFO supervisord started with pid %d$`, pid))
	second := atoi(t, await(`INFO spawned: 'sleeper' with pid (\d+)$`)[1])
	await(`INFO success: sleeper entered RUNNING state`)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	await(`WARN received SIGTERM indicating exit request$`)
	await(`WARN stopped: sleeper \(terminated by SIGTERM\)$`)
	for range lines {
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("supervisord -n after SIGTERM = %v; want exit 0\nstderr: %s", err, stderr.String())
	}
	if _, err := os.Stat(pidfile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("pidfile after shutdown: %v; want it removed", err)
	}
	for _, child := range []int{first, second} {
		if !errors.Is(syscall.Kill(-child, 0), syscall.ESRCH) {
			t.Errorf("process group %d of sleeper survived", child)
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}
