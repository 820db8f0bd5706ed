package protocol

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestReadRunesBoundaries reads through a minimum-size bufio buffer and a
// one-byte-at-a-time source, so multi-byte runes straddle every refill.
func TestReadRunesBoundaries(t *testing.T) {
	t.Parallel()
	payload := strings.Repeat("aé€😀\xff", 20) // 1+2+3+4+1 bytes, 5 units each
	br := bufio.NewReaderSize(iotest.OneByteReader(strings.NewReader(payload+"NEXT")), 16)
	r := &Reader{br: br, maxPayload: DefaultMaxPayload}
	got, n, err := r.readRunes(100)
	if err != nil || got != payload || n != 100 {
		t.Fatalf("readRunes(100) = %q, %d, %v; want %q, 100, nil", got, n, err, payload)
	}
	rest, _ := io.ReadAll(br)
	if string(rest) != "NEXT" {
		t.Errorf("after readRunes the stream holds %q; want %q", rest, "NEXT")
	}
}

// TestReadRunesDoesNotTrustLen checks that a len far beyond the data
// allocates only for the data received.
func TestReadRunesDoesNotTrustLen(t *testing.T) {
	r := &Reader{br: bufio.NewReader(strings.NewReader("abc")), maxPayload: DefaultMaxPayload}
	allocs := testing.AllocsPerRun(10, func() {
		r.br.Reset(strings.NewReader("abc"))
		if _, n, err := r.readRunes(DefaultMaxPayload); n != 3 || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("readRunes(max) = %d, %v; want 3, io.ErrUnexpectedEOF", n, err)
		}
	})
	if allocs > 2 {
		t.Errorf("readRunes on 3 bytes made %v allocations; want at most 2", allocs)
	}
}

func TestReadLineSmallBuffer(t *testing.T) {
	t.Parallel()
	line := strings.Repeat("k:v ", 30)
	r := &Reader{br: bufio.NewReaderSize(strings.NewReader(line+"\nrest"), 16)}
	got, err := r.readLine(MaxLineLen)
	if err != nil || got != line {
		t.Errorf("readLine = %q, %v; want %q", got, err, line)
	}
	r = &Reader{br: bufio.NewReaderSize(strings.NewReader(line+"\n"), 16)}
	if _, err := r.readLine(len(line)); !errors.Is(err, ErrLineTooLong) {
		t.Errorf("readLine(limit %d) on %d+1 bytes = %v; want ErrLineTooLong", len(line), len(line), err)
	}
}

func TestPayloadErrorMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ     EventType
		payload string
		want    string
	}{
		{ProcessStateRunning, "processname:p groupname:g from_state:STARTING pid:x",
			`PROCESS_STATE_RUNNING payload "processname:p groupname:g from_state:STARTING pid:x": key pid: not an integer: "x"`},
		{AnyTick, "when:0", `TICK payload "when:0": abstract event type`},
		{Tick5, strings.Repeat("x", 200),
			`TICK_5 payload "` + strings.Repeat("x", maxQuoted) + `...": token without colon: "` + strings.Repeat("x", 200) + `"`},
	}
	for _, tc := range tests {
		_, err := ParsePayload(tc.typ, tc.payload)
		if err == nil || err.Error() != tc.want {
			t.Errorf("ParsePayload(%s, %.30q) error = %v; want %s", tc.typ, tc.payload, err, tc.want)
		}
	}
}
