// Package config reads supervisord.conf files into typed values, for the
// daemon (Load) and for supervisorctl (LoadCtl), exactly as Python
// supervisord 4.2.5 reads them: the same INI dialect, defaults, value
// syntaxes and %(name)s expansions in the same options, the same [include]
// rules. It is the first layer of the core (config -> process ->
// supervisor); nothing here starts processes or opens sockets.
//
// Where the reference accepts something broken and fails later or
// silently (a command with an unclosed quote, two groups of one name, a
// stopsignal of 0 spelled SIG_DFL, a negative startsecs), Load refuses it
// with an [*Error] that names the file, line, section and option.
// Unknown sections and options, which the reference ignores silently,
// load with a [Warning].
//
// Durations are time.Duration, sizes int64 bytes, signals syscall.Signal:
// this package is the only one that knows supervisord's units.
package config
