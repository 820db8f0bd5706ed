// Package xmlrpc speaks supervisord's XML-RPC: the codec shared by both
// ends, and a typed client for the supervisor.* and system.* methods.
//
// In Lancer's architecture the daemon's XML-RPC server
// (core/internal/rpc) uses the server half — [DecodeRequest],
// [EncodeResponse], [EncodeFault] and [Unmarshal] for parameters — and
// supervisorctl, the event listeners (memmon, httpok) and the end-to-end
// tests use the [Client], which also talks to Python's supervisord.
// Listeners find their daemon with [FromEnv], as Python's
// supervisor.childutils.getRPCInterface does.
//
// # Wire compatibility
//
// The encoder writes the bytes Python's xmlrpc.client writes (and thus
// supervisord and supervisorctl), checked against golden files produced by
// Python in testdata/golden. It differs only where Python's output is
// broken: CR is written as &#13; instead of raw (a raw CR reaches the peer
// as LF), characters XML 1.0 forbids become U+FFFD instead of making the
// document unparsable, and integers beyond 32 bits are sent as <i8>
// instead of refused.
//
// The decoder accepts what Python's client accepts: int, i4 and i8,
// boolean, string and untyped text, double, dateTime.iso8601, base64,
// array (with or without <data>), struct and nil. It also accepts raw
// control characters, which supervisord puts in log-reading responses when
// a program prints them (ANSI colours), decoding them as U+FFFD.
//
// # Values
//
// Decoded values are [Value]s, converted to and from Go types by [Marshal]
// and [Unmarshal] using `xmlrpc:"name"` struct tags. Faults are *[Fault]
// errors that match the sentinels ([ErrBadName], ...) under errors.Is.
//
// # Limits
//
// Decoding streams through encoding/xml and is bounded by [Limits] (body
// size, nesting depth, number of values), so that a hostile peer cannot
// exhaust memory.
package xmlrpc
