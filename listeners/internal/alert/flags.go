package alert

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// ChannelFlags are the alert channels every Lancer listener offers
// beyond superlance's mail, all off by default. They are long options
// only, so that superlance's short options stay free.
type ChannelFlags struct {
	// Webhooks are the URLs given with --webhook (repeatable).
	Webhooks []string
	// Alertmanagers are the base URLs given with --alertmanager
	// (repeatable: every member of a cluster).
	Alertmanagers []string
	// Resolve is --alertmanager-resolve, how long an alert fires.
	Resolve time.Duration
}

// RegisterChannelFlags adds --webhook, --alertmanager and
// --alertmanager-resolve to fs and returns where their values go. URLs
// are checked as they are parsed, so a typo fails at start-up, not at
// the first alert.
func RegisterChannelFlags(fs *pflag.FlagSet) *ChannelFlags {
	c := &ChannelFlags{Resolve: DefaultResolve}
	fs.Var((*urlList)(&c.Webhooks), "webhook",
		"also post each alert as JSON (Slack-compatible) to `URL`; repeatable")
	fs.Var((*urlList)(&c.Alertmanagers), "alertmanager",
		"also send each alert to the Prometheus Alertmanager at `URL` (e.g. http://127.0.0.1:9093); repeatable")
	fs.DurationVar(&c.Resolve, "alertmanager-resolve", DefaultResolve,
		"an alert sent to Alertmanager resolves after this long unless repeated")
	return c
}

// Senders returns a sender per URL given, all using client (nil means
// a client with a 30 s timeout); none when no channel flag was given.
func (c *ChannelFlags) Senders(client *http.Client) []Sender {
	var ss []Sender
	for _, u := range c.Webhooks {
		ss = append(ss, Webhook{URL: u, Client: client})
	}
	for _, u := range c.Alertmanagers {
		ss = append(ss, Alertmanager{URL: u, Client: client, Resolve: c.Resolve})
	}
	return ss
}

// urlList is a repeatable flag of http(s) URLs.
type urlList []string

func (l *urlList) Set(s string) error {
	// pflag quotes s in the error; the command line is no secret from
	// whoever reads it (it is in ps).
	u, err := url.Parse(s)
	if err != nil {
		return stripURL(err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return errors.New("want an http:// or https:// URL")
	}
	*l = append(*l, s)
	return nil
}

func (l *urlList) String() string { return strings.Join(*l, ",") }

// Type names the value in pflag's usage ("stringArray" would mean
// comma splitting, which URLs must not have).
func (l *urlList) Type() string { return "URL" }
