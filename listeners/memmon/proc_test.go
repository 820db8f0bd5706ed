package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shirou/gopsutil/v3/process"

	"github.com/lancerhq/lancer/internal/testproc"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

func TestMain(m *testing.M) {
	process.EnableBootTimeCache(true) // as main does
	testproc.Main(m, map[string]testproc.Func{"fork-hold": helperForkHold})
}

// fork-hold MB DUR: start a hold-rss MB DUR grandchild in the same
// process group, wait until it holds its memory, print its pid, sleep
// DUR: a program whose memory is all in a child, which only -c sees.
func helperForkHold(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(stderr, "usage: fork-hold MB DUR")
		return 126
	}
	d, err := time.ParseDuration(args[1])
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 126
	}
	argv := testproc.Argv("hold-rss", args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	out, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		fmt.Fprintln(stderr, "start grandchild:", err)
		return 1
	}
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "ready\n" {
		fmt.Fprintf(stderr, "grandchild said %q, %v\n", line, err)
		return 1
	}
	fmt.Fprintln(stdout, cmd.Process.Pid)
	time.Sleep(min(d, 10*time.Minute))
	return 0
}

// startHelper starts helper name and returns its pid and the first line
// it prints. On cleanup it kills the helper's process group and checks
// that nothing of it is left.
func startHelper(t *testing.T, name string, args ...string) (int, string) {
	t.Helper()
	cmd := testproc.Command(t, name, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	t.Cleanup(func() {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		_ = cmd.Wait()
		testproc.AssertGroupGone(t, pid, 5*time.Second)
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("%s: first line %q: %v", name, line, err)
	}
	return pid, strings.TrimSpace(line)
}

const mib = 1 << 20

// TestRealRSS reads the RSS of a process holding 48 MiB from /proc.
func TestRealRSS(t *testing.T) {
	t.Parallel()
	pid, _ := startHelper(t, "hold-rss", "48", "1m")
	rss, err := procfs{}.RSS(t.Context(), pid)
	// The race detector's shadow memory counts too: 123 MiB under -race.
	if err != nil || rss < 48*mib || rss > 256*mib {
		t.Errorf("RSS of hold-rss 48 = %d MiB, %v; want 48 MiB and the runtime's share", rss/mib, err)
	}
}

// TestRealChildren finds fork-child's grandchild in the process table.
func TestRealChildren(t *testing.T) {
	t.Parallel()
	pid, line := startHelper(t, "fork-child", "1m")
	grandchild, err := strconv.Atoi(line)
	if err != nil {
		t.Fatalf("fork-child printed %q", line)
	}
	kids, err := procfs{}.Children(t.Context())
	if err != nil || !slices.Contains(kids[pid], grandchild) {
		t.Errorf("Children()[%d] = %v, %v; want %d in it", pid, kids[pid], err, grandchild)
	}
}

// TestRealTreeRSS: with -c the RSS of a process includes its children's.
func TestRealTreeRSS(t *testing.T) {
	t.Parallel()
	pid, line := startHelper(t, "fork-hold", "64", "1m")
	grandchild, _ := strconv.Atoi(line)
	r := procfs{}
	own, err := r.RSS(t.Context(), pid)
	if err != nil || own >= 64*mib {
		t.Fatalf("RSS of fork-hold itself = %d MiB, %v; want less than 64 MiB", own/mib, err)
	}
	kids, err := r.Children(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	total, counted, err := treeRSS(t.Context(), r, pid, kids)
	if err != nil || total < own+64*mib || !slices.Contains(counted, grandchild) {
		t.Errorf("treeRSS = %d MiB of %v, %v; want over %d MiB with %d", total/mib, counted, err, (own+64*mib)/mib, grandchild)
	}
}

// TestRunRealProcesses runs memmon end to end, as supervisord would: its
// run function with the real /proc, a fake supervisord over XML-RPC that
// lists two real processes, and one TICK on stdin. Only the process over
// its limit is restarted; -c sees the memory held by a grandchild.
func TestRunRealProcesses(t *testing.T) {
	t.Parallel()
	// fork-hold itself takes 9 MiB, 26 MiB under -race: well under 48.
	hog, _ := startHelper(t, "hold-rss", "64", "1m")
	tree, _ := startHelper(t, "fork-hold", "64", "1m")
	procs := []xmlrpc.ProcessInfo{
		{Name: "hog", Group: "hog", PID: hog, Start: dummyNow - 100, Now: dummyNow},
		{Name: "tree", Group: "tree", PID: tree, Start: dummyNow - 100, Now: dummyNow},
	}
	for _, tc := range []struct {
		name  string
		args  []string
		calls []string
	}{
		{"RSS", []string{"-a", "48MB"}, []string{"stop hog:hog", "start hog:hog"}},
		{"cumulative", []string{"-c", "-a", "48MB"}, []string{"stop hog:hog", "start hog:hog", "stop tree:tree", "start tree:tree"}},
		{"under the limit", []string{"-p", "hog=1GB", "-g", "tree=1GB"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rpc := newFakeRPC(procs...)
			url := serveXMLRPC(t, rpc)
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), tc.args, strings.NewReader(event(t, "TICK_5", "when:1")), &stdout, &stderr,
				env{getenv: mapEnv{"SUPERVISOR_SERVER_URL": url}.get, procRoot: "/proc", cgroup: "/sys/fs/cgroup"})
			if code != 0 || stdout.String() != transcript {
				t.Fatalf("run = %d, stdout %q; want 0, %q\nstderr:\n%s", code, stdout.String(), transcript, stderr.String())
			}
			if got := rpc.Calls(); !slices.Equal(got, tc.calls) {
				t.Errorf("calls = %q; want %q\nstderr:\n%s", got, tc.calls, stderr.String())
			}
		})
	}
}

// TestRunUnreachable: supervisord's socket does not exist; memmon says
// so on stderr, acknowledges the TICK and exits 0 when stdin ends.
func TestRunUnreachable(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	url := "unix://" + t.TempDir() + "/supervisor.sock"
	code := run(t.Context(), []string{"-a", "1MB"}, strings.NewReader(event(t, "TICK_60", "when:1")), &stdout, &stderr,
		env{getenv: mapEnv{"SUPERVISOR_SERVER_URL": url}.get})
	if code != 0 || stdout.String() != transcript {
		t.Errorf("run = %d, stdout %q; want 0, %q", code, stdout.String(), transcript)
	}
	if !strings.Contains(stderr.String(), "cannot list processes") {
		t.Errorf("stderr = %q; want the failure", stderr.String())
	}
}

// TestRunExits checks the exit statuses and that nothing but the
// protocol reaches stdout.
func TestRunExits(t *testing.T) {
	t.Parallel()
	withURL := mapEnv{"SUPERVISOR_SERVER_URL": "unix:///nonexistent.sock"}.get
	for _, tc := range []struct {
		name   string
		args   []string
		getenv func(string) string
		code   int
		stderr string // a substring
	}{
		{"no arguments", nil, withURL, 255, "memmon [-c] [-p processname=byte_size]"},
		{"help", []string{"-h"}, withURL, 0, "Options:"},
		{"long help", []string{"--he"}, withURL, 0, "Options:"},
		{"unknown option", []string{"--groupname", "a=1"}, withURL, 255, "memmon: option --groupname not recognized\nmemmon [-c]"},
		{"bad value", []string{"-p", "foo"}, withURL, 255, "Unparseable value 'foo' for '-p'\nmemmon [-c]"},
		{"not under supervisord", []string{"-a", "1GB"}, mapEnv{}.get, 1, "memmon: SUPERVISOR_SERVER_URL is not set"},
		{"bad server url", []string{"-a", "1GB"}, mapEnv{"SUPERVISOR_SERVER_URL": "ftp://x"}.get, 1, "unknown protocol"},
		{"bad sendmail", []string{"-a", "1GB", "-m", "x@y", "-s", "'open"}, withURL, 255, "unterminated quote"},
		{"stdin closed", []string{"-a", "1GB"}, withURL, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), tc.args, strings.NewReader(""), &stdout, &stderr, env{getenv: tc.getenv})
			if code != tc.code || !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tc.args, code, stderr.String(), tc.code, tc.stderr)
			}
			want := ""
			if tc.code == 0 && tc.stderr == "" {
				want = "READY\n"
			}
			if stdout.String() != want {
				t.Errorf("stdout = %q; want %q", stdout.String(), want)
			}
		})
	}
}

// serveXMLRPC serves rpc as supervisord's XML-RPC interface and returns
// its URL.
func serveXMLRPC(t *testing.T, rpc *fakeRPC) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method, params, err := xmlrpc.DecodeRequest(r.Body, xmlrpc.Limits{})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var name string
		if len(params) > 0 {
			name, _ = params[0].AsString()
		}
		res, err := dispatch(r.Context(), rpc, method, name)
		var f *xmlrpc.Fault
		if errors.As(err, &f) {
			res = f
		} else if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_ = xmlrpc.EncodeResponse(w, res)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func dispatch(ctx context.Context, rpc *fakeRPC, method, name string) (any, error) {
	switch method {
	case "supervisor.getAllProcessInfo":
		return rpc.GetAllProcessInfo(ctx)
	case "supervisor.getProcessInfo":
		return rpc.GetProcessInfo(ctx, name)
	case "supervisor.stopProcess":
		return true, rpc.StopProcess(ctx, name, true)
	case "supervisor.startProcess":
		return true, rpc.StartProcess(ctx, name, true)
	}
	return nil, xmlrpc.NewFault(xmlrpc.FaultUnknownMethod, method)
}
