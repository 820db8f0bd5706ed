package eventpool

import (
	"slices"
	"testing"
)

// FuzzListenerOutput feeds arbitrary stdout byte streams to the protocol
// parser: it never panics, never holds more than maxResultLine bytes,
// reports only consistent state changes, and does not depend on how the
// stream is cut into chunks.
func FuzzListenerOutput(f *testing.F) {
	for _, seed := range []string{
		"READY\n", "RESULT 2\nOKREADY\n", "RESULT 4\nFAIL", "RESULT 0\nREADY\n",
		"RESULT abc\n", "XXXXXX 2\nOK", "READY\nREADY\n", "RESULT 99999999999999999999\n",
		"RESULT 3\nOK\nREADY\n", "RESULT 2 \r\nOKREADY\nRESULT 2\nOK",
	} {
		f.Add([]byte(seed), uint8(3), false)
		f.Add([]byte(seed), uint8(1), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint8, busy bool) {
		whole := newFuzzProto(busy)
		wantSteps := whole.feed(data, nil)
		checkSteps(t, whole, wantSteps, busy)

		pieces := newFuzzProto(busy)
		var steps []step
		size := int(cut)%17 + 1
		for chunk := range slices.Chunk(data, size) {
			steps = pieces.feed(chunk, steps)
			if len(pieces.buf) > maxResultLine || cap(pieces.buf) > 4*maxResultLine {
				t.Fatalf("parser holds %d bytes (cap %d)", len(pieces.buf), cap(pieces.buf))
			}
		}
		if got, want := stepStrings(steps), stepStrings(wantSteps); !slices.Equal(got, want) {
			t.Fatalf("in chunks of %d: steps %q; at once: %q", size, got, want)
		}
		if pieces.state != whole.state {
			t.Fatalf("in chunks of %d: state %v; at once: %v", size, pieces.state, whole.state)
		}
	})
}

func newFuzzProto(busy bool) proto {
	p := newProto()
	if busy {
		p.state = Ready
		p.sent()
	}
	return p
}

// checkSteps checks that the steps chain from the start state to p's.
func checkSteps(t *testing.T, p proto, steps []step, busy bool) {
	t.Helper()
	cur := Acknowledged
	if busy {
		cur = Busy
	}
	for _, s := range steps {
		if s.from != cur {
			t.Fatalf("step %v starts from %v", s, cur)
		}
		if len(s.line) > maxResultLine {
			t.Fatalf("bad line of %d bytes", len(s.line))
		}
		cur = s.to
	}
	if cur != p.state {
		t.Fatalf("steps end in %v; state is %v", cur, p.state)
	}
}
