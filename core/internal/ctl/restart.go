package ctl

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// restartWorkers bounds the processes restarted at once, so that
// "restart all" with hundreds of processes does not open as many
// connections to supervisord.
const restartWorkers = 16

// step is one line of restart's output and the exit status it sets
// (0 for none). An empty line prints nothing.
type step struct {
	line   string
	status int
}

// restartJob restarts one process, or reports one unknown group.
type restartJob struct {
	name     string // namespec, or the group for badGroup
	stopIt   bool   // it was running: stop it first
	explicit bool   // named on the command line rather than through a group or all
	badGroup bool
	stop     step
	start    step
	err      error // unexpected, ends the command
}

// restart stops and starts processes. Each process is restarted on its
// own (stop, then start at once), in parallel with the others, instead
// of the reference's stop-everything-then-start-everything (#723); the
// output keeps the reference's lines and layout, all stop lines then all
// start lines, in the order the names were given.
func (c *Controller) restart(ctx context.Context, arg string) (bool, error) {
	if ok, err := c.upcheck(ctx); !ok {
		return false, err
	}
	if arg == "" {
		c.println("Error: restart requires a process name")
		c.status = exitGeneric
		c.usage("restart")
		return false, nil
	}
	jobs, err := c.restartJobs(ctx, strings.Fields(arg))
	if err != nil {
		return false, err
	}
	c.runJobs(ctx, jobs)
	for _, phase := range []func(*restartJob) step{
		func(j *restartJob) step { return j.stop },
		func(j *restartJob) step { return j.start },
	} {
		for _, j := range jobs {
			if s := phase(j); s.line != "" {
				c.println(s.line)
			}
			if s := phase(j); s.status != 0 {
				c.status = s.status
			}
		}
	}
	for _, j := range jobs {
		if j.err != nil {
			return false, j.err
		}
	}
	return false, nil
}

// restartJobs resolves names to one job per process, in order; a process
// named twice is restarted once.
func (c *Controller) restartJobs(ctx context.Context, names []string) ([]*restartJob, error) {
	var infos []xmlrpc.ProcessInfo
	if slices.ContainsFunc(names, func(n string) bool { _, _, isProc := splitNamespec(n); return !isProc || n == "all" }) {
		var err error
		if infos, err = c.client.GetAllProcessInfo(ctx); err != nil {
			return nil, err
		}
	}
	var jobs []*restartJob
	seen := map[string]bool{}
	add := func(j *restartJob) {
		if j.badGroup || !seen[j.name] {
			seen[j.name] = true
			jobs = append(jobs, j)
		}
	}
	if slices.Contains(names, "all") {
		for _, p := range infos {
			add(&restartJob{name: p.Namespec(), stopIt: running(p.State)})
		}
		return jobs, nil
	}
	for _, name := range names {
		group, _, isProc := splitNamespec(name)
		if isProc {
			add(&restartJob{name: name, stopIt: true, explicit: true})
			continue
		}
		ms := members(infos, group)
		if len(ms) == 0 {
			add(&restartJob{name: group, badGroup: true})
		}
		for _, p := range ms {
			add(&restartJob{name: p.Namespec(), stopIt: running(p.State)})
		}
	}
	return jobs, nil
}

// runJobs runs the jobs, restartWorkers at a time.
func (c *Controller) runJobs(ctx context.Context, jobs []*restartJob) {
	sem := make(chan struct{}, restartWorkers)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c.restartOne(ctx, j)
		})
	}
	wg.Wait()
}

// restartOne stops the process if needed, then starts it, recording the
// lines the reference's stop and start would print for it. For a process
// reached through a group or all, "not running" and "already started"
// print nothing, as the group calls skip such processes.
func (c *Controller) restartOne(ctx context.Context, j *restartJob) {
	if j.badGroup {
		j.stop = step{j.name + ": ERROR (no such group)", exitGeneric}
		j.start = step{j.name + ": ERROR (no such group)", exitInvalidArgs}
		return
	}
	if j.stopIt {
		j.stop, j.err = c.restartStep(j, c.client.StopProcess(ctx, j.name, true), stopFormat)
		if j.err != nil {
			return
		}
	}
	j.start, j.err = c.restartStep(j, c.client.StartProcess(ctx, j.name, true), startFormat)
}

func (c *Controller) restartStep(j *restartJob, err error, f resultFormat) (step, error) {
	r := xmlrpc.Result{Status: xmlrpc.FaultSuccess}
	r.Group, r.Name, _ = splitNamespec(j.name)
	if err != nil {
		var fault *xmlrpc.Fault
		if !errors.As(err, &fault) {
			return step{}, err
		}
		if !j.explicit && fault.Code == f.ignored {
			return step{}, nil
		}
		r = asResult(j.name, fault)
	}
	line, err := f.line(r)
	st, _ := faultStatus(r.Status, f.ignored)
	return step{line, st}, err
}
