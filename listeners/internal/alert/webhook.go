package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// defaultClient is used by the HTTP channels when they are given no
// client: unlike http.DefaultClient, it cannot hang a listener.
var defaultClient = &http.Client{Timeout: 30 * time.Second}

// Webhook posts each message as JSON to URL. The body is
// Slack-compatible (an incoming webhook shows "text") and carries the
// parts for other consumers:
//
//	{"text": "<subject>\n<body>", "subject": "…", "body": "…",
//	 "labels": {"alertname": "ProcessCrashed", …}, "date": "2000-01-01T00:00:00Z"}
//
// "text" is the body alone when there is no subject, and its subject is
// trimmed of spaces; "subject" is as given; "labels" is left
// out when there are none; "date" is RFC 3339 in UTC. A response other
// than 2xx is an error. Client nil means a client with a 30 s timeout.
// A Webhook is safe for concurrent use when its Client is.
type Webhook struct {
	URL    string
	Client *http.Client
}

type webhookBody struct {
	Text    string            `json:"text"`
	Subject string            `json:"subject"`
	Body    string            `json:"body"`
	Labels  map[string]string `json:"labels,omitempty"`
	Date    time.Time         `json:"date"`
}

// Send posts m.
func (w Webhook) Send(ctx context.Context, m Message) error {
	text := m.Body
	if subj := strings.TrimSpace(m.Subject); subj != "" {
		text = subj + "\n" + m.Body // without crashmail's leading space
	}
	b := webhookBody{Text: text, Subject: m.Subject, Body: m.Body, Labels: m.Labels, Date: dateOf(m).UTC()}
	if err := postJSON(ctx, w.Client, w.URL, b); err != nil {
		return fmt.Errorf("webhook %s: %w", redact(w.URL), err)
	}
	return nil
}

// dateOf is m.Date, or now when it is not set.
func dateOf(m Message) time.Time {
	if m.Date.IsZero() {
		return time.Now()
	}
	return m.Date
}

// postJSON posts v as JSON to u and checks for a 2xx answer.
func postJSON(ctx context.Context, c *http.Client, u string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return stripURL(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "lancer")
	if c == nil {
		c = defaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return stripURL(err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	if resp.StatusCode/100 != 2 {
		if s := strings.TrimSpace(string(snippet)); s != "" {
			return fmt.Errorf("%s: %s", resp.Status, s)
		}
		return errors.New(resp.Status)
	}
	return nil
}

// stripURL drops the URL from net/http's and net/url's errors, keeping
// the reason: the URL may hold a secret, and callers name the channel
// with redact.
func stripURL(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok && ue.Err != nil {
		return ue.Err
	}
	return err
}

// redact shortens u to its scheme and host for messages and logs: a
// Slack webhook's secret is its path, other URLs hold a password.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return "(bad URL)"
	}
	return p.Scheme + "://" + p.Host
}
