package main

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/listeners/internal/cli"
)

func TestParseArgs(t *testing.T) {
	t.Parallel()
	defaults := func() *options {
		return &options{
			URL: "http://localhost:8080/tasty", Timeout: 10 * time.Second,
			Statuses: statusSet{codes: []int{200}}, Sendmail: alert.DefaultSendmail,
			Gcore: []string{"/usr/bin/gcore", "-o"}, Eager: true,
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		want func(o *options)
	}{
		{"defaults", []string{"http://localhost:8080/tasty"}, func(*options) {}},
		{"docs sample", []string{"-p", "program1", "-p", "group1:program2", "http://localhost:8080/tasty"},
			func(o *options) { o.Programs = []string{"program1", "group1:program2"} }},
		{"every short option",
			[]string{"-a", "-t", "30", "-c", "200", "-c", "204", "-b", "It works", "-s", "mutt -x",
				"-m", "me@you.com", "-g", "gcore", "-d", "/var/cores", "-E", "-n", "prod", "http://localhost:8080/tasty"},
			func(o *options) {
				o.Any, o.Timeout, o.Statuses.codes, o.Body = true, 30*time.Second, []int{200, 204}, "It works"
				o.Sendmail, o.Email, o.Gcore, o.Coredir = "mutt -x", "me@you.com", []string{"gcore"}, "/var/cores"
				o.Eager, o.Name = false, "prod"
			}},
		{"clustered short options", []string{"-aEt5", "-pfoo", "http://localhost:8080/tasty"},
			func(o *options) { o.Any, o.Eager, o.Timeout, o.Programs = true, false, 5*time.Second, []string{"foo"} }},
		{"long options and getopt prefixes",
			[]string{"--prog", "foo", "--program=bar", "--any", "--time", "3", "--cod=201", "--body", "x",
				"--sendmail", "cat", "--em", "a@b", "--gc", "g", "--cored", "/c", "--not-eager", "--na", "n",
				"http://localhost:8080/tasty"},
			func(o *options) {
				o.Programs, o.Any, o.Timeout, o.Statuses.codes, o.Body = []string{"foo", "bar"}, true, 3*time.Second, []int{201}, "x"
				o.Sendmail, o.Email, o.Gcore, o.Coredir, o.Eager, o.Name = "cat", "a@b", []string{"g"}, "/c", false, "n"
			}},
		{"last of -E and -e wins", []string{"-E", "-e", "http://localhost:8080/tasty"}, func(*options) {}},
		{"last of -e and -E wins", []string{"--eager", "-E", "http://localhost:8080/tasty"},
			func(o *options) { o.Eager = false }},
		{"empty gcore disables it", []string{"-g", "", "-d", "/c", "http://localhost:8080/tasty"},
			func(o *options) { o.Gcore, o.Coredir = nil, "/c" }},
		{"double dash", []string{"-a", "--", "http://localhost:8080/tasty"}, func(o *options) { o.Any = true }},
		{"lancer options",
			[]string{"--status", "200-299", "--status=301", "--grace", "90s", "--restart-fatal", "--cafile", "/ca.pem",
				"--webhook", "https://hooks.example.org/x", "--alertmanager", "http://127.0.0.1:9093",
				"http://localhost:8080/tasty"},
			func(o *options) {
				o.Statuses = statusSet{ranges: []statusRange{{200, 299}, {301, 301}}}
				o.Grace, o.RestartFatal, o.CAFile = 90*time.Second, true, "/ca.pem"
				o.Channels.Webhooks = []string{"https://hooks.example.org/x"}
				o.Channels.Alertmanagers = []string{"http://127.0.0.1:9093"}
			}},
		{"ranges and codes", []string{"-c", "302", "--status", "200-299", "http://localhost:8080/tasty"},
			func(o *options) { o.Statuses = statusSet{codes: []int{302}, ranges: []statusRange{{200, 299}}} }},
		{"grace in seconds", []string{"--grace", "120", "--insecure", "http://localhost:8080/tasty"},
			func(o *options) { o.Grace, o.Insecure = 2*time.Minute, true }},
		{"grace with a day suffix", []string{"--grace=1d", "http://localhost:8080/tasty"},
			func(o *options) { o.Grace = 24 * time.Hour }},
		{"grace as a Go duration", []string{"--grace=1m30s", "https://localhost:8443/"},
			func(o *options) { o.Grace, o.URL = 90*time.Second, "https://localhost:8443/" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseArgs(tc.args)
			if err != nil {
				t.Fatalf("parseArgs(%q) error %v", tc.args, err)
			}
			want := defaults()
			want.Channels = &alert.ChannelFlags{Resolve: alert.DefaultResolve}
			want.Mail = &alert.MailFlags{TLS: "starttls", Timeout: alert.DefaultSMTPTimeout}
			tc.want(want)
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(statusSet{}, statusRange{}), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("parseArgs(%q) (-want +got):\n%s", tc.args, diff)
			}
		})
	}
}

func TestParseArgsErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		is   error
	}{
		{"help", []string{"-h"}, errHelp},
		{"help before the URL check", []string{"--help", "a", "b"}, errHelp},
		{"help by prefix", []string{"--he", "http://x"}, errHelp},
		{"no URL", nil, nil},
		{"options but no URL", []string{"-p", "foo"}, nil},
		{"two URLs", []string{"http://a", "http://b"}, nil},
		{"getopt stops at the URL", []string{"-p", "foo", "http://a", "-a"}, nil},
		{"unknown option", []string{"-x", "http://a"}, cli.ErrUnknownOption},
		{"superlance's removed -w", []string{"-w", "5", "http://a"}, cli.ErrUnknownOption},
		{"ambiguous prefix", []string{"--co", "200", "http://a"}, cli.ErrAmbiguousOption},
		// Lancer's long options make three one-letter prefixes that
		// superlance took as --any, --sendmail_program and --gcore
		// ambiguous: a loud error, never another option.
		{"--a is ambiguous", []string{"--a", "http://a"}, cli.ErrAmbiguousOption},
		{"--s is ambiguous", []string{"--s", "cat", "http://a"}, cli.ErrAmbiguousOption},
		{"--g is ambiguous", []string{"--g", "gcore", "http://a"}, cli.ErrAmbiguousOption},
		{"missing value", []string{"http://a", "-p"}, nil},
		{"missing value at the end", []string{"-p"}, cli.ErrMissingArgument},
		{"eager takes no value", []string{"--eager=no", "http://a"}, nil},
		{"timeout not a number", []string{"-t", "ten", "http://a"}, nil},
		{"timeout zero", []string{"-t", "0", "http://a"}, nil},
		{"code not a number", []string{"-c", "OK", "http://a"}, nil},
		{"bad status range", []string{"--status", "2xx", "http://a"}, nil},
		{"bad grace", []string{"--grace", "soon", "http://a"}, nil},
		{"negative grace", []string{"--grace", "-1s", "http://a"}, nil},
		{"unterminated gcore quote", []string{"-g", "'gcore", "http://a"}, alert.ErrUnterminatedQuote},
		{"insecure and cafile", []string{"--insecure", "--cafile", "x", "http://a"}, nil},
		{"bad scheme", []string{"ftp://a/b"}, nil},
		{"no scheme", []string{"localhost:8080"}, nil},
		{"no host", []string{"http:///x"}, nil},
		{"bad webhook", []string{"--webhook", "hooks.example.org", "http://a"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseArgs(tc.args)
			if err == nil {
				t.Fatalf("parseArgs(%q) = %+v; want an error", tc.args, o)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Fatalf("parseArgs(%q) error %v; want %v", tc.args, err, tc.is)
			}
			if tc.is != errHelp && errors.Is(err, errHelp) {
				t.Fatalf("parseArgs(%q) asks for help", tc.args)
			}
		})
	}
}
