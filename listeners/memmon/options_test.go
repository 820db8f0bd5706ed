package main

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"

	"github.com/lancerhq/lancer/listeners/internal/cli"
)

// TestArgParser is test_argparser.
func TestArgParser(t *testing.T) {
	t.Parallel()
	if _, err := parseArgs([]string{"-h"}); !errors.Is(err, errHelp) {
		t.Errorf("parseArgs(-h) = %v; want help", err)
	}
	o, err := parseArgs(strings.Fields("-c -p foo=50MB -g bar=10kB --any 250 -s mutt -m me@you.com -u 1d -n myproject"))
	if err != nil {
		t.Fatal(err)
	}
	want := &Options{
		Cumulative: true,
		Programs:   map[string]Limit{"foo": {Bytes: 52428800}},
		Groups:     map[string]Limit{"bar": {Bytes: 10240}},
		Any:        &Limit{Bytes: 250},
		Sendmail:   "mutt",
		Email:      "me@you.com",
		Uptime:     86400,
		Name:       "myproject",
	}
	if diff := cmp.Diff(want, o, ignoreChannels); diff != "" {
		t.Errorf("full set (-want +got):\n%s", diff)
	}
	o, err = parseArgs([]string{"-m", "me@you.com"})
	if err != nil {
		t.Fatal(err)
	}
	want = &Options{Programs: map[string]Limit{}, Groups: map[string]Limit{}, Sendmail: "/usr/sbin/sendmail -t -i", Email: "me@you.com", Uptime: math.MaxInt64}
	if diff := cmp.Diff(want, o, ignoreChannels); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if o, err := parseArgs([]string{"-p", "foo=50MB"}); err != nil || o.Email != "" {
		t.Errorf("parseArgs(-p foo=50MB) = %+v, %v; want no email", o, err)
	}
}

var ignoreChannels = cmp.FilterPath(func(p cmp.Path) bool { return p.String() == "Channels" || p.String() == "Mail" }, cmp.Ignore())

// TestParseUptime is test_parse_uptime, through -u.
func TestParseUptime(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{"1": 1, "1s": 1, "2m": 120, "3h": 10800, "1d": 86400} {
		o, err := parseArgs([]string{"-u", in})
		if err != nil || o.Uptime != want {
			t.Errorf("-u %s = %v, %v; want %d", in, o, err, want)
		}
	}
	if _, err := parseArgs([]string{"-u", "1y"}); err == nil {
		t.Error("-u 1y accepted")
	}
}

// TestParseErrors checks superlance's messages word for word (the option
// quoted as typed, the value with Python's repr) and Lancer's own.
func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-p", "foo"}, "Unparseable value 'foo' for '-p'"},
		{[]string{"--program", "foo"}, "Unparseable value 'foo' for '--program'"},
		{[]string{"--prog", "a=b=c"}, "Unparseable value 'a=b=c' for '--program'"},
		{[]string{"-cp", "foo=bar"}, "Unparseable byte_size in 'bar' for '-p'"},
		{[]string{"-gfoo=1.5GB"}, "Unparseable byte_size in '1.5GB' for '-g'"},
		{[]string{"-a", "200M"}, "Unparseable byte_size in '200M' for '-a'"},
		{[]string{"-p", "foo="}, "Unparseable byte_size in '' for '-p'"},
		{[]string{"-p", "it's"}, `Unparseable value "it's" for '-p'`},
		{[]string{"-u", "1y"}, "Unparseable value for time in '1y' for -u"},
		{[]string{"--up", "soon"}, "Unparseable value for time in 'soon' for --uptime"},
		{[]string{"-g", "x=0%"}, "Unparseable byte_size in '0%' for '-g'"},
		{[]string{"-g", "x=101%"}, "Unparseable byte_size in '101%' for '-g'"},
		{[]string{"--cycles", "0"}, "Unparseable value '0' for '--cycles' (want a positive integer)"},
		{[]string{"--max", "x"}, "Unparseable value 'x' for '--max-restarts' (want a positive integer)"},
		{[]string{"--grace", "1y"}, "Unparseable value for time in '1y' for --grace"},
		{[]string{"--bogus"}, "memmon: option --bogus not recognized"},
		{[]string{"--groupname", "x=1"}, "memmon: option --groupname not recognized"},
		{[]string{"-x"}, "memmon: option -x not recognized"},
		{[]string{"-p"}, "memmon: option -p requires argument"},
		{[]string{"--cumulative=yes"}, "memmon: option --cumulative must not have an argument"},
		// memmon.py stops at the first bad value, in order.
		{[]string{"-p", "a", "-g", "b"}, "Unparseable value 'a' for '-p'"},
		{[]string{"-g", "b", "-p", "a"}, "Unparseable value 'b' for '-g'"},
	} {
		_, err := parseArgs(tc.args)
		var ue *usageError
		if !errors.As(err, &ue) || ue.Msg != tc.want {
			t.Errorf("parseArgs(%q) = %v; want %q", tc.args, err, tc.want)
		}
	}
	// The channel's own message, not the URL, which may hold a token.
	if _, err := parseArgs([]string{"--webhook", "ftp://tok@x"}); err == nil ||
		!strings.HasPrefix(err.Error(), "Unparseable value for '--webhook': ") || strings.Contains(err.Error(), "tok") {
		t.Errorf("parseArgs(--webhook ftp://tok@x) = %v", err)
	}
	if _, err := parseArgs(nil); !errors.As(err, new(*usageError)) {
		t.Errorf("parseArgs() = %v; want the usage", err)
	}
	// -h before a bad value wins, as in memmon.py's loop; after it, not.
	if _, err := parseArgs([]string{"-h", "-p", "x"}); !errors.Is(err, errHelp) {
		t.Errorf("parseArgs(-h -p x) = %v; want help", err)
	}
	if _, err := parseArgs([]string{"-p", "x", "-h"}); errors.Is(err, errHelp) {
		t.Errorf("parseArgs(-p x -h) = help; want the bad value")
	}
}

// TestSuperlancePrefixes: every prefix getopt resolved for memmon.py
// still resolves to the same option although Lancer adds --cycles,
// --grace, --per, --alertmanager...; and the new options can be reached
// by their own prefixes.
func TestSuperlancePrefixes(t *testing.T) {
	t.Parallel()
	unique := map[string]string{}
	for _, name := range superlanceLongs {
		for n := 1; n <= len(name); n++ {
			p := name[:n]
			if _, seen := unique[p]; seen {
				unique[p] = ""
			} else {
				unique[p] = name
			}
		}
	}
	for p, name := range unique {
		if name == "" {
			continue
		}
		fs := newFlagSet(&Options{})
		got, err := cli.Expand(fs, []string{"--" + p, "v"})
		if err != nil || got[0] != "--"+name {
			t.Errorf("--%s expands to %q, %v; want --%s as in superlance", p, got, err, name)
		}
	}
	for typed, want := range map[string]string{
		"--cu": "--cumulative", "--c": "--cumulative", "--g": "--group", "--gr": "--group",
		"--a": "--any", "--p": "--program", "--sendmail": "--sendmail_program", "--prog": "--program",
		"--cy": "--cycles", "--gra": "--grace", "--pe": "--per", "--max": "--max-restarts",
		"--m": "--max-restarts", "--web": "--webhook", "--alertmanager": "--alertmanager",
	} {
		got, err := cli.Expand(newFlagSet(&Options{}), []string{typed, "1"})
		if err != nil || got[0] != want {
			t.Errorf("%s expands to %q, %v; want %s", typed, got, err, want)
		}
	}
}

// TestLancerOptions parses the options superlance does not have.
func TestLancerOptions(t *testing.T) {
	t.Parallel()
	o, err := parseArgs(strings.Fields("--cycles 3 --grace 2m --max-restarts 5 --per 1h30m -g web=25% --webhook http://hooks.example.org/x --alertmanager http://127.0.0.1:9093"))
	if err != nil {
		t.Fatal(err)
	}
	wantPolicy := Policy{Cycles: 3, Grace: 2 * time.Minute, MaxRestarts: 5, Per: 90 * time.Minute}
	if o.Policy != wantPolicy || o.Groups["web"] != (Limit{Percent: 25}) || !o.relative() {
		t.Errorf("policy %+v groups %v; want %+v, web=25%%", o.Policy, o.Groups, wantPolicy)
	}
	if len(o.Channels.Senders(nil)) != 2 {
		t.Errorf("channels = %+v; want a webhook and an alertmanager", o.Channels)
	}
	o, err = parseArgs([]string{"--max-restarts", "2"})
	if err != nil || o.Policy.Per != time.Hour {
		t.Errorf("--max-restarts without --per: %+v, %v; want --per 1h", o, err)
	}
	o, err = parseArgs([]string{"-p", "a=12.5%", "-a", "1GB"})
	if err != nil || o.Programs["a"] != (Limit{Percent: 12.5}) || o.relative() != true {
		t.Errorf("-p a=12.5%%: %+v, %v", o, err)
	}
	if o, _ := parseArgs([]string{"-a", "1GB"}); o.relative() {
		t.Error("-a 1GB is relative")
	}
}

// TestPositionalIgnored: memmon.py ignores positional arguments, and
// getopt stops at the first one.
func TestPositionalIgnored(t *testing.T) {
	t.Parallel()
	o, err := parseArgs([]string{"-g", "a=1", "extra", "-p", "bad"})
	if err != nil || len(o.Programs) != 0 || o.Groups["a"] != (Limit{Bytes: 1}) {
		t.Errorf("parseArgs = %+v, %v", o, err)
	}
}

// FuzzParseArgs: no command line panics, and typedForms names every
// option pflag visits, so each message quotes the option as typed.
func FuzzParseArgs(f *testing.F) {
	for _, s := range []string{
		"-c -p foo=50MB -g bar=10kB --any 250 -s mutt -m me@you.com -u 1d -n myproject",
		"-cpfoo=1 --prog=a=1 --cy 2 --gra 1m -- -p",
		"--webhook http://x/ -h", "-p", "--c --cu --per 1h -m",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		o, err := parseArgs(args)
		if err == nil && o == nil {
			t.Fatalf("parseArgs(%q) = nil, nil", args)
		}
		fs := newFlagSet(&Options{})
		expanded, err := cli.Expand(fs, args)
		if err != nil {
			return
		}
		var visited []string
		err = fs.ParseAll(expanded, func(fl *pflag.Flag, _ string) error {
			visited = append(visited, fl.Name)
			return nil
		})
		if err != nil {
			return
		}
		typed := typedForms(fs, expanded)
		if len(typed) != len(visited) {
			t.Fatalf("args %q: typedForms %q for %d options %q", args, typed, len(visited), visited)
		}
		for i, form := range typed {
			f := fs.Lookup(strings.TrimLeft(form, "-"))
			if len(form) == 2 {
				f = fs.ShorthandLookup(form[1:])
			}
			if f == nil || f.Name != visited[i] {
				t.Fatalf("args %q: option %d typed %s, visited %s", args, i, form, visited[i])
			}
		}
	})
}
