// Package logcap captures the output of supervised processes: the bytes a
// child writes to stdout and stderr, exactly as read from its pipes, with
// no timestamps and no line buffering (supervisor.md §5). It sits below
// core/internal/supervisor, which builds one [Channel] per process and
// stream from the config, and above nothing but the standard library; it
// knows neither the config nor events nor HTTP. The rpc and web layers
// read from Channels; the events layer gets hooks.
//
// # Writing
//
// A process's reader goroutine writes every chunk it reads (up to
// 128 KiB) into the process's [Channel] with one Write, and calls
// [Channel.Flush] at EOF. Write never fails and never blocks on anything
// but the log target itself, so the child keeps running whatever happens
// to its log; failures are logged once per burst and dropped bytes are
// counted. A Channel sends its output to:
//
//   - a [RotatingFile]: a path, or an AUTO file made by [CreateAutoLog];
//     rotated at MaxBytes with Backups kept, as the reference rotates;
//     never rotated if it is not a regular file (/dev/stdout, a FIFO);
//   - a shared [Syslog] connection, each line as "<process> <line>";
//   - a ring buffer of the most recent output, which serves tails when
//     there is no file and feeds [Follower]s.
//
// Capture mode (PROCESS_COMMUNICATION, §1.7) cuts out the bytes between
// [BeginTag] and [EndTag] and hands them to [Options.OnCapture];
// [Options.OnOutput] sees every segment, for PROCESS_LOG events. With
// strip_ansi both see the output after [ANSIStripper].
//
// # Reading
//
// [Channel.Read] and [Channel.Tail] implement the offset rules of
// readProcessLog and tailProcessLog (§2.6), also available on a
// [RotatingFile] for the main log. [Channel.Follow] follows new output
// across rotations without polling.
//
// # Where it differs from the reference
//
// Non-seekable targets work (the reference's #935); a write error never
// closes the channel; a trailing chunk held by capture mode is written
// when the process exits instead of being lost; an escape sequence split
// across two reads is stripped whole; a follower never loses the bytes
// around a rotation.
package logcap
