package metrics

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/lancerhq/lancer/core/internal/events"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/core/internal/supervisor"
)

// Source is what a [Collector] reads at scrape time.
// *supervisor.Supervisor implements it.
type Source interface {
	Snapshot() []supervisor.ProcessStatus
	EventStats() []events.Stats
}

// Options configures a [Collector]. The zero value is useful.
type Options struct {
	// Counters supplies the restart, spawn failure and reload counts;
	// nil reports them as zero and the config as loaded at start.
	Counters *Counters
	// Usage reads RSS and CPU time; nil means ProcReader{} (/proc).
	Usage UsageReader
	// UsageWorkers bounds the processes read at once; 0 means 4.
	UsageWorkers int
	// UsageTimeout bounds the reading of every process's usage in one
	// scrape; processes not read by then are left out. 0 means 1s.
	UsageTimeout time.Duration
	// Logger receives problems reading usage, at debug level.
	Logger *slog.Logger
}

// Collector gathers a supervisor's processes and event pools for a
// [Registry], from its snapshot at each scrape. It is safe for concurrent
// use.
type Collector struct {
	src  Source
	opts Options
	log  *slog.Logger
}

// New returns a Collector of src and registers it with reg.
func New(reg *Registry, src Source, opts Options) (*Collector, error) {
	if opts.Counters == nil {
		opts.Counters = NewCounters()
	}
	if opts.Usage == nil {
		opts.Usage = ProcReader{}
	}
	if opts.UsageWorkers <= 0 {
		opts.UsageWorkers = 4
	}
	if opts.UsageTimeout <= 0 {
		opts.UsageTimeout = time.Second
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Collector{src: src, opts: opts, log: log.With("component", "metrics")}
	if err := reg.register(c); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Collector) describe() []*desc { return allDescs() }

// collect reads the snapshot and adds its samples.
func (c *Collector) collect(s *scrape) {
	procs := c.src.Snapshot()
	usage := c.readUsage(procs)
	for i := range procs {
		c.collectProcess(s, &procs[i], usage[i])
	}
	for _, st := range c.src.EventStats() {
		collectPool(s, st)
	}
	ok, at := c.opts.Counters.reload()
	s.add(descs.reloadOK, b2f(ok), nil)
	s.add(descs.reloadTime, seconds(at), nil)
}

func (c *Collector) collectProcess(s *scrape, p *supervisor.ProcessStatus, u *Usage) {
	labels := []string{p.Group, p.Name} // shared by its samples
	add := func(d *desc, v float64) { s.add(d, v, labels) }
	add(descs.state, float64(p.State))
	add(descs.up, b2f(p.State == process.Running))
	add(descs.exitStatus, float64(p.ExitStatus))
	if !p.Start.IsZero() {
		add(descs.startTime, seconds(p.Start))
	}
	n := c.opts.Counters.process(p.Group, p.Name)
	add(descs.restarts, float64(n.restarts))
	add(descs.spawnFailures, float64(n.spawnFailures))
	if u != nil {
		add(descs.rss, float64(u.RSSBytes))
		add(descs.cpu, u.CPUSeconds)
	}
	// node_exporter's supervisord collector, as it computes them.
	nodeUp := p.State.IsSignallable() // its isRunning: STARTING, RUNNING, STOPPING
	add(descs.nodeState, float64(p.State))
	add(descs.nodeExit, float64(p.ExitStatus))
	add(descs.nodeUp, b2f(nodeUp))
	if nodeUp {
		add(descs.nodeTime, float64(p.Start.Unix()))
	}
}

func collectPool(s *scrape, st events.Stats) {
	labels := []string{st.Pool}
	add := func(d *desc, v float64) { s.add(d, v, labels) }
	add(descs.bufferDepth, float64(st.Depth))
	add(descs.bufferSize, float64(st.Size))
	add(descs.accepted, float64(st.Accepted))
	add(descs.delivered, float64(st.Delivered))
	add(descs.rejected, float64(st.Rejected))
	add(descs.dropped, float64(st.Dropped))
}

// readUsage reads the usage of every process that has a pid, with
// UsageWorkers readers, within UsageTimeout. The result is aligned
// with procs; nil where there is no pid or the read failed (the process
// may have exited since the snapshot).
func (c *Collector) readUsage(procs []supervisor.ProcessStatus) []*Usage {
	out := make([]*Usage, len(procs))
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.UsageTimeout)
	defer cancel()
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(c.opts.UsageWorkers, len(procs)) {
		wg.Go(func() {
			for i := range next {
				c.readOne(ctx, procs[i].Pid, &out[i])
			}
		})
	}
	for i := range procs {
		if procs[i].Pid == 0 {
			continue
		}
		select {
		case next <- i:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	return out
}

func (c *Collector) readOne(ctx context.Context, pid int, out **Usage) {
	if ctx.Err() != nil {
		return
	}
	u, err := c.opts.Usage.Usage(ctx, pid)
	if err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			c.log.Debug("usage not read", "pid", pid, "err", err)
		}
		return
	}
	*out = &u
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// seconds is t as Unix time with fractions.
func seconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
