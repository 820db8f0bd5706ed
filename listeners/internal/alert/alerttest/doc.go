// Package alerttest provides a [Recorder] Sender for tests of code that
// sends alerts with package alert: it records messages and can be told to
// fail. The SMTP server those tests deliver to is internal/smtptest.
package alerttest
