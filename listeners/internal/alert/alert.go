package alert

import (
	"context"
	"time"
)

// Message is one alert, as a mail: superlance's listeners build a
// subject and a body and leave the rest to the transport.
type Message struct {
	From    string
	To      []string
	Subject string
	Body    string
	// Date is when the alert was raised; zero means now, at send time.
	Date time.Time
	// Labels identify the alert for channels that group and deduplicate
	// (Alertmanager): at least "alertname" (e.g. ProcessCrashed,
	// ProcessMemoryHigh, HTTPCheckFailed), and "process", "group" where
	// the alert is about one. Mail ignores them.
	Labels map[string]string
}

// Sender delivers messages. Send returns once the message is handed over
// (or has failed); it honours ctx's deadline.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SenderFunc adapts a function to Sender.
type SenderFunc func(ctx context.Context, m Message) error

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, m Message) error { return f(ctx, m) }
