package logcap

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// splitResult is what a splitter produced for a stream.
type splitResult struct {
	log      []byte   // segments outside the tags, concatenated
	captured []byte   // segments inside the tags, concatenated
	messages [][]byte // captured bytes between each BEGIN and END
	tags     int      // bytes of tags seen
}

// runSplitter feeds pieces to a fresh splitter, then flushes it.
func runSplitter(pieces [][]byte) splitResult {
	var r splitResult
	var cur []byte
	s := &splitter{}
	s.segment = func(seg []byte, captured bool) {
		if captured {
			r.captured = append(r.captured, seg...)
			cur = append(cur, seg...)
		} else {
			r.log = append(r.log, seg...)
		}
	}
	s.toggle = func(capturing bool) {
		if capturing {
			r.tags += len(BeginTag)
			return
		}
		r.tags += len(EndTag)
		r.messages = append(r.messages, cur)
		cur = nil
	}
	for _, p := range pieces {
		s.write(p)
	}
	s.flush()
	return r
}

func TestSplitterTagsSplitEverywhere(t *testing.T) {
	t.Parallel()
	in := "before" + BeginTag + "hello comm" + EndTag + "after" + BeginTag + "<!--x-->" + EndTag + "<!--XSUP"
	for i := 0; i <= len(in); i++ {
		for j := i; j <= len(in); j++ {
			r := runSplitter([][]byte{[]byte(in[:i]), []byte(in[i:j]), []byte(in[j:])})
			msgs := make([]string, len(r.messages))
			for k, m := range r.messages {
				msgs[k] = string(m)
			}
			if string(r.log) != "beforeafter<!--XSUP" || !slices.Equal(msgs, []string{"hello comm", "<!--x-->"}) {
				t.Fatalf("cut at %d,%d: log %q, messages %q", i, j, r.log, msgs)
			}
		}
	}
}

func TestSplitterHoldsOnlyATagPrefix(t *testing.T) {
	t.Parallel()
	var log []byte
	s := &splitter{segment: func(seg []byte, _ bool) { log = append(log, seg...) }, toggle: func(bool) {}}
	for _, tt := range []struct{ write, logged string }{
		{"after\n", "after\n"}, // the reference holds this (≤ 24 bytes)
		{"x<", "after\nx"},
		{"!--", "after\nx"},
		{"y", "after\nx<!--y"},
		{"<!--XSUPERVISOR:BEGIN-", "after\nx<!--y"},
	} {
		s.write([]byte(tt.write))
		if string(log) != tt.logged {
			t.Fatalf("after write %q: logged %q; want %q", tt.write, log, tt.logged)
		}
	}
	s.flush()
	if want := "after\nx<!--y<!--XSUPERVISOR:BEGIN-"; string(log) != want {
		t.Errorf("after flush: logged %q; want %q", log, want)
	}
}

func TestCaptureBuffer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		max    int
		writes []string
		want   string
	}{
		{"fits", 10, []string{"abc", "def"}, "abcdef"},
		{"drops as many as the segment has", 10, []string{"abcdefgh", "ijklm"}, "fghijklm"},
		{"one long segment is kept whole", 10, []string{strings.Repeat("x", 20)}, strings.Repeat("x", 20)},
		{"long segment after short", 10, []string{"abc", strings.Repeat("y", 12)}, strings.Repeat("y", 12)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := captureBuffer{max: tt.max}
			for _, w := range tt.writes {
				c.write([]byte(w))
			}
			if got := string(c.take()); got != tt.want {
				t.Errorf("captured %q; want %q", got, tt.want)
			}
			if len(c.buf) != 0 {
				t.Error("take did not empty the buffer")
			}
		})
	}
}

// TestCaptureTrailingChunkAtExit fails on the reference's behaviour: a
// last chunk of ≤ 24 bytes written in capture mode never reaches the log
// when the process exits (supervisor.md §1.7).
func TestCaptureTrailingChunkAtExit(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	var msgs []string
	c := newChannel(t, Options{Path: path, CaptureMaxBytes: 1 << 20, OnCapture: func(_ int, m []byte) { msgs = append(msgs, string(m)) }})
	write(t, c, "before\n"+BeginTag+"hello comm"+EndTag)
	write(t, c, "after\n")
	if got := readFile(t, path); got != "before\nafter\n" {
		t.Errorf("before exit the log holds %q; want before\\nafter\\n", got)
	}
	write(t, c, "<!--")
	c.Flush()
	if got := readFile(t, path); got != "before\nafter\n<!--" {
		t.Errorf("after exit the log holds %q; want the held bytes too", got)
	}
	if !slices.Equal(msgs, []string{"hello comm"}) {
		t.Errorf("messages = %q; want [hello comm]", msgs)
	}
}

func TestCaptureUnterminatedAtExit(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	path := filepath.Join(t.TempDir(), "log")
	var msgs []string
	c, err := NewChannel(slog.New(rec), Options{Name: "x", Path: path, CaptureMaxBytes: 100, OnCapture: func(_ int, m []byte) { msgs = append(msgs, string(m)) }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	write(t, c, "a"+BeginTag+"partial message")
	c.Flush()
	write(t, c, "next run"+EndTag)
	if got := readFile(t, path); got != "anext run"+EndTag {
		t.Errorf("log = %q; a new run must start outside capture mode", got)
	}
	if len(msgs) != 0 {
		t.Errorf("messages = %q; want none", msgs)
	}
	if got := rec.messages(); !slices.Equal(got, []string{"WARN process exited inside a capture, message discarded process=x bytes=15"}) {
		t.Errorf("logged %q", got)
	}
}

func TestCaptureHooks(t *testing.T) {
	t.Parallel()
	type seg struct {
		data     string
		captured bool
	}
	var segs []seg
	var msgs []string
	c := newChannel(t, Options{
		StripANSI: true, CaptureMaxBytes: 100,
		OnOutput:  func(_ int, d []byte, captured bool) { segs = append(segs, seg{string(d), captured}) },
		OnCapture: func(_ int, m []byte) { msgs = append(msgs, string(m)) },
	})
	write(t, c, "\x1b[1mlog\x1b[0m"+BeginTag+"\x1b[31mcomm\x1b")
	write(t, c, "[0m"+EndTag+"tail")
	c.Flush()
	want := []seg{{"log", false}, {"comm", true}, {"tail", false}}
	if !slices.Equal(segs, want) {
		t.Errorf("OnOutput saw %v; want %v (captured data too, as in the reference)", segs, want)
	}
	if !slices.Equal(msgs, []string{"comm"}) {
		t.Errorf("OnCapture saw %q; want [comm]", msgs)
	}
	if data, _, _, _ := c.Tail(0, 100); string(data) != "logtail" {
		t.Errorf("ring holds %q; want logtail", data)
	}
}

func TestCaptureOffPassesTags(t *testing.T) {
	t.Parallel()
	c := newChannel(t, Options{})
	in := "a" + BeginTag + "b" + EndTag
	write(t, c, in)
	if data, _, _, _ := c.Tail(0, 100); string(data) != in {
		t.Errorf("ring holds %q; want %q", data, in)
	}
}

// FuzzCapture checks that the splitter never panics, that bytes are
// conserved (log + captured + tags == input) and that where the input is
// cut does not change the result.
func FuzzCapture(f *testing.F) {
	f.Add([]byte("before"+BeginTag+"msg"+EndTag+"after"), []byte{3, 30})
	f.Add([]byte(BeginTag+BeginTag+EndTag+EndTag), []byte{1, 1, 1, 24})
	f.Add([]byte("<!--XSUPERVISOR:<!--XSUPERVISOR:BEGIN--><!--XSUPERVISOR:END"), []byte{17})
	f.Fuzz(func(t *testing.T, in, cuts []byte) {
		whole := runSplitter([][]byte{in})
		if got := len(whole.log) + len(whole.captured) + whole.tags; got != len(in) {
			t.Fatalf("log %d + captured %d + tags %d = %d bytes; input has %d",
				len(whole.log), len(whole.captured), whole.tags, got, len(in))
		}
		var pieces [][]byte
		rest := in
		for _, c := range cuts {
			n := min(int(c), len(rest))
			pieces, rest = append(pieces, rest[:n]), rest[n:]
		}
		split := runSplitter(append(pieces, rest))
		if !bytes.Equal(split.log, whole.log) || !bytes.Equal(split.captured, whole.captured) ||
			len(split.messages) != len(whole.messages) {
			t.Fatalf("cut %v: log %q captured %q; whole: log %q captured %q",
				cuts, split.log, split.captured, whole.log, whole.captured)
		}
	})
}
