package batch

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/protocol"
)

var crashKind = Kind{Name: "crashmailbatch", DefaultSubject: "Crash alert from supervisord"}
var smsKind = Kind{Name: "crashsms"}

// test_validate_cmd_line_options_*: the comma-separated --toEmail.
func TestSplitAddresses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"frog", []string{"frog"}},
		{"frog, log,dog", []string{"frog", "log", "dog"}},
		{" a@x ,, b@y ,", []string{"a@x", "b@y"}},
		{"", nil},
	} {
		if got := SplitAddresses(tc.in); !cmp.Equal(got, tc.want) {
			t.Errorf("SplitAddresses(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	defaults := Options{Interval: 1, To: []string{"a@x"}, From: "me@x", Subject: "Crash alert from supervisord",
		HasSubject: true, SMTPHost: "localhost", TickEvent: protocol.Tick60, Channels: &alert.ChannelFlags{Resolve: alert.DefaultResolve}}
	with := func(f func(*Options)) Options { o := defaults; f(&o); return o }
	for _, tc := range []struct {
		name string
		kind Kind
		args []string
		want Options
	}{
		{"defaults", crashKind, []string{"-t", "a@x", "-f", "me@x"}, defaults},
		{"short options", crashKind,
			[]string{"-i", "0.5", "-t", "a@x, b@y", "-fme@x", "-s", "Boom", "-H", "smtp:2525", "-e", "TICK_5", "-u", "bob", "-p", "pw", "--tls"},
			with(func(o *Options) {
				o.Interval, o.To, o.Subject, o.SMTPHost, o.TickEvent = 0.5, []string{"a@x", "b@y"}, "Boom", "smtp:2525", protocol.Tick5
				o.User, o.Password, o.TLS = "bob", "pw", true
			})},
		{"long options and prefixes", crashKind,
			[]string{"--toEmail=a@x", "--from", "me@x", "--int=3", "--smtpH", "mx", "--tick", "TICK_3600", "--user=u", "--pass", "p"},
			with(func(o *Options) {
				o.Interval, o.SMTPHost, o.TickEvent, o.User, o.Password = 3, "mx", protocol.Tick3600, "u", "p"
			})},
		{"positional arguments between options are ignored", crashKind,
			[]string{"stray", "-t", "a@x", "other", "-f", "me@x"}, defaults},
		{"a value that looks like an option", crashKind,
			[]string{"-t", "a@x", "-f", "me@x", "-s", "--tls", "--subject", "-h"},
			with(func(o *Options) { o.Subject = "-h" })},
		{"-- ends the options", crashKind, []string{"-t", "a@x", "-f", "me@x", "--", "--bogus"}, defaults},
		{"crashsms has no subject", smsKind, []string{"-t", "a@x", "-f", "me@x"},
			with(func(o *Options) { o.Subject, o.HasSubject = "", false })},
		{"an empty -s is a subject", smsKind, []string{"-t", "a@x", "-f", "me@x", "-s", ""},
			with(func(o *Options) { o.Subject, o.HasSubject = "", true })},
		{"a webhook needs no mail addresses", crashKind, []string{"--webhook", "https://hooks.example/x"},
			with(func(o *Options) {
				o.To, o.From = nil, ""
				o.Channels = &alert.ChannelFlags{Webhooks: []string{"https://hooks.example/x"}, Resolve: alert.DefaultResolve}
			})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.kind, tc.args)
			if err != nil {
				t.Fatalf("Parse(%q) = %v", tc.args, err)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tc.args, diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	var usage *UsageError
	for _, tc := range []struct {
		name string
		args []string
		is   func(error) bool
		msg  string
	}{
		{"-h", []string{"-h"}, isErr(ErrHelp), ""},
		{"--help wins over what follows", []string{"--he", "--bogus"}, isErr(ErrHelp), ""},
		{"h in a cluster", []string{"--tls", "-h"}, isErr(ErrHelp), ""},
		{"no options", nil, isErr(ErrMissingAddress), ""},
		{"no --fromEmail", []string{"-t", "a@x"}, isErr(ErrMissingAddress), ""},
		{"no --toEmail", []string{"-f", "me@x"}, isErr(ErrMissingAddress), ""},
		{"empty --toEmail", []string{"-t", " , ", "-f", "me@x"}, isErr(ErrMissingAddress), ""},
		{"a webhook and half of mail", []string{"--webhook", "http://x/", "-t", "a@x"}, isErr(ErrMissingAddress), ""},
		{"unknown option", []string{"-t", "a@x", "-f", "me@x", "--bogus"}, asErr(&usage), "--bogus not recognized"},
		{"unknown short option", []string{"-x"}, asErr(&usage), "-x not recognized"},
		{"bad option before -h", []string{"--bogus", "-h"}, asErr(&usage), "not recognized"},
		{"ambiguous prefix", []string{"--t", "x"}, asErr(&usage), "not a unique prefix"},
		{"missing value", []string{"-t"}, asErr(&usage), "requires argument"},
		{"bad interval", []string{"-t", "a@x", "-f", "me@x", "-i", "soon"}, asErr(&usage), "interval"},
		{"negative interval", []string{"-t", "a@x", "-f", "me@x", "-i", "-1"}, asErr(&usage), "interval"},
		{"NaN interval", []string{"-t", "a@x", "-f", "me@x", "-i", "nan"}, asErr(&usage), "interval"},
		{"bad tick", []string{"-t", "a@x", "-f", "me@x", "-e", "JUNK_60"}, asErr(&usage), "invalid TICK event name: JUNK_60"},
		{"bad webhook", []string{"--webhook", "ftp://x/"}, asErr(&usage), "want an http"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(crashKind, tc.args)
			if !tc.is(err) || !strings.Contains(errString(err), tc.msg) {
				t.Errorf("Parse(%q) = %v; want %s", tc.args, err, tc.name)
			}
		})
	}
}

func isErr(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

func asErr[T error](target *T) func(error) bool {
	return func(err error) bool { return errors.As(err, target) }
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestHelp(t *testing.T) {
	t.Parallel()
	h := Help("fatalmailbatch")
	for _, want := range []string{"Usage: fatalmailbatch [options]\n", "--toEmail=TO_EMAILS", "-e EVENTNAME, --tickEvent=EVENTNAME", "--tls", "--webhook", "--alertmanager"} {
		if !strings.Contains(h, want) {
			t.Errorf("Help() lacks %q:\n%s", want, h)
		}
	}
}
