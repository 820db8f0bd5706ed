// Package eventpool runs supervisord's event listener pools: for each
// [eventlistener:x] section, a [Pool] takes events from the pool's buffer
// (an events.Queue, fed by the events.Bus) and hands them to the pool's
// listener processes over the protocol of package protocol — the
// envelope on the listener's stdin, READY and RESULT on its stdout. It
// sits beside core/internal/supervisor, which builds one Pool per
// listener group, runs its processes, copies each listener's stdout into
// [Pool.Output], reports its state changes to [Pool.ProcessChanged] and
// writes envelopes to stdin for it through [Options.Send]. The package
// neither spawns nor signals anything.
//
// # The reference's protocol (supervisor.md §1.3, §1.4)
//
//   - A listener is ACKNOWLEDGED at each spawn and READY once it writes
//     READY\n (decided on six bytes: anything else is UNKNOWN; bytes
//     after the token count as further output).
//   - Events go only to a listener whose process is RUNNING (not during
//     startsecs) and which is READY: the first such in config order, not
//     round-robin, oldest event first, for as long as one is READY. It is
//     then BUSY.
//   - A BUSY listener answers "RESULT <n>\n" and n bytes of body. OK
//     acknowledges the event; any other body rejects it, and it goes back
//     to the head of the buffer with its serial and poolserial, to be sent
//     again. Either way the listener is ACKNOWLEDGED and writes READY
//     again. A malformed result line makes it UNKNOWN and rejects the
//     event; so does its exit while BUSY (the event, not the state).
//   - Output while READY, or a bad READY, makes it UNKNOWN: it gets no
//     more events until it respawns.
//   - Main-log lines are the reference's, at its levels: transitions such
//     as "NAME: BUSY -> ACKNOWLEDGED", "event N sent to listener NAME" and
//     "NAME: event was processed" at DEBG; "NAME: event was rejected", "NAME: bad
//     result line: 'LINE'" and the UNKNOWN warning at WARN.
//
// # Where ours differs from the reference
//
//   - A listener entering UNKNOWN is restarted through [Options.Restart];
//     the reference leaves it running forever, deaf, until someone
//     restarts it by hand.
//   - The RESULT prefix is checked: "XXXXXX 2\nOK" is a bad result line,
//     which the reference accepts because it skips the first seven bytes.
//     A negative length is bad too, and a result line longer than 1 KiB
//     is bad without waiting for its newline (the reference buffers it
//     without limit).
//   - "RESULT 0\n" is settled at once; the reference waits for more
//     output before noticing it.
//   - A rejected event goes back only into this pool's buffer (see
//     package events): the reference duplicates it into every pool of the
//     same priority.
//   - Writing to a listener's stdin never blocks the pool: each listener
//     has a writer goroutine. A failed write puts the event back at the
//     head for the next READY listener and leaves the listener out until
//     it respawns; the reference tries it again at every loop.
//
// # Concurrency
//
// One goroutine, [Pool.Run]'s, owns the pool's state; stdout chunks,
// process changes and write outcomes reach it as messages, in order.
// Events published into the Queue never wait for it, so a slow or dead
// listener slows neither publishers nor other pools, and the Queue's
// buffer_size bounds memory.
package eventpool
