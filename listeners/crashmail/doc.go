// Crashmail mails on each unexpected exit of a process supervisord runs:
// a drop-in for superlance's crashmail (superlance.md §1.3), subscribed
// with events=PROCESS_STATE_EXITED. Its options, stderr lines ("unexpected
// exit, mailing", "Mailed:"), subject (" foo crashed at <asctime>", or
// "X: foo crashed at <asctime>" with -o X) and body are superlance's.
// stdout carries the event listener protocol and nothing else; every
// diagnostic goes to stderr.
//
// Where it differs, each time to fix a superlance defect (superlance.md
// §1.8), with a test that fails on superlance's behaviour:
//
//   - B4, issue #18: -p and -a are honoured. -p takes a process name,
//     group:name or group:* (and process_name:group_name, the order
//     superlance's usage text gives). Without -p or -a every process is
//     watched, as superlance in effect does, so that existing
//     configurations keep their alerts.
//   - B4: without -m nothing is mailed (superlance pipes "To: None" to
//     sendmail); stderr says so and shows the body.
//   - B11: a sendmail that cannot run or fails is retried a few times,
//     each attempt bounded, then logged; the event is acknowledged and
//     the listener carries on. Superlance dies of the broken pipe.
//   - Exits in the listener's own pool (SUPERVISOR_GROUP_NAME) are not
//     reported, so that a listener that crashes cannot mail about itself
//     from its successor in a loop.
//   - The "Mailed:" block ends with a newline.
//   - Usage for a bad option goes to stderr, not to stdout (the protocol
//     channel); -h still prints to stdout.
//
// Beyond superlance, off by default and long options only:
// --rate-limit N --per DURATION sends at most N alerts per process in any
// window, the next one carrying a digest of those suppressed (issues #99,
// #108); --tail N adds the last N lines of the process's stderr log,
// read over XML-RPC (issues #49, #134); --webhook and --alertmanager send
// each alert to those channels as well.
package main
