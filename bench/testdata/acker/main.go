// Acker is the event listener of BenchmarkEventThroughput: it acknowledges
// every event at once, through protocol.Serve, and keeps a tally of the
// emitter's messages that it rewrites into the file named by its argument
// every few milliseconds and when its stdin ends. Usage: acker FILE.
//
// The tally is one line, "count first last disorder": how many events it
// received, the wall-clock times of the first and the last in Unix
// nanoseconds, and how many were not the emitter's message numbered one
// above the previous one (a drop, a duplicate, a reordering or a foreign
// payload). The times are taken as each event arrives, so they do not
// depend on how often the file is written or read.
//
// Its stdout is the protocol channel; it writes errors to stderr only.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lancerhq/lancer/protocol"
)

// flushEvery is how often the tally is rewritten while events arrive.
const flushEvery = 50 * time.Millisecond

// tally is shared by the handler, its only writer, and the flusher.
type tally struct {
	count, first, last, disorder atomic.Int64
	prev                         int64 // handler only: the last message number
}

func (t *tally) HandleEvent(_ context.Context, ev protocol.Event) error {
	now := time.Now().UnixNano()
	if t.count.Add(1) == 1 {
		t.first.Store(now)
	}
	t.last.Store(now)
	n := messageNumber(ev.Payload)
	if n != t.prev+1 {
		t.disorder.Add(1)
	}
	t.prev = n
	return nil
}

// messageNumber returns I of a payload ending "msg I", or -1.
func messageNumber(payload string) int64 {
	i := strings.LastIndex(payload, "\nmsg ")
	if i < 0 {
		return -1
	}
	n, err := strconv.ParseInt(payload[i+len("\nmsg "):], 10, 64)
	if err != nil {
		return -1
	}
	return n
}

func (t *tally) String() string {
	return fmt.Sprintf("%d %d %d %d\n", t.count.Load(), t.first.Load(), t.last.Load(), t.disorder.Load())
}

// write replaces the file at path with the tally, atomically, so that a
// reader never sees half a line.
func (t *tally) write(path string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(t.String()), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// flush writes the tally whenever it changed, until stop is closed; it
// closes stopped when it has returned.
func (t *tally) flush(path string, stop <-chan struct{}, stopped chan<- struct{}) {
	defer close(stopped)
	tick := time.NewTicker(flushEvery)
	defer tick.Stop()
	var written int64 = -1
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		if n := t.count.Load(); n != written {
			if err := t.write(path); err != nil {
				fmt.Fprintln(os.Stderr, "acker:", err)
			}
			written = n
		}
	}
}

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: acker FILE")
		return 2
	}
	path := args[0]
	t := &tally{}
	if err := t.write(path); err != nil {
		fmt.Fprintln(os.Stderr, "acker:", err)
		return 1
	}
	stop, stopped := make(chan struct{}), make(chan struct{})
	go t.flush(path, stop, stopped)
	err := protocol.Serve(context.Background(), os.Stdin, os.Stdout, t)
	close(stop)
	<-stopped
	if werr := t.write(path); err == nil {
		err = werr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "acker:", err)
		return 1
	}
	return 0
}
