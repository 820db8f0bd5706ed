package cli

import (
	"errors"
	"slices"
	"testing"

	"github.com/spf13/pflag"
)

func memmonFlags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("memmon", pflag.ContinueOnError)
	fs.BoolP("help", "h", false, "")
	fs.BoolP("cumulative", "c", false, "")
	fs.StringArrayP("program", "p", nil, "")
	fs.StringArrayP("group", "g", nil, "")
	fs.StringP("any", "a", "", "")
	fs.StringP("sendmail_program", "s", "", "")
	fs.StringP("email", "m", "", "")
	fs.StringP("uptime", "u", "", "")
	fs.StringP("name", "n", "", "")
	fs.Int("grace", 0, "") // Lancer's own, and a prefix clash with --group
	return fs
}

func TestExpand(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []string
		want []string
		err  error
	}{
		{"prefix", []string{"--sendmail", "cat", "--prog=a=1MB"}, []string{"--sendmail_program", "cat", "--program=a=1MB"}, nil},
		{"exact", []string{"--group", "g=1"}, []string{"--group", "g=1"}, nil},
		{"ambiguous", []string{"--gr"}, nil, ErrAmbiguousOption},
		{"unique again", []string{"--gro", "g=1"}, []string{"--group", "g=1"}, nil},
		{"ambiguous e", []string{"--e"}, []string{"--email"}, ErrMissingArgument},
		{"unknown", []string{"--groupname", "x=1"}, nil, ErrUnknownOption},
		{"short cluster", []string{"-cp", "a=1", "-ga=2", "rest", "--email", "x"}, []string{"-cp", "a=1", "-ga=2", "rest", "--email", "x"}, nil},
		{"stops at positional", []string{"-c", "http://x", "-p", "y"}, []string{"-c", "http://x", "-p", "y"}, nil},
		{"double dash", []string{"--", "--bogus"}, []string{"--", "--bogus"}, nil},
		{"value looks like option", []string{"-m", "--bogus", "--cum"}, []string{"-m", "--bogus", "--cumulative"}, nil},
		{"unknown short", []string{"-x"}, nil, ErrUnknownOption},
		{"missing value", []string{"-p"}, nil, ErrMissingArgument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Expand(memmonFlags(), tc.in)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("Expand(%q) error = %v; want %v", tc.in, err, tc.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("Expand(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestExpandThenParse(t *testing.T) {
	fs := memmonFlags()
	fs.SetInterspersed(false)
	args, err := Expand(fs, []string{"--prog", "a=1MB", "-p", "b=2kb", "--cum", "extra", "-p", "c=3"})
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	progs, _ := fs.GetStringArray("program")
	cum, _ := fs.GetBool("cumulative")
	if !slices.Equal(progs, []string{"a=1MB", "b=2kb"}) || !cum || !slices.Equal(fs.Args(), []string{"extra", "-p", "c=3"}) {
		t.Fatalf("programs %q cumulative %v args %q", progs, cum, fs.Args())
	}
}

func TestParseByteSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"800MB", 800 << 20, true}, {"10kB", 10240, true}, {"1gb", 1 << 30, true}, {"123", 123, true},
		{"1.5GB", 0, false}, {"200M", 0, false}, {"", 0, false}, {"MB", 0, false}, {"-1", 0, false},
		{"99999999999999999999GB", 0, false},
	} {
		got, err := ParseByteSize(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestParseSeconds(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"60", 60, true}, {"2s", 2, true}, {"3m", 180, true}, {"1h", 3600, true}, {"2d", 172800, true},
		{"1y", 0, false}, {"", 0, false}, {"h", 0, false},
	} {
		got, err := ParseSeconds(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseSeconds(%q) = %d, %v; want %d ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func FuzzParseByteSize(f *testing.F) {
	for _, s := range []string{"800MB", "10kb", "1.5GB", "", "9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseByteSize(s)
		if err == nil && n < 0 {
			t.Fatalf("ParseByteSize(%q) = %d", s, n)
		}
	})
}

func FuzzExpand(f *testing.F) {
	f.Add("--prog a=1 -cp x --sendmail=y -- z")
	f.Fuzz(func(t *testing.T, line string) {
		args := splitFields(line)
		out, err := Expand(memmonFlags(), args)
		if err == nil && len(out) != len(args) {
			t.Fatalf("Expand(%q) = %q: argument count changed", args, out)
		}
	})
}

func splitFields(s string) []string {
	var out []string
	cur := ""
	for _, r := range s {
		if r == ' ' {
			if cur != "" {
				out = append(out, cur)
			}
			cur = ""
			continue
		}
		cur += string(r)
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}
