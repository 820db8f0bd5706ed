package alert_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"

	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/listeners/internal/cli"
)

func parseChannels(t *testing.T, args ...string) (*alert.ChannelFlags, error) {
	t.Helper()
	fs := pflag.NewFlagSet("crashmail", pflag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	// superlance's crashmail options, which must stay free.
	fs.StringArrayP("program", "p", nil, "")
	fs.BoolP("any", "a", false, "")
	fs.StringP("email", "m", "", "")
	c := alert.RegisterChannelFlags(fs)
	args, err := cli.Expand(fs, args)
	if err != nil {
		return nil, err
	}
	return c, fs.Parse(args)
}

func TestChannelFlags(t *testing.T) {
	t.Parallel()
	c, err := parseChannels(t,
		"-a", "--webhook", "https://hooks.slack.com/services/T/B/X",
		"--webhook=http://127.0.0.1:8080/hook?a=1,2", // a comma is no separator
		"--web", "http://h/3", // getopt prefix, as superlance's options take
		"--alertmanager", "http://am1:9093", "--alertmanager=http://am2:9093/",
		"--alertmanager-resolve", "10m", "-m", "ops@example.org")
	if err != nil {
		t.Fatal(err)
	}
	want := &alert.ChannelFlags{
		Webhooks:      []string{"https://hooks.slack.com/services/T/B/X", "http://127.0.0.1:8080/hook?a=1,2", "http://h/3"},
		Alertmanagers: []string{"http://am1:9093", "http://am2:9093/"},
		Resolve:       10 * time.Minute,
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("flags (-want +got):\n%s", diff)
	}
	wantSenders := []alert.Sender{
		alert.Webhook{URL: "https://hooks.slack.com/services/T/B/X"},
		alert.Webhook{URL: "http://127.0.0.1:8080/hook?a=1,2"},
		alert.Webhook{URL: "http://h/3"},
		alert.Alertmanager{URL: "http://am1:9093", Resolve: 10 * time.Minute},
		alert.Alertmanager{URL: "http://am2:9093/", Resolve: 10 * time.Minute},
	}
	if diff := cmp.Diff(wantSenders, c.Senders(nil)); diff != "" {
		t.Errorf("Senders (-want +got):\n%s", diff)
	}
}

func TestChannelFlagsDefault(t *testing.T) {
	t.Parallel()
	c, err := parseChannels(t, "-a")
	if err != nil {
		t.Fatal(err)
	}
	if ss := c.Senders(nil); len(ss) != 0 || c.Resolve != alert.DefaultResolve {
		t.Errorf("no flags: Senders = %v, Resolve %v; want none, %v", ss, c.Resolve, alert.DefaultResolve)
	}
}

func TestChannelFlagsBadURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ url, want string }{
		{"hooks.slack.com/services/T/B/X", "want an http:// or https:// URL"},
		{"ftp://h/x", "want an http:// or https:// URL"},
		{"http:///x", "want an http:// or https:// URL"},
		{"", "want an http:// or https:// URL"},
		{"http://h/%zz", `invalid URL escape "%zz"`},
	} {
		_, err := parseChannels(t, "--webhook", tc.url)
		if err == nil || !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("--webhook %q: error %v; want %q", tc.url, err, tc.want)
		}
		if _, err := parseChannels(t, "--alertmanager", tc.url); err == nil {
			t.Errorf("--alertmanager %q accepted; want an error", tc.url)
		}
	}
}
