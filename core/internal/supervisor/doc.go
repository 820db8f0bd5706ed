// Package supervisor owns the process groups of a running supervisord: it
// builds them from a loaded config (core/internal/config), runs one
// process actor (core/internal/process) per program instance with its
// output channels (core/internal/logcap), starts them in priority order,
// stops them on shutdown and restarts everything on reload, all in the
// reference's order and with its main-log lines (supervisor.md §4).
//
// It offers the command API that the control plane (XML-RPC, web UI,
// metrics) calls: start, stop, signal, add and remove groups, reread and
// update, and [Supervisor.Snapshot], an immutable view of every process
// read without locks. It knows nothing of HTTP, XML or Prometheus.
//
// # Ownership
//
// Each process's state is owned by its actor; the set of groups is owned by
// the goroutine running [Supervisor.Run], which publishes it as an
// immutable view through an atomic pointer. Commands on single processes
// go straight to the process actors; commands that change the set of
// groups (add, remove, update, restart, shutdown) go through Run's loop.
//
// # Where ours differs from the reference
//
// Shutdown stops every group of one priority level at once and moves to
// the next level as soon as the previous one is down, instead of one group
// per one-second poll (minutes for hundreds of programs in the reference).
// The main-log lines are the same.
package supervisor
