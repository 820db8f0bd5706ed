package logcap

import "testing"

func TestStripANSI(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"plain", "hello\n", "hello\n"},
		{"color", "\x1b[31mred\x1b[0m\n", "red\n"},
		{"cursor", "a\x1b[2Jb\x1b[10;20Hc", "abc"},
		{"every terminator", "\x1b[1H\x1b[1f\x1b[1A\x1b[1B\x1b[1C\x1b[1D\x1b[6R\x1b[s\x1b[u\x1b[J\x1b[K\x1b[?25h\x1b[?25l\x1b[p\x1b[m.", "."},
		{"not a terminator stays hidden", "\x1b[1;2x3m!", "!"},
		{"unterminated runs to the end", "ok\x1b[12;34", "ok"},
		{"lone ESC", "a\x1bb", "a\x1bb"},
		{"ESC at end", "a\x1b", "a\x1b"},
		{"ESC ESC [", "a\x1b\x1b[0mb", "a\x1bb"},
		{"bracket alone", "a[0mb", "a[0mb"},
		{"utf-8 kept", "é\x1b[1m€", "é€"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(StripANSI([]byte(tt.in))); got != tt.want {
				t.Errorf("StripANSI(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestANSIStripperSplit cuts each input at every pair of positions and
// checks that the stream's output equals the whole input's.
func TestANSIStripperSplit(t *testing.T) {
	t.Parallel()
	inputs := []string{
		"\x1b[31mred\x1b[0m plain \x1b[1;32mgreen\x1b[m\n",
		"a\x1b\x1b[0mb\x1b",
		"x\x1b[12;34",
		"\x1b[\x1b[m",
	}
	for _, in := range inputs {
		want := string(StripANSI([]byte(in)))
		for i := 0; i <= len(in); i++ {
			for j := i; j <= len(in); j++ {
				var s ANSIStripper
				var out []byte
				for _, piece := range []string{in[:i], in[i:j], in[j:]} {
					out = s.Strip(out, []byte(piece))
				}
				out = s.Flush(out)
				if string(out) != want {
					t.Fatalf("%q cut at %d,%d: %q; want %q", in, i, j, out, want)
				}
			}
		}
	}
}

func TestANSIStripperClean(t *testing.T) {
	t.Parallel()
	var s ANSIStripper
	if !s.Clean([]byte("abc")) {
		t.Error("Clean(abc) = false")
	}
	s.Strip(nil, []byte("\x1b[3"))
	if s.Clean([]byte("abc")) {
		t.Error("Clean inside a sequence = true")
	}
}
