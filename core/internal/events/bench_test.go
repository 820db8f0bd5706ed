package events

import (
	"testing"

	"github.com/lancerhq/lancer/protocol"
)

// BenchmarkPublish measures what Publish costs its caller (a process
// actor or a log hook): with no pool subscribed, and with three pools
// whose buffers overflow, the worst case.
func BenchmarkPublish(b *testing.B) {
	ev := running("web")
	b.Run("no pools", func(b *testing.B) {
		bus := NewBus(nil)
		b.ReportAllocs()
		for b.Loop() {
			bus.Publish(ev)
		}
	})
	b.Run("three pools", func(b *testing.B) {
		bus := NewBus(nil)
		for _, n := range []string{"a", "b", "c"} {
			if _, err := bus.Subscribe(n, []protocol.EventType{protocol.AnyEvent}, 10); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportAllocs()
		for b.Loop() {
			bus.Publish(ev)
		}
	})
}
