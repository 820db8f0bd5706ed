// Package alert is what every listener sends its alerts with: the
// sendmail pipe superlance's memmon, httpok and crashmail use
// ([Sendmail]), the SMTP of its batch listeners ([SMTP], with the
// timeout, implicit TLS and proper headers superlance lacks), and the
// channels Lancer adds, off unless asked for by flags
// ([RegisterChannelFlags]): JSON webhooks ([Webhook], Slack-compatible)
// and Prometheus Alertmanager ([Alertmanager]).
//
// Senders compose. A listener typically sends through
//
//	&Limiter{Sender: Multi{Retry{Sender: mail}, Retry{Sender: webhook}}, …}
//
// so that a crash loop is digested per process ([Limiter]), every
// channel is tried ([Multi]) and retried on its own ([Retry]), and none
// can block the listener for long (superlance's batch listeners could
// hang on an SMTP connect and overflow supervisord's event buffer).
//
// A Sender never writes to stdout, which is the listener protocol.
// Test fakes (an SMTP server, a recording Sender) are in alerttest.
package alert
