// Package httpd runs supervisord's HTTP servers: one per
// [unix_http_server] and [inet_http_server] section (named or not), each
// serving the same routes behind its own Basic authentication
// (supervisor.md §2.9). It sits above core/internal/config (the server
// sections) and core/internal/logcap (the logs it tails); the XML-RPC and
// metrics handlers come in as plain http.Handlers, and the logs through
// the small [LogSource] and [Tailer] interfaces, so it imports neither
// the supervisor nor the rpc package.
//
// # Routes
//
// Checked in the reference's order:
//
//	/RPC2…                            XML-RPC (any path starting /RPC2); POST only, else 400
//	/logtail/<namespec>[/stdout|stderr]  follow a process log; GET only, else 400
//	/mainlogtail                      follow the main log; GET only, else 400
//	/ok.html                          200 text/plain "OK" (health probe)
//	/metrics                          Prometheus exposition
//	anything else                     404 with the reference's HTML error page
//
// # Lifecycle
//
// [New] builds a Server; [Server.Listen] opens every socket at once, so
// that the daemon can refuse to start with the reference's message
// ([ListenError]) before it spawns anything; [Server.Announce] logs the
// reference's per-server main-log lines (the CRIT line of a server
// without authentication); [Server.Run] serves until its context ends
// and then calls [Server.Shutdown], which stops accepting, ends the log
// tails, waits for requests in flight up to its context's deadline and
// removes the socket files.
//
// # Where ours differs from the reference
//
// A log tail follows the process's output stream rather than polling its
// file (no bytes lost around a rotation, no "==> File truncated <=="
// marker, since a truncation is invisible to the stream); it ends when
// the process's log channel is closed (its program removed). An HTTP/1.0
// client gets a close-delimited tail, where the reference sends nothing.
// Slow clients are bounded by read timeouts and body and header limits,
// where the reference waits forever. A stale-socket check that connects
// to a server that never answers gives up after a timeout and treats the
// socket as live, where the reference hangs. /mainlogtail also sends
// X-Accel-Buffering: no. A malformed Authorization header gets 401 where
// the reference answers 500; a {SHA} password's hex digest matches in
// either case. Sockets are opened once per daemon: a SIGHUP restart does
// not re-read the server sections.
package httpd
