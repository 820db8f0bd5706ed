package supervisor

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/internal/testproc"
)

func TestMain(m *testing.M) {
	testproc.Main(m, map[string]testproc.Func{
		"spawn-shim": func(args []string, _, stderr io.Writer) int { return process.RunShim(args, stderr) },
		"fork-exit":  helperForkExit,
		"subreaper":  helperSubreaper,
	})
}

// childEnviron is the environment of helper processes: this one's, with
// the race detector's one-second sleep at exit turned off, which would
// otherwise make every helper of a -race test binary live a second
// longer than asked.
func childEnviron() []string {
	env := os.Environ()
	race := "atexit_sleep_ms=0"
	if v, ok := os.LookupEnv("GORACE"); ok {
		race = v + " " + race
	}
	return append(env, "GORACE="+race)
}

// fork-exit DUR: start a grandchild ("sleep DUR", in this process group,
// detached from this process's output), print its pid and exit 0 at
// once, leaving it an orphan: what `sh -c "x &"` does to a supervisor.
func helperForkExit(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: fork-exit DUR")
		return 126
	}
	argv := testproc.Argv("sleep", args[0])
	cmd := exec.Command(argv[0], argv[1:]...)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "start grandchild:", err)
		return 126
	}
	fmt.Fprintln(stdout, cmd.Process.Pid)
	return 0
}

// subreaper DIR: become a child subreaper and run a supervisor whose one
// program, forker, runs fork-exit. When the orphaned grandchild exits it
// is this process's child; the supervisor must reap it on SIGCHLD. The
// main log is printed to stdout, then "zombies: [...]" if any child is
// left unreaped. Exit 0 once the reap was logged, 1 otherwise.
//
// It runs in its own process because both halves are process-wide: the
// subreaper mark would make this test binary adopt the orphans of every
// other test, and the reaper reaps every zombie child of the process that
// its spawner did not start, which in a shared test binary would steal
// the children of other tests from their Wait.
func helperSubreaper(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: subreaper DIR")
		return 126
	}
	if err := BecomeSubreaper(); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	dir := args[0]
	path := filepath.Join(dir, "supervisord.conf")
	text := confHeader + fmt.Sprintf("[program:forker]\ncommand = %s\nstartsecs = 0\nautorestart = false\nstdout_logfile = %%(here)s/forker.log\n",
		testproc.CommandLine("fork-exit", "200ms"))
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	f, err := config.Load(path, config.Options{Environ: []string{}, Hostname: "h", Dir: dir})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, syscall.SIGCHLD)
	tl := &notifyHandler{timeline: newTimeline(), prefix: "reaped unknown pid ", seen: make(chan struct{})}
	s, err := New(Options{Config: f, Logger: slog.New(tl), Signals: sigs, Environ: childEnviron(), Spawner: shimSpawner()})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	ctx := context.Background()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	code := 0
	select {
	case <-tl.seen:
	case <-time.After(10 * time.Second):
		fmt.Fprintln(stderr, "timed out waiting for the orphan to be reaped")
		code = 1
	}
	_ = s.Shutdown(ctx)
	<-done
	for _, l := range logsOnly(tl.take()) {
		fmt.Fprintln(stdout, l)
	}
	if z := zombieChildren(); len(z) > 0 {
		fmt.Fprintf(stdout, "zombies: %v\n", z)
		code = 1
	}
	return code
}

// notifyHandler is a timeline that closes seen at the first message
// starting with prefix.
type notifyHandler struct {
	*timeline
	prefix string
	once   sync.Once
	seen   chan struct{}
}

func (h *notifyHandler) Handle(ctx context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, h.prefix) {
		h.once.Do(func() { close(h.seen) })
	}
	return h.timeline.Handle(ctx, r)
}

func (h *notifyHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *notifyHandler) WithGroup(string) slog.Handler      { return h }

// shimSpawner is the daemon's spawner, with this test binary as the
// shim.
func shimSpawner() *process.ExecSpawner {
	return &process.ExecSpawner{Shim: testproc.Argv("spawn-shim")}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}
