package supervisor

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/lancerhq/lancer/core/internal/process"
)

// prSetChildSubreaper is prctl's PR_SET_CHILD_SUBREAPER.
const prSetChildSubreaper = 36

// BecomeSubreaper marks the daemon a child subreaper, so that the
// grandchildren of a program that exits (sh -c "x; sleep 1000") are
// re-parented to it and reaped, not to init (the reference's #1101). As
// PID 1 in a container every orphan comes to it anyway.
func BecomeSubreaper() error {
	if err := prctl(prSetChildSubreaper, 1); err != nil {
		return fmt.Errorf("become child subreaper: %w", err)
	}
	return nil
}

func prctl(option, arg int) error {
	_, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, uintptr(option), uintptr(arg), 0)
	if e != 0 {
		return e
	}
	return nil
}

// trackingSpawner wraps a Spawner and remembers the pids it started, so
// that the reaper leaves them to their own Wait. Spawns and reaps exclude
// each other: a child that exits before its pid is recorded cannot be
// mistaken for an orphan. Spawns run at once, and report in the order
// that order expects (spawnorder.go).
type trackingSpawner struct {
	inner process.Spawner
	order spawnOrder
	forks sync.RWMutex // read-held by spawns, held by the reaper
	mu    sync.Mutex   // guards pids
	pids  map[int]bool
}

func newTrackingSpawner(inner process.Spawner) *trackingSpawner {
	return &trackingSpawner{inner: inner, pids: make(map[int]bool)}
}

// Spawn starts a child and records its pid until it has been waited for.
func (t *trackingSpawner) Spawn(spec process.SpawnSpec) (process.Proc, error) {
	turn := t.order.claim(spec.Name)
	p, err := t.spawn(spec)
	turn()
	return p, err
}

func (t *trackingSpawner) spawn(spec process.SpawnSpec) (process.Proc, error) {
	t.forks.RLock()
	defer t.forks.RUnlock()
	p, err := t.inner.Spawn(spec)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	t.pids[p.Pid()] = true
	t.mu.Unlock()
	return &trackedProc{Proc: p, t: t}, nil
}

func (t *trackingSpawner) tracked(pid int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.pids[pid]
}

// Check passes through to the inner spawner's command check, if it has one.
func (t *trackingSpawner) Check(spec process.SpawnSpec) error {
	if c, ok := t.inner.(process.Checker); ok {
		return c.Check(spec)
	}
	return nil
}

type trackedProc struct {
	process.Proc
	t *trackingSpawner
}

// Wait waits for the child and forgets its pid.
func (p *trackedProc) Wait() process.ExitStatus {
	st := p.Proc.Wait()
	p.t.mu.Lock()
	delete(p.t.pids, p.Pid())
	p.t.mu.Unlock()
	return st
}

// reaper reaps children the daemon did not spawn: orphans re-parented to
// it as a subreaper or PID 1.
type reaper struct {
	t   *trackingSpawner
	log *slog.Logger
}

func newReaper(t *trackingSpawner, log *slog.Logger) *reaper { return &reaper{t: t, log: log} }

// reap waits for every zombie child that is not a spawned process, and
// logs it as the reference logs an unknown pid.
func (r *reaper) reap() {
	r.t.forks.Lock()
	defer r.t.forks.Unlock()
	for _, pid := range zombieChildren() {
		if r.t.tracked(pid) {
			continue
		}
		var ws syscall.WaitStatus
		got, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
		if err != nil || got != pid {
			continue
		}
		r.log.Info(fmt.Sprintf("reaped unknown pid %d (%s)", pid, describeWait(ws)))
	}
}

// zombieChildren lists the daemon's zombie children from /proc, as pids
// of the daemon's own PID namespace (what wait4 takes).
func zombieChildren() []int {
	var out []int
	for _, child := range children() {
		status, err := os.ReadFile("/proc/" + strconv.Itoa(child) + "/status")
		if err != nil {
			continue
		}
		if pid, zombie := parseStatus(status); zombie && pid > 0 {
			out = append(out, pid)
		}
	}
	return out
}

// parseStatus reads a /proc/PID/status file: whether the process is a
// zombie, and its pid in the innermost PID namespace, the last field of
// NSpid. /proc may belong to an outer namespace (a container whose /proc
// is the host's, with the daemon as its PID 1): its children files and
// directory names are then host pids, which wait4 in the container does
// not know.
func parseStatus(status []byte) (pid int, zombie bool) {
	for line := range bytes.Lines(status) {
		key, val, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		f := bytes.Fields(val)
		switch string(key) {
		case "State":
			zombie = len(f) > 0 && string(f[0]) == "Z"
		case "NSpid":
			if len(f) > 0 {
				pid, _ = strconv.Atoi(string(f[len(f)-1]))
			}
		case "Pid":
			if pid == 0 && len(f) > 0 { // kernels before 4.1 have no NSpid
				pid, _ = strconv.Atoi(string(f[0]))
			}
		}
	}
	return pid, zombie
}

// children lists the daemon's children, from every thread's children
// file. It goes through /proc/self, not /proc/<getpid()>: as PID 1 of a
// container whose /proc is the host's, getpid() would name another
// process there.
func children() []int {
	dir := "/proc/self/task"
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []int
	for _, task := range tasks {
		b, err := os.ReadFile(dir + "/" + task.Name() + "/children")
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// describeWait renders a wait status as the reference's reap message does.
func describeWait(ws syscall.WaitStatus) string {
	if ws.Signaled() {
		return "terminated by " + process.SignalName(ws.Signal())
	}
	return "exit status " + strconv.Itoa(ws.ExitStatus())
}
