package eventpool_test

import (
	"context"
	"fmt"

	"github.com/lancerhq/lancer/core/internal/eventpool"
	"github.com/lancerhq/lancer/core/internal/events"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/protocol"
)

// A pool wired the way the supervisor wires it: the bus feeds the pool's
// queue, the listener's state changes and stdout feed the pool, and Send
// stands in for process.Process.WriteStdin.
func Example() {
	bus := events.NewBus(nil) // one per daemon: serials survive reloads
	q, err := bus.Subscribe("allev", []protocol.EventType{protocol.AnyEvent}, 10)
	if err != nil {
		panic(err)
	}
	got := make(chan string, 1)
	pool, err := eventpool.New(eventpool.Options{
		Queue:      q,
		Identifier: "supervisor",
		Listeners:  []string{"allev"},
		Send: func(_ context.Context, name string, data []byte) error {
			got <- fmt.Sprintf("to %s: %q", name, data)
			return nil
		},
	})
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = pool.Run(ctx) }()

	// The listener's process observer and its stdout.
	pool.ProcessChanged(process.Change{Name: "allev", Group: "allev", From: process.Stopped, To: process.Starting})
	pool.ProcessChanged(process.Change{Name: "allev", Group: "allev", From: process.Starting, To: process.Running})
	fmt.Fprint(pool.Output("allev"), "READY\n")

	bus.Publish(protocol.ProcessGroup{Type: protocol.ProcessGroupAdded, GroupName: "web"})
	fmt.Println(<-got)
	// Output:
	// to allev: "ver:3.0 server:supervisor serial:0 pool:allev poolserial:0 eventname:PROCESS_GROUP_ADDED len:14\ngroupname:web\n"
}
