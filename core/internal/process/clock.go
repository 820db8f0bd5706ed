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
// is idle, and is queued for its actor otherwise. Work that takes longer
// than handOff, such as a backoff retry whose spawn hangs on a dead NFS
// mount, is left to finish on its own while another goroutine goes on
// with the next deadlines: one slow process never holds up the others'
// timers (stopwaitsecs among them) for longer than that. Share one Clock
// between the processes of a supervisor; the zero value is ready to use.
type Clock struct {
	mu     sync.Mutex
	armed  clockHeap
	seq    uint64
	timer  *time.Timer
	firing bool   // a goroutine is handling due deadlines
	loop   uint64 // which one: a loop whose number is not this has been taken over
	step   uint64 // which deadline it is handling, for the watchdog
}

// handOff is how long a process's timer work may hold up the Clock.
const handOff = 50 * time.Millisecond

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
	c.loop++
	c.run(c.loop)
}

// run is loop number loop of fire, called with mu held; it unlocks it. A
// watchdog takes the loop over, with a new number, when one process's
// work takes longer than handOff; the old loop then ends when that work
// is done.
func (c *Clock) run(loop uint64) {
	for c.loop == loop && len(c.armed) > 0 && !time.Now().Before(c.armed[0].tick.at) {
		p := heap.Pop(&c.armed).(*Process)
		c.step++
		step := c.step
		c.mu.Unlock()
		watchdog := time.AfterFunc(handOff, func() {
			c.mu.Lock()
			if c.loop != loop || c.step != step {
				c.mu.Unlock() // that work ended in time after all
				return
			}
			c.loop++
			c.run(c.loop)
		})
		p.post(message{kind: msgTimer}, true)
		watchdog.Stop()
		c.mu.Lock()
	}
	if c.loop == loop {
		c.firing = false
		c.arm()
	}
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
