package eventpool

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/lancerhq/lancer/core/internal/events"
	"github.com/lancerhq/lancer/protocol"
)

// dispatch sends buffered events, oldest first, while a listener can take
// them: the reference's EventListenerPool.transition and dispatch. It
// does nothing unless some listener is RUNNING and READY; otherwise the
// event that finds no listener goes back to the head, logged
// "rebuffering event N for pool P (buf size=X, max=Y)" as the reference
// logs it.
func (p *Pool) dispatch(ctx context.Context) {
	if p.firstReady() == nil {
		return
	}
	for {
		p.drainInbox(ctx)
		it, ok := p.q.Pop()
		if !ok {
			return
		}
		l := p.firstReady()
		if l == nil {
			p.q.Requeue(it)
			return
		}
		p.sendTo(l, it)
	}
}

// firstReady returns the first listener in config order that can take an
// event; the reference never round-robins.
func (p *Pool) firstReady() *listener {
	for _, l := range p.ls {
		if l.dispatchable() {
			return l
		}
	}
	return nil
}

// sendTo formats the envelope of it, marks l BUSY and hands the envelope
// to l's writer.
func (p *Pool) sendTo(l *listener, it events.Item) {
	l.buf.Reset()
	err := protocol.WriteEvent(&l.buf, protocol.Event{
		Header: protocol.Header{
			Ver: protocol.Version, Server: p.server, Serial: it.Event.Serial,
			Pool: p.q.Name(), PoolSerial: it.PoolSerial, EventName: string(it.Event.Type),
		},
		Payload: it.Event.Payload,
	})
	if err != nil {
		// New checked the server and pool tokens, and only the known
		// event types of the config's events= lines reach a pool.
		panic(fmt.Sprintf("BUG: envelope of event %d: %v", it.Event.Serial, err))
	}
	p.ids++
	l.pr.sent()
	l.inflight, l.sentID, l.writing = it, p.ids, p.ids
	l.writes <- write{ctx: l.ctx, id: p.ids, data: l.buf.Bytes()}
	if p.debug() {
		p.logf(slog.LevelDebug, "event %d sent to listener %s", it.Event.Serial, l.name)
	}
}
