package eventpool

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/lancerhq/lancer/core/internal/events"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol"
)

// BenchmarkPoolThroughput sends events through a pool to one listener
// that answers OK and READY as soon as it is sent an event, the shape of
// issue 5's PROCESS_COMMUNICATION benchmark without the processes. It
// reports events per second; allocs/op are allocations per event, in the
// bus, the pool and the envelope together.
func BenchmarkPoolThroughput(b *testing.B) {
	bus := events.NewBus(nil)
	q, err := bus.Subscribe("bench", []protocol.EventType{protocol.AnyEvent}, b.N+1)
	if err != nil {
		b.Fatal(err)
	}
	var p *Pool
	var sent atomic.Int64
	done := make(chan struct{})
	ack := []byte("RESULT 2\nOKREADY\n")
	send := func(_ context.Context, name string, _ []byte) error {
		_, _ = p.Output(name).Write(ack)
		if sent.Add(1) == int64(b.N) {
			close(done)
		}
		return nil
	}
	p, err = New(Options{Queue: q, Identifier: "supervisor", Listeners: []string{"l"}, Send: send})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(b.Context())
	defer cancel()
	go func() { _ = p.Run(ctx) }()
	p.ProcessChanged(process.Change{Name: "l", To: process.Starting})
	p.ProcessChanged(process.Change{Name: "l", From: process.Starting, To: process.Running})
	_, _ = p.Output("l").Write([]byte("READY\n"))
	ev := protocol.ProcessCommunication{
		Type: protocol.ProcessCommunicationStdout, ProcessName: "talker", GroupName: "talker",
		PID: 4242, Data: "a message of about sixty-four bytes, as a program would send\n",
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		bus.Publish(ev)
	}
	<-done
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if st := p.Stats(); st.Dropped != 0 {
		b.Errorf("Stats() = %+v; want nothing dropped", st)
	}
}
