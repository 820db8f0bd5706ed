package alert

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// DefaultResolve is how long an alert sent to Alertmanager stays firing
// when [Alertmanager.Resolve] is zero: Alertmanager's own
// resolve_timeout.
const DefaultResolve = 5 * time.Minute

// DefaultAlertname is the alertname label of a message that has none.
const DefaultAlertname = "SupervisorAlert"

// Alertmanager is a client of Prometheus Alertmanager's API v2: each
// message becomes one alert, POSTed to URL + "/api/v2/alerts":
//
//	[{"labels": {…Message.Labels, "instance": "<hostname>"},
//	  "annotations": {"summary": "<subject>", "description": "<body>"},
//	  "startsAt": "<date>", "endsAt": "<date + Resolve>"}]
//
// Alertmanager groups and de-duplicates alerts by their labels, so
// Message.Labels should be stable ones (alertname, group, process; not
// a pid or a time); a message without an alertname gets
// [DefaultAlertname]. The alert resolves by itself after Resolve (0
// means [DefaultResolve]) unless it is sent again. For a cluster of
// Alertmanagers, send to every instance ([Multi]), as Prometheus does.
//
// URL is the base URL (http://127.0.0.1:9093, or a path prefix behind a
// proxy). Client nil means a client with a 30 s timeout. Instance is
// the instance label when Message.Labels has none; empty means this
// host's name. An Alertmanager is safe for concurrent use when its
// Client is.
type Alertmanager struct {
	URL      string
	Client   *http.Client
	Resolve  time.Duration
	Instance string
}

type amAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations amAnnotations     `json:"annotations"`
	StartsAt    time.Time         `json:"startsAt"`
	EndsAt      time.Time         `json:"endsAt"`
}

type amAnnotations struct {
	Summary     string `json:"summary,omitempty"`
	Description string `json:"description,omitempty"`
}

// Send posts m as one alert.
func (a Alertmanager) Send(ctx context.Context, m Message) error {
	u, err := url.JoinPath(a.URL, "api/v2/alerts")
	if err != nil {
		return fmt.Errorf("alertmanager %s: %w", redact(a.URL), err)
	}
	if err := postJSON(ctx, a.Client, u, []amAlert{a.alert(m)}); err != nil {
		return fmt.Errorf("alertmanager %s: %w", redact(a.URL), err)
	}
	return nil
}

func (a Alertmanager) alert(m Message) amAlert {
	labels := make(map[string]string, len(m.Labels)+2)
	maps.Copy(labels, m.Labels)
	if labels["alertname"] == "" {
		labels["alertname"] = DefaultAlertname
	}
	if labels["instance"] == "" {
		labels["instance"] = a.instance()
	}
	resolve := a.Resolve
	if resolve <= 0 {
		resolve = DefaultResolve
	}
	start := dateOf(m).UTC()
	return amAlert{
		Labels: labels,
		// crashmail's subject starts with a space; a summary should not.
		Annotations: amAnnotations{Summary: strings.TrimSpace(m.Subject), Description: m.Body},
		StartsAt:    start,
		EndsAt:      start.Add(resolve),
	}
}

func (a Alertmanager) instance() string {
	if a.Instance != "" {
		return a.Instance
	}
	if h, err := os.Hostname(); err == nil {
		return h
	}
	return "localhost"
}
