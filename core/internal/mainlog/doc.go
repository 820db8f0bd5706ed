// Package mainlog writes supervisord's main ("activity") log in the
// reference's exact format (supervisor.md §5):
//
//	2026-11-22 04:18:32,298 INFO spawned: 'quick' with pid 8365
//
// It is a small slog.Handler ([Handler]) over a [Log], which sends each
// line to the rotating log file (logfile, logfile_maxbytes,
// logfile_backups, through core/internal/logcap), to stdout when the
// daemon runs in the foreground and is not silent, and to syslog. The
// daemon's main builds the root *slog.Logger on it; every component gets
// a child of that logger. The rpc layer reads the log back through
// [Log.Read] and [Log.Tail] (readLog, mainlogtail), the signal router
// calls [Log.Reopen] on SIGUSR2 and clearLog calls [Log.Clear].
//
// The seven levels (CRIT ERRO WARN INFO DEBG TRAC BLAT) are slog levels
// ([LevelCritical] … [LevelBlather]); [ParseLevel] reads the config's
// loglevel names.
package mainlog
