package process

import (
	"container/heap"
	"sync"
	"time"
)

// Clock runs the timers of many processes (startsecs, backoff delays,
// stopwaitsecs) from one time.Timer, in deadline order. Deadlines that
// fall due together, as those of programs spawned a millisecond apart
// often do on a busy machine, are handled one process after the other in
// the order they were set, each to the end, the way the reference's loop
// visits its processes in order: so one program's RUNNING event never
// overtakes that of a program started before it. With a timer per
// process, the goroutines of timers that expired together would run in
// whatever order the scheduler picked (the newest first, often).
//
// A process's timer work runs in the Clock's goroutine when the process
// is idle, and is queued for its actor otherwise. Share one Clock between
// the processes of a supervisor; the zero value is ready to use.
type Clock struct {
	mu     sync.Mutex
	armed  clockHeap
	seq    uint64
	timer  *time.Timer
	firing bool // a goroutine is handling due deadlines
}

// clockItem is a process's place in its Clock: at most one deadline, the
// earliest of its timers. Guarded by the Clock's mu.
type clockItem struct {
	at    time.Time
	seq   uint64 // order of setting, for deadlines that are equal
	index int    // in armed; -1 when not armed
}

// set arms p's deadline at at, replacing any it had.
func (c *Clock) set(p *Process, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it := &p.tick
	if it.index >= 0 && it.at.Equal(at) {
		return // unchanged: keep its place among equal deadlines
	}
	c.seq++
	it.at, it.seq = at, c.seq
	if it.index >= 0 {
		heap.Fix(&c.armed, it.index)
	} else {
		heap.Push(&c.armed, p)
	}
	c.arm()
}

// clear disarms p's deadline, if it has one.
func (c *Clock) clear(p *Process) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p.tick.index >= 0 {
		heap.Remove(&c.armed, p.tick.index)
	}
}

// arm sets the timer for the earliest deadline. It is called with mu held
// and does nothing while due deadlines are being handled: fire re-arms
// when it is done.
func (c *Clock) arm() {
	if c.firing || len(c.armed) == 0 {
		return
	}
	d := time.Until(c.armed[0].tick.at)
	if c.timer == nil {
		c.timer = time.AfterFunc(d, c.fire)
		return
	}
	c.timer.Reset(d)
}

// fire hands every due deadline to its process, earliest first, then
// re-arms the timer.
func (c *Clock) fire() {
	c.mu.Lock()
	if c.firing {
		c.mu.Unlock()
		return
	}
	c.firing = true
	for len(c.armed) > 0 && !time.Now().Before(c.armed[0].tick.at) {
		p := heap.Pop(&c.armed).(*Process)
		c.mu.Unlock()
		p.post(message{kind: msgTimer}, true)
		c.mu.Lock()
	}
	c.firing = false
	c.arm()
	c.mu.Unlock()
}

// clockHeap orders processes by deadline, then by when it was set.
type clockHeap []*Process

func (h clockHeap) Len() int { return len(h) }
func (h clockHeap) Less(i, j int) bool {
	a, b := &h[i].tick, &h[j].tick
	if !a.at.Equal(b.at) {
		return a.at.Before(b.at)
	}
	return a.seq < b.seq
}
func (h clockHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].tick.index, h[j].tick.index = i, j
}
func (h *clockHeap) Push(x any) {
	p := x.(*Process)
	p.tick.index = len(*h)
	*h = append(*h, p)
}
func (h *clockHeap) Pop() any {
	old := *h
	p := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	p.tick.index = -1
	return p
}
