// Package events is the daemon's event bus: it takes every event the
// daemon emits (process state changes, log and capture output, ticks,
// group additions, remote communication), numbers it and appends it to the
// buffer of every [eventlistener:x] pool subscribed to its type. It sits
// between the emitters (core/internal/supervisor's process observers and
// logcap hooks, the tick loop of [Bus.RunTicks]) and the pools
// (core/internal/eventpool), which take events from their [Queue] and
// speak the listener protocol. It knows neither processes nor listeners.
//
// # The reference's rules (supervisor.md §1.1, §1.2, §1.4, §1.5)
//
//   - A pool subscribes to types; an event reaches the pool when its type
//     IsA one of them ([protocol.EventType.IsA]): EVENT receives
//     everything, PROCESS_STATE its eight subtypes, and so on.
//   - Every event is appended to the buffer of every subscribed pool when
//     it is published, whether or not any listener runs.
//   - serial is global: the first event accepted by at least one pool is
//     0, each further such event gets the next number, and an event no
//     pool wants gets none (process.py _acceptEvent calls new_serial only
//     when a pool accepts the event). A [Bus] lives as long as the daemon,
//     so serials continue across reloads, as the reference's module-level
//     GlobalSerial does.
//   - poolserial is per pool: 0 for the first event the pool accepts. A
//     pool re-created on reload gets a new [Queue] and starts again at 0.
//   - buffer_size bounds each pool's FIFO. An event arriving when the
//     buffer is full discards the oldest one first, logged at ERRO as
//     "pool NAME event buffer overflowed, discarding event SERIAL". A
//     re-buffered event goes back to the head with its original serial
//     and poolserial, and is subject to the same rule.
//   - TICK_5, TICK_60 and TICK_3600 are emitted when the wall clock
//     crosses a multiple of their period, with when = that multiple.
//
// # Where ours differs from the reference
//
//   - A pool subscribed to two types that overlap (events=EVENT,
//     PROCESS_STATE) receives each event once. The reference subscribes
//     one callback per type, so such a pool buffers PROCESS_STATE events
//     twice, with the same serials.
//   - A rejected event goes back only into the buffer of the pool whose
//     listener rejected it: the pool calls [Queue.Reject] on its own
//     queue. The reference re-buffers it in every pool holding a process
//     "equal" to the rejecting one, and compares processes by priority
//     only, so a FAIL in one pool duplicates the event into every pool of
//     the same priority (supervisor.md §1.4).
//   - Events still buffered when a pool is removed are counted as
//     dropped and logged at INFO; the reference loses them silently.
//
// # Concurrency
//
// [Bus.Publish] may be called from any goroutine. It never waits for a
// pool: it appends to each subscribed pool's bounded buffer under that
// buffer's lock and wakes the pool's goroutine, so a slow or dead listener
// never slows the publisher or other pools, and memory stays bounded by
// buffer_size. Events published concurrently are numbered and buffered in
// one order, the same in every pool. All methods of [Bus] and [Queue] are
// safe for concurrent use.
package events
