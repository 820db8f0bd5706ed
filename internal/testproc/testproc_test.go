package testproc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestMain(m *testing.M) { Main(m, map[string]Func{"extra": helperExtra}) }

// helperExtra shows that a package can add its own helpers.
func helperExtra(args []string, stdout, _ io.Writer) int {
	fmt.Fprint(stdout, strings.Join(args, "+"))
	return 5
}

func TestExtraHelper(t *testing.T) {
	t.Parallel()
	out, err := Command(t, "extra", "a", "b").Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 5 || string(out) != "a+b" {
		t.Errorf("extra a b = (%q, %v); want (\"a+b\", exit 5)", out, err)
	}
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"exit zero", []string{"exit", "0"}, 0},
		{"exit three", []string{"exit", "3"}, 3},
		{"sleep then code", []string{"sleep", "10ms", "4"}, 4},
		{"unknown helper", []string{"nosuch"}, 127},
		{"bad usage", []string{"exit"}, 126},
		{"bad duration", []string{"sleep", "forever"}, 126},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cmd := Command(t, tt.args[0], tt.args[1:]...)
			err := cmd.Run()
			got := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				got = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("helper %v exit = %d; want %d", tt.args, got, tt.want)
			}
		})
	}
}

func TestPrintLines(t *testing.T) {
	t.Parallel()
	out, err := Command(t, "print", "3").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[2], "line 000002 ") {
		t.Errorf("print 3 = %q; want 3 numbered lines", out)
	}
}

func TestIgnoreTermNeedsKill(t *testing.T) {
	t.Parallel()
	cmd := Command(t, "ignore-term", "30s")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
		t.Fatalf("ignore-term printed %q; want ready", line)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		t.Fatalf("ignore-term exited on SIGTERM: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	_ = cmd.Process.Kill()
	<-done
	AssertGroupGone(t, cmd.Process.Pid, 5*time.Second)
}

func TestForkChildKilledAsGroup(t *testing.T) {
	t.Parallel()
	cmd := Command(t, "fork-child", "30s")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	grandchild, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatalf("fork-child printed %q; want a pid", line)
	}
	if PIDGone(grandchild) {
		t.Fatalf("grandchild %d is not running", grandchild)
	}
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	// The grandchild is re-parented to init (or a subreaper) and reaped there.
	AssertGroupGone(t, cmd.Process.Pid, 5*time.Second)
}

func TestHoldRSS(t *testing.T) {
	t.Parallel()
	cmd := Command(t, "hold-rss", "32", "30s")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
		t.Fatalf("hold-rss printed %q; want ready", line)
	}
	status, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	var rssKB int
	for l := range bytes.Lines(status) {
		if f := strings.Fields(string(l)); len(f) >= 2 && f[0] == "VmRSS:" {
			rssKB, _ = strconv.Atoi(f[1])
		}
	}
	if rssKB < 32<<10 {
		t.Errorf("hold-rss 32 RSS = %d kB; want at least %d kB", rssKB, 32<<10)
	}
}

func TestPComm(t *testing.T) {
	t.Parallel()
	out, err := Command(t, "pcomm", "héllo").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "<!--XSUPERVISOR:BEGIN-->héllo<!--XSUPERVISOR:END-->"; string(out) != want {
		t.Errorf("pcomm = %q; want %q", out, want)
	}
}

func TestCommandLineQuoting(t *testing.T) {
	t.Parallel()
	got := CommandLine("pcomm", "a b", "100%")
	if !strings.Contains(got, "'a b'") || !strings.Contains(got, "100%%") {
		t.Errorf("CommandLine = %q; want quoted space and doubled percent", got)
	}
}

func TestEcho(t *testing.T) {
	t.Parallel()
	cmd := Command(t, "echo", "hello wörld", "stderr")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if out.String() != "" || errOut.String() != "hello wörld\n" {
		t.Errorf("echo to stderr = (%q, %q); want (\"\", \"hello wörld\\n\")", out.String(), errOut.String())
	}
}
