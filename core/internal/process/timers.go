package process

import "time"

// The actor keeps one deadline per timer kind and gives the earliest one
// to its Clock. Deadlines that are due together are handled in
// timerKind order, so that what happens at one instant does not depend on
// the order a select picks ready channels in.

func (p *Process) setDeadline(k timerKind, at time.Time) {
	p.deadlines[k] = at
	p.rearm()
}

func (p *Process) rearm() {
	var first time.Time
	for _, d := range p.deadlines {
		if !d.IsZero() && (first.IsZero() || d.Before(first)) {
			first = d
		}
	}
	if first.IsZero() {
		p.clock.clear(p)
		return
	}
	p.clock.set(p, first)
}

// fireTimers feeds the input of every timer that is due, in order. A rule
// run for one may cancel or re-arm another, so each is checked afresh.
func (p *Process) fireTimers() {
	for k := range numTimers {
		d := p.deadlines[k]
		if d.IsZero() || time.Now().Before(d) {
			continue
		}
		p.deadlines[k] = time.Time{}
		p.feed(input{kind: timerInputs[k]})
	}
	p.rearm()
}
