package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lancerhq/lancer/internal/smtptest"
	"github.com/lancerhq/lancer/internal/testproc"
	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/listeners/internal/cli"
	"github.com/lancerhq/lancer/protocol"
)

func TestMain(m *testing.M) { testproc.Main(m, map[string]testproc.Func{"sendmail": helperSendmail}) }

// helperSendmail is a fake MTA: it appends what it reads on stdin to the
// file named by its argument, as superlance's tests use "cat - > file".
func helperSendmail(args []string, _, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: sendmail FILE")
		return 64
	}
	mail, err := io.ReadAll(os.Stdin)
	if err == nil {
		err = os.WriteFile(args[0], mail, 0o600)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 75
	}
	return 0
}

func TestParseArgs(t *testing.T) {
	t.Parallel()
	defaults := Options{Sendmail: alert.DefaultSendmail, Per: time.Hour, Channels: &alert.ChannelFlags{Resolve: alert.DefaultResolve},
		Mail: &alert.MailFlags{TLS: "starttls", Timeout: alert.DefaultSMTPTimeout}}
	with := func(f func(*Options)) Options { o := defaults; f(&o); return o }
	for _, tc := range []struct {
		name string
		args []string
		want Options
	}{
		{"none", nil, defaults},
		{"short options", []string{"-p", "foo", "-pbar:baz", "-a", "-o", "[foo]", "-s", "mutt -t", "-m", "me@x"},
			with(func(o *Options) {
				o.Programs, o.Any, o.OptionalHeader, o.Sendmail, o.Email = []string{"foo", "bar:baz"}, true, "[foo]", "mutt -t", "me@x"
			})},
		{"long options", []string{"--program=foo", "--any", "--optionalheader", "h", "--sendmail_program", "x", "--email=me@x"},
			with(func(o *Options) {
				o.Programs, o.Any, o.OptionalHeader, o.Sendmail, o.Email = []string{"foo"}, true, "h", "x", "me@x"
			})},
		{"getopt prefixes, as superlance's docs use --sendmail", []string{"--prog", "foo", "--sendmail", "x", "--em", "me@x", "--opt=h"},
			with(func(o *Options) {
				o.Programs, o.Sendmail, o.Email, o.OptionalHeader = []string{"foo"}, "x", "me@x", "h"
			})},
		{"commas stay in a program name", []string{"-p", "a,b"}, with(func(o *Options) { o.Programs = []string{"a,b"} })},
		{"parsing stops at the first argument", []string{"-m", "me@x", "URL", "-a"}, with(func(o *Options) { o.Email = "me@x" })},
		{"Lancer's options", []string{"--rate-limit", "2", "--per", "10m", "--tail", "20", "--webhook", "https://h.example/x"},
			with(func(o *Options) {
				o.RateLimit, o.Per, o.Tail = 2, 10*time.Minute, 20
				o.Channels = &alert.ChannelFlags{Webhooks: []string{"https://h.example/x"}, Resolve: alert.DefaultResolve}
			})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseArgs(tc.args)
			if err != nil {
				t.Fatalf("parseArgs(%q) = %v", tc.args, err)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("parseArgs(%q) (-want +got):\n%s", tc.args, diff)
			}
		})
	}
}

func TestParseArgsErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want error  // errors.Is, or nil to check msg only
		msg  string // substring
	}{
		{[]string{"-h"}, errHelp, ""},
		{[]string{"-a", "--help"}, errHelp, ""},
		{[]string{"-x"}, cli.ErrUnknownOption, ""},
		{[]string{"--bogus"}, cli.ErrUnknownOption, ""},
		{[]string{"-h", "--bogus"}, cli.ErrUnknownOption, ""}, // getopt reads all options first
		{[]string{"-m"}, cli.ErrMissingArgument, ""},
		{[]string{"--rate-limit", "-1"}, nil, "--rate-limit -1"},
		{[]string{"--per", "1h"}, nil, "--per needs --rate-limit"},
		{[]string{"--rate-limit", "1", "--per", "0s"}, nil, "--per 0s"},
		{[]string{"--tail", "-3"}, nil, "--tail -3"},
		{[]string{"--tail", "x"}, nil, "invalid argument"},
		{[]string{"-s", "'unterminated"}, alert.ErrUnterminatedQuote, ""},
	} {
		_, err := parseArgs(tc.args)
		if err == nil || tc.want != nil && !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("parseArgs(%q) = %v; want %v %q", tc.args, err, tc.want, tc.msg)
		}
	}
}

type result struct {
	code           int
	stdout, stderr string
}

// runCrashmail runs crashmail with args under a supervisord of pool
// "crashmail", with evs on stdin.
func runCrashmail(t *testing.T, args []string, environ map[string]string, evs ...protocol.Event) result {
	t.Helper()
	var in, out, errb bytes.Buffer
	for _, ev := range evs {
		if err := protocol.WriteEvent(&in, ev); err != nil {
			t.Fatal(err)
		}
	}
	code := run(t.Context(), args, env{
		stdin: &in, stdout: &out, stderr: &errb,
		getenv:     func(k string) string { return environ[k] },
		now:        func() time.Time { return epoch },
		retryDelay: time.Millisecond,
	})
	return result{code, out.String(), errb.String()}
}

var underSupervisor = map[string]string{"SUPERVISOR_SERVER_URL": "unix:///tmp/supervisor.sock", "SUPERVISOR_GROUP_NAME": "crashmail"}

func TestRunExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name           string
		args           []string
		env            map[string]string
		code           int
		stdout, stderr string // prefixes
	}{
		{"-h prints usage to stdout", []string{"-h"}, nil, 0, "crashmail [-p processname]", ""},
		{"bad option", []string{"-x"}, underSupervisor, 255, "", "crashmail: option -x not recognized\n\ncrashmail [-p"},
		{"outside supervisord", []string{"-m", "me@x"}, nil, 0, "", "crashmail must be run as a supervisor event listener\n"},
		{"end of the event stream", []string{"-m", "me@x"}, underSupervisor, 0, "READY\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCrashmail(t, tc.args, tc.env)
			if r.code != tc.code || !strings.HasPrefix(r.stdout, tc.stdout) || !strings.HasPrefix(r.stderr, tc.stderr) {
				t.Errorf("run(%q) = %d, stdout %q, stderr %q; want %d, %q..., %q...", tc.args, r.code, r.stdout, r.stderr, tc.code, tc.stdout, tc.stderr)
			}
			if tc.stdout == "" && r.stdout != "" {
				t.Errorf("stdout = %q; want nothing (the protocol channel)", r.stdout)
			}
		})
	}
}

// test_runforever_unexpected_exit, end to end through a real sendmail
// command: the stderr lines and the mail it received.
func TestRunMailsThroughSendmail(t *testing.T) {
	file := filepath.Join(t.TempDir(), "email.log")
	args := []string{"-o", "[foo]", "-m", "chrism@plope.com", "-s", testproc.CommandLine("sendmail", file), "-p", "foo"}
	r := runCrashmail(t, args, underSupervisor, exit("foo", "bar", 1), exit("foo", "bar", 0), exit("other", "bar", 0))
	if r.code != 0 || r.stdout != strings.Repeat("READY\nRESULT 2\nOK", 3)+"READY\n" {
		t.Fatalf("exit %d, stdout %q; stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	mail := "To: chrism@plope.com\nSubject: [foo]: foo crashed at 2024-05-01 12:00:00,123\n\n" + body
	lines := strings.Split(r.stderr, "\n")
	want := append([]string{"unexpected exit, mailing", "Mailed:", ""}, strings.Split(mail, "\n")...)
	if len(lines) < len(want) || !cmp.Equal(lines[len(lines)-len(want)-1:len(lines)-1], want) {
		t.Errorf("stderr ends %q; want %q", lines, want)
	}
	got, err := os.ReadFile(file)
	if err != nil || string(got) != mail {
		t.Errorf("mailed %q, %v; want %q", got, err, mail)
	}
}

// B4: no -m, no mail, even though a sendmail command is configured.
func TestRunNoEmailNoMail(t *testing.T) {
	file := filepath.Join(t.TempDir(), "email.log")
	r := runCrashmail(t, []string{"-s", testproc.CommandLine("sendmail", file)}, underSupervisor, exit("foo", "bar", 0))
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("sendmail ran without -m (%v)", err)
	}
	if !strings.Contains(r.stderr, "unexpected exit, not mailing (no -m address given)\n"+body+"\n") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

// B11: superlance crashes on the broken pipe when sendmail cannot run,
// and supervisord resends the event to its successor, which crashes
// again. Here the failure is logged, the event acknowledged, and the
// listener carries on with the next one.
func TestRunSurvivesMissingSendmail(t *testing.T) {
	r := runCrashmail(t, []string{"-m", "ops@example.org", "-s", "/nonexistent/sendmail -t -i"}, underSupervisor,
		exit("foo", "bar", 0), exit("baz", "bar", 0))
	if r.code != 0 || r.stdout != strings.Repeat("READY\nRESULT 2\nOK", 2)+"READY\n" {
		t.Fatalf("exit %d, stdout %q; want both events acknowledged and a clean exit", r.code, r.stdout)
	}
	// A command that cannot run is not retried: one attempt per event.
	if n := strings.Count(r.stderr, `msg="could not send alert"`); n != 2 {
		t.Errorf("%d failed attempts logged; want 2:\n%s", n, r.stderr)
	}
	if n := strings.Count(r.stderr, `level=ERROR msg="alert not sent"`); n != 2 {
		t.Errorf("%d failures logged; want 2:\n%s", n, r.stderr)
	}
	if strings.Contains(r.stderr, "Mailed:") {
		t.Error("Mailed: logged for a mail that was not sent")
	}
}

// TestRunSMTP: with --smtp-host the mail goes to an SMTP server instead
// of the -s command, with the same subject and body and a From.
func TestRunSMTP(t *testing.T) {
	srv := smtptest.NewSMTPServer(t, smtptest.SMTPOptions{})
	r := runCrashmail(t, []string{"-a", "-m", "ops@example.org", "--smtp-host", srv.Addr, "--smtp-tls", "none", "--smtp-from", "crashmail@example.org"},
		underSupervisor, exit("foo", "bar", 0))
	if r.code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	m := srv.Wait(t, 1)[0]
	if m.From != "crashmail@example.org" || strings.Join(m.To, ",") != "ops@example.org" ||
		!strings.HasPrefix(strings.TrimSpace(m.Subject()), "foo crashed at ") || !strings.Contains(m.Body, "Process foo in group bar exited unexpectedly") {
		t.Errorf("delivered from %q to %q subject %q body %q", m.From, m.To, m.Subject(), m.Body)
	}
}
