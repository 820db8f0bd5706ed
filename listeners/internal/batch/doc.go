// Package batch is superlance's batch family, shared by the
// crashmailbatch, fatalmailbatch and crashsms listeners: the
// ProcessStateMonitor and ProcessStateEmailMonitor base classes of
// superlance.md §1.4 in one [Monitor], and their optparse command line in
// [Parse]. A binary supplies a [Kind] (the events it reports, the line it
// writes for each, its default subject) and calls [Main].
//
// # Batching
//
// Process state events that the Kind reports become one line each,
// written to stderr at once and kept in the batch. Time is counted in
// ticks of --tickEvent, not by the wall clock, as superlance does: each
// tick of that exact type adds its period, and once --interval minutes
// are counted the batch goes out as one message (the lines joined by
// newlines) and the count starts again. The listener must therefore be
// subscribed to that tick as well (events=PROCESS_STATE,TICK_60), or it
// never sends.
//
// # Where Lancer differs
//
// Each difference fixes a superlance defect of superlance.md §1.8 and has
// a test that fails on superlance's behaviour:
//
//   - B10: a message that could not be sent is kept, not dropped: the
//     batch waits for the next interval, bounded to [MaxBatch] lines
//     (the oldest go first, and the next message says how many), and
//     every delivery is bounded by a timeout, so an SMTP server that
//     never answers cannot stall the listener until its event buffer
//     overflows.
//   - The elapsed time is counted in whole seconds, so twelve TICK_5
//     make exactly one minute (superlance adds 5/60 in floating point
//     and needs a thirteenth).
//   - A listener ignores events about its own pool (SUPERVISOR_GROUP_NAME):
//     a crash of the listener itself is in supervisord's log, and
//     reporting it from the restarted listener is how alerts loop.
//   - When the event stream ends or the listener is stopped (SIGTERM),
//     the batch still waiting is sent instead of lost.
//   - Help for a missing --toEmail or --fromEmail goes to stderr, not to
//     stdout, which is the protocol channel; -h still prints to stdout.
//
// stdout carries the event listener protocol only; everything else goes
// to stderr.
package batch
