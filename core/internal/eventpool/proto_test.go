package eventpool

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func (s step) String() string {
	str := s.from.String() + " -> " + s.to.String()
	switch s.kind {
	case stepResult:
		if s.ok {
			return str + " processed"
		}
		return str + " rejected"
	case stepBadLine:
		return fmt.Sprintf("%s bad line %q", str, s.line)
	}
	return str
}

func stepStrings(steps []step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.String())
	}
	return out
}

// feedAll feeds chunks one after the other into a listener in state
// start (ACKNOWLEDGED, or BUSY as if an event had just been sent).
func feedAll(start State, chunks ...string) (proto, []string) {
	p := newProto()
	if start == Busy {
		p.state = Ready
		p.sent()
	}
	var steps []step
	for _, c := range chunks {
		steps = p.feed([]byte(c), steps)
	}
	return p, stepStrings(steps)
}

func bytewise(s string) []string { return strings.Split(s, "") }

func TestProtoFeed(t *testing.T) {
	t.Parallel()
	const (
		ackReady  = "ACKNOWLEDGED -> READY"
		ackUnk    = "ACKNOWLEDGED -> UNKNOWN"
		processed = "BUSY -> ACKNOWLEDGED processed"
		rejected  = "BUSY -> ACKNOWLEDGED rejected"
	)
	long := strings.Repeat("x", 2000)
	tests := []struct {
		name   string
		start  State
		chunks []string
		want   []string
		state  State
	}{
		{"ready", Acknowledged, []string{"READY\n"}, []string{ackReady}, Ready},
		{"ready byte by byte", Acknowledged, bytewise("READY\n"), []string{ackReady}, Ready},
		{"fewer than 6 bytes wait", Acknowledged, []string{"READ"}, nil, Acknowledged},
		{"5 bad bytes still wait, as the reference", Acknowledged, []string{"HELLO"}, nil, Acknowledged},
		{"sixth byte decides", Acknowledged, []string{"HELLO", "\n"}, []string{ackUnk}, Unknown},
		{"READYX", Acknowledged, []string{"READYX"}, []string{ackUnk}, Unknown},
		{"unknown discards the rest", Acknowledged, []string{"HELLO\nREADY\n", "READY\n"}, []string{ackUnk}, Unknown},
		{"double ready", Acknowledged, []string{"READY\nREADY\n"}, []string{ackReady, "READY -> UNKNOWN"}, Unknown},
		{"output while ready", Acknowledged, []string{"READY\n", "x"}, []string{ackReady, "READY -> UNKNOWN"}, Unknown},
		{"OK", Busy, []string{"RESULT 2\nOK"}, []string{processed}, Acknowledged},
		{"FAIL", Busy, []string{"RESULT 4\nFAIL"}, []string{rejected}, Acknowledged},
		{"result and ready in one write", Busy, []string{"RESULT 2\nOKREADY\n"}, []string{processed, ackReady}, Ready},
		{"result and ready byte by byte", Busy, bytewise("RESULT 2\nOKREADY\n"), []string{processed, ackReady}, Ready},
		{"body awaited", Busy, []string{"RESULT 2\n"}, nil, Busy},
		{"line awaited", Busy, []string{"RESULT 2"}, nil, Busy},
		{"OKOK is not OK", Busy, []string{"RESULT 4\nOKOK"}, []string{rejected}, Acknowledged},
		{"O is not OK", Busy, []string{"RESULT 1\nO"}, []string{rejected}, Acknowledged},
		{"KO is not OK", Busy, []string{"RESULT 2\nKO"}, []string{rejected}, Acknowledged},
		{"lower-case ok is not OK", Busy, []string{"RESULT 2\nok"}, []string{rejected}, Acknowledged},
		{"empty body decided at once", Busy, []string{"RESULT 0\n"}, []string{rejected}, Acknowledged},
		{"empty body then ready", Busy, []string{"RESULT 0\nREADY\n"}, []string{rejected, ackReady}, Ready},
		{"whitespace around the length", Busy, []string{"RESULT  2 \r\nOK"}, []string{processed}, Acknowledged},
		{"junk after the result", Busy, []string{"RESULT 2\nOKjunk!!"}, []string{processed, ackUnk}, Unknown},
		{"not an integer", Busy, []string{"RESULT abc\n"}, []string{`BUSY -> UNKNOWN bad line "RESULT abc"`}, Unknown},
		{"prefix checked (the reference accepts it)", Busy, []string{"XXXXXX 2\nOK"}, []string{`BUSY -> UNKNOWN bad line "XXXXXX 2"`}, Unknown},
		{"no space", Busy, []string{"RESULT2\nOK"}, []string{`BUSY -> UNKNOWN bad line "RESULT2"`}, Unknown},
		{"negative", Busy, []string{"RESULT -1\n"}, []string{`BUSY -> UNKNOWN bad line "RESULT -1"`}, Unknown},
		{"empty length", Busy, []string{"RESULT \n"}, []string{`BUSY -> UNKNOWN bad line "RESULT "`}, Unknown},
		{"overflowing length", Busy, []string{"RESULT 99999999999999999999\n"}, []string{`BUSY -> UNKNOWN bad line "RESULT 99999999999999999999"`}, Unknown},
		{"READY while busy", Busy, []string{"READY\n"}, []string{`BUSY -> UNKNOWN bad line "READY"`}, Unknown},
		{"endless line", Busy, []string{long}, []string{fmt.Sprintf("BUSY -> UNKNOWN bad line %q", long[:maxResultLine])}, Unknown},
		{"endless line in pieces", Busy, []string{long[:1000], long[:1000]}, []string{fmt.Sprintf("BUSY -> UNKNOWN bad line %q", long[:maxResultLine])}, Unknown},
		{"long line with a newline", Busy, []string{long + "\n"}, []string{fmt.Sprintf("BUSY -> UNKNOWN bad line %q", long[:maxResultLine])}, Unknown},
		{"big body counted, not kept", Busy, []string{"RESULT 100000\n", strings.Repeat("y", 100000)}, []string{rejected}, Acknowledged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, got := feedAll(tt.start, tt.chunks...)
			if !cmp.Equal(got, tt.want) {
				t.Errorf("feed(%q) steps = %q; want %q", tt.chunks, got, tt.want)
			}
			if p.state != tt.state {
				t.Errorf("feed(%q) state = %v; want %v", tt.chunks, p.state, tt.state)
			}
			if len(p.buf) > maxResultLine {
				t.Errorf("feed(%q) holds %d bytes", tt.chunks, len(p.buf))
			}
		})
	}
}

func TestProtoUnsent(t *testing.T) {
	t.Parallel()
	p := newProto()
	p.feed([]byte("READY\n"), nil)
	p.sent()
	p.unsent()
	if p.state != Ready {
		t.Errorf("state after unsent = %v; want READY", p.state)
	}
}

func TestStateString(t *testing.T) {
	t.Parallel()
	for s, want := range map[State]string{Ready: "READY", Busy: "BUSY", Acknowledged: "ACKNOWLEDGED", Unknown: "UNKNOWN", 7: "State(7)"} {
		if got := s.String(); got != want {
			t.Errorf("State(%d).String() = %q; want %q", int(s), got, want)
		}
	}
}
