// Package process runs one supervised program instance, the unit that
// supervisord calls a Subprocess. It sits between config and supervisor in
// the daemon (config → process → supervisor → rpc, web, metrics): the
// supervisor layer fills a [Config] from the parsed configuration, builds a
// [Process] with [New] and starts it with [Process.Go]; it never touches a
// child's pid, pipes or signals itself.
//
// The package has three layers, each testable on its own:
//
//   - A pure transition function (transition.go, rules*.go) holding every
//     rule of supervisord's process state machine: the eight [State]
//     values, startsecs, startretries with backoff delays of 1 s, 2 s, 3 s
//     …, autorestart against exitcodes, the stop signal then SIGKILL after
//     stopwaitsecs, and the order of evaluation when a child is reaped
//     (reference §4.2, supervisor/process.py in supervisord 4.2.5). It takes
//     a status, an input and a [Policy] and returns the new status and a
//     list of actions; it has no goroutines, no clock and no OS calls.
//   - The actor (actor.go, api.go, mailbox.go): it owns the status,
//     receives commands, child exits and timer expiries as messages in a
//     mailbox, calls the transition function and carries out its actions.
//     It runs on a goroutine only while it has messages, so a process
//     waiting for its child costs none. The timers of all processes are
//     kept by one [Clock] (clock.go), which hands deadlines that fall due
//     together to their processes in order. Readers get immutable [Info]
//     snapshots; state changes go, in order, to an injected observer.
//   - The [Spawner] seam (spawner.go) and its real implementation,
//     [ExecSpawner] (exec_linux.go): a child in its own process group, PATH
//     search and spawn errors with the reference's spawnerr text, directory,
//     umask (through a re-exec shim, see [RunShim]), user, and stdout/stderr
//     pipes (pipes_linux.go). One poller goroutine per spawner
//     (poller_linux.go) waits in epoll on the pipes and pidfds of all its
//     children, as the reference's select loop does: it copies output in
//     chunks of at most 128 KiB, reaps a child when its pidfd fires and
//     drains its pipes before reporting the exit, so that a running child
//     costs neither a goroutine nor an OS thread. Children are started with
//     syscall.ForkExec (fork_linux.go), which hands out their pidfd at
//     clone, rather than with os/exec.
//
// Timing differs from the reference only where its one-second poll loop
// adds delay: a timer fires exactly when startsecs, a backoff delay or
// stopwaitsecs has elapsed, and autorestart and "gave up" happen at once
// rather than on the next loop.
//
// Log lines are supervisord's main-log messages, byte for byte ("spawned:
// 'web' with pid 42", "exited: web (exit status 3; not expected)", ...),
// written through the injected *slog.Logger at the reference's levels:
// DEBG is [slog.LevelDebug], INFO and WARN the slog levels of those names,
// CRIT is [LevelCritical]. Formatting a line as "2006-01-02 15:04:05,000
// INFO msg" is the main-log handler's business.
package process
