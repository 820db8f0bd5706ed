package metrics

import (
	"sync"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol"
)

// Counters counts what no snapshot can show, as it happens: restarts
// and spawn failures per process, from the supervisor's PROCESS_STATE
// events ([Counters.Observe]), and the outcome of the last config
// reload ([Counters.Reload]). A [Collector] reports them beside the
// snapshot. The counts of a process live as long as the Counters, so a
// program removed and added again keeps counting; the Collector reports
// only the processes of the current snapshot. Counters is safe for
// concurrent use.
type Counters struct {
	mu         sync.Mutex
	procs      map[procKey]*procCounts
	reloadOK   bool
	reloadTime time.Time // of the last success
}

type procKey struct{ group, name string }

type procCounts struct{ restarts, spawnFailures uint64 }

// NewCounters returns Counters with no counts and a successful reload
// now: the daemon starts from a config it could read.
func NewCounters() *Counters {
	return &Counters{procs: map[procKey]*procCounts{}, reloadOK: true, reloadTime: time.Now()}
}

// Observe counts one event; pass it as supervisor.Options.Events. It
// never blocks for long. A restart is STARTING entered from EXITED
// (autorestart) or BACKOFF (a retry), a start the daemon made on its
// own; a spawn failure is BACKOFF entered, a start that failed
// (supervisor.md §4.2). Other events are ignored.
func (c *Counters) Observe(p protocol.Payload) {
	ev, ok := p.(protocol.ProcessState)
	if !ok {
		return
	}
	restart := ev.Type == protocol.ProcessStateStarting &&
		(ev.FromState == process.Exited.String() || ev.FromState == process.Backoff.String())
	failure := ev.Type == protocol.ProcessStateBackoff
	if !restart && !failure {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := procKey{ev.GroupName, ev.ProcessName}
	pc := c.procs[k]
	if pc == nil {
		pc = &procCounts{}
		c.procs[k] = pc
	}
	if restart {
		pc.restarts++
	} else {
		pc.spawnFailures++
	}
}

// Reload wraps the function that re-reads the config file
// (supervisor.Options.Reload) to record each outcome.
func (c *Counters) Reload(load func() (*config.File, error)) func() (*config.File, error) {
	return func() (*config.File, error) {
		f, err := load()
		c.mu.Lock()
		defer c.mu.Unlock()
		c.reloadOK = err == nil
		if err == nil {
			c.reloadTime = time.Now()
		}
		return f, err
	}
}

// process returns the counts of one process.
func (c *Counters) process(group, name string) procCounts {
	c.mu.Lock()
	defer c.mu.Unlock()
	if pc := c.procs[procKey{group, name}]; pc != nil {
		return *pc
	}
	return procCounts{}
}

// reload returns the outcome of the last reload.
func (c *Counters) reload() (ok bool, lastSuccess time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reloadOK, c.reloadTime
}
