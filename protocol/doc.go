// Package protocol implements supervisord's event listener protocol: the
// envelope header, the typed payload of every event type, the READY and
// RESULT tokens, and [Serve], a loop in the style of net/http that turns a
// [Handler] into an event listener. It is the Go counterpart of Python's
// supervisor.childutils.
//
// # Where it sits
//
// Listeners (listeners/memmon, httpok, crashmail...) use the listener side:
// [Serve], or [Listener] for custom answers, and the payload types
// ([ProcessState], [Tick]...). The daemon's event pool
// (core/internal/eventpool) uses the mirror functions: [WriteEvent],
// [Reader.ReadReady] and [Reader.ReadResult]. The config loader validates events= lines with
// [ParseEventType], and the daemon matches subscriptions with
// [EventType.IsA]. The package knows nothing of the daemon and depends
// only on the standard library. It is specified by supervisor.md §1 and
// superlance.md §0.1 in the shared reference.
//
// # The exchange
//
// A listener's stdout is the protocol channel: it writes "READY\n";
// supervisord writes a header line and a payload to its stdin; the
// listener answers "RESULT 2\nOK" (or "RESULT 4\nFAIL", and supervisord
// re-sends the event later) and writes READY again. A single stray byte on
// stdout desynchronises the exchange and supervisord stops sending events
// to that listener for good, so listeners log to stderr only. Every token
// is written with one Write and flushed at once.
//
// # The len decision
//
// The len token of the header counts Unicode code points of the payload,
// not bytes. This is deliberate. Python supervisord 4.2.5 computes len on
// the payload as a str and only then UTF-8 encodes it, so "type:t\nhéllo"
// goes out as len:12 and 13 bytes; and Python listeners
// (childutils.listener.wait) read len characters from stdin in text mode.
// Counting code points on both sides, [WriteEvent] emits
// utf8.RuneCountInString(payload) and [Reader.ReadEvent] reads exactly Len
// code points, decoding rune by rune. So a Go listener stays in step under
// Python supervisord, and a Python listener stays in step under our
// daemon. A byte count would desynchronise both pairings on the first
// non-ASCII payload (PROCESS_LOG data, REMOTE_COMMUNICATION data). An
// invalid UTF-8 byte, which supervisord never sends, counts as one unit on
// both sides and is passed through unchanged; reading never panics on it.
//
// Result bodies are different: supervisord reads them as bytes, so
// [WriteResult] writes the byte length and [Reader.ReadResult] reads that
// many bytes. In practice the body is OK or FAIL and the two counts agree.
//
// # Strictness and limits
//
// Parsing is as lenient as childutils where that is harmless (token order,
// unknown tokens, colons in values) and strict where supervisord is sloppy:
// [Reader.ReadResult] insists on the literal "RESULT " prefix that
// supervisord does not check. Every read is bounded: header lines by
// [MaxLineLen], payloads and result bodies by [DefaultMaxPayload] or
// [WithMaxPayload], checked before anything is allocated. Errors are typed
// ([*HeaderError], [*PayloadError]) and wrap sentinels such as
// [ErrBadLen], [ErrPayloadTooLarge], [ErrBadResult] and [ErrNotReady], and
// io.ErrUnexpectedEOF when a stream ends mid-token.
package protocol
