// Package alerttest provides fakes for tests of code that sends alerts
// with package alert: a real SMTP server on 127.0.0.1 that records what
// it receives ([NewSMTPServer], with optional STARTTLS, implicit TLS and
// AUTH), a [Recorder] Sender that can be told to fail, and addresses
// that refuse or never answer connections ([ClosedAddr],
// [SilentAddr]). It is for tests only: listeners' tests, the e2e suite
// and alert's own.
package alerttest
