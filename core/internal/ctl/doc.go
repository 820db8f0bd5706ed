// Package ctl is supervisorctl: the commands of Python supervisorctl 4.2.5
// (add, avail, clear, exit, fg, help, maintail, open, pid, quit, reload,
// remove, reread, restart, shutdown, signal, start, status, stop, tail,
// update, version), the exact lines they print and the exit statuses they
// set (supervisor.md §6), and the interactive shell with its history and
// completion.
//
// In Lancer's architecture it sits above protocol/xmlrpc: a [Controller]
// drives a supervisord, Lancer's or Python's, through the [Client]
// interface, which *xmlrpc.Client satisfies, and reads /logtail and
// /mainlogtail over HTTP for tail -f, maintail -f and fg. The command line
// itself (options, config file lookup) is parsed by core/cmd/supervisorctl.
//
// # Differences from the reference
//
//   - restart of a group or of all processes stops and starts each process
//     on its own, so that a process starts again as soon as it has stopped
//     instead of waiting for every other one (the reference's #723). The
//     output has the reference's lines and layout: every stop line, then
//     every start line; a process named twice is restarted once.
//   - An unexpected error is printed as the reference prints a Python
//     exception, "error: <class 'X'>, message", without the Python file and
//     line that follow it there.
//   - tail -f writes log bytes as they are, where the reference replaces a
//     chunk that is not UTF-8 with "Undecodable: ...".
//   - -r/--history_file is honoured; the reference accepts it and ignores it.
//   - update --only-changed [all|group...] applies the configuration
//     process by process through Lancer's lancer.update: in a changed
//     group only the processes whose configuration changed restart, with
//     one line per process ("web:web_01: updated process"); groups added
//     or removed print the reference's lines. Plain update is unchanged.
//     Against Python supervisord the option prints an error.
package ctl
