package protocol

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ReadReady reads the READY token a listener writes when it can take an
// event. It consumes bytes one at a time while they match "READY\n", so a
// wrong byte is reported at once, without waiting for six bytes as
// supervisord does. A mismatch yields an error wrapping [ErrNotReady] and
// quoting what was read; a clean end of stream before any byte is io.EOF,
// unwrapped (the listener exited); an end inside the token wraps
// io.ErrUnexpectedEOF.
func (r *Reader) ReadReady() error {
	if err := r.expect(readyToken, ErrNotReady); err != nil {
		if err == io.EOF {
			return io.EOF
		}
		return fmt.Errorf("read ready: %w", err)
	}
	return nil
}

// ReadResult reads a listener's answer, "RESULT <n>\n" followed by exactly
// n bytes of body, and returns the body ("OK" acknowledges the event,
// anything else rejects it).
//
// It is stricter than supervisord, which ignores the first seven bytes of
// the line: the line must be exactly "RESULT " and a decimal length, else
// the error wraps [ErrBadResult]; like ReadReady it fails at the first
// wrong byte. A length above the reader's limit also wraps
// [ErrPayloadTooLarge]. The body is counted in bytes, as supervisord reads
// it (in practice it is ASCII OK or FAIL). A clean end of stream before any
// byte is io.EOF, unwrapped; an end inside the result wraps
// io.ErrUnexpectedEOF.
func (r *Reader) ReadResult() (string, error) {
	if err := r.expect(resultPrefix, ErrBadResult); err != nil {
		if err == io.EOF {
			return "", io.EOF
		}
		return "", fmt.Errorf("read result: %w", err)
	}
	n, err := r.readResultLen()
	if err != nil {
		return "", fmt.Errorf("read result: %w", err)
	}
	var body strings.Builder
	if got, err := io.CopyN(&body, r.br, int64(n)); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return "", fmt.Errorf("read result body: got %d of %d bytes: %w", got, n, err)
	}
	return body.String(), nil
}

// expect consumes the bytes of token one at a time, failing with mismatch
// at the first byte that differs. It returns io.EOF if the stream ends
// before the first byte and io.ErrUnexpectedEOF if it ends inside token.
func (r *Reader) expect(token string, mismatch error) error {
	for i := range len(token) {
		c, err := r.br.ReadByte()
		switch {
		case err == io.EOF && i == 0:
			return io.EOF
		case err == io.EOF:
			return fmt.Errorf("got %q: %w", token[:i], io.ErrUnexpectedEOF)
		case err != nil:
			return err
		case c != token[i]:
			return fmt.Errorf("%w: got %q, want %q", mismatch, token[:i]+string([]byte{c}), token)
		}
	}
	return nil
}

// readResultLen reads the decimal length and newline that follow "RESULT ".
// Digits are read one at a time and capped, so garbage fails fast and a
// long digit string cannot grow a buffer.
func (r *Reader) readResultLen() (int, error) {
	var digits []byte
	for {
		c, err := r.br.ReadByte()
		switch {
		case err == io.EOF:
			return 0, fmt.Errorf("length %q: %w", digits, io.ErrUnexpectedEOF)
		case err != nil:
			return 0, err
		case c == '\n' && len(digits) > 0:
			n, err := parseLen(string(digits), r.maxPayload)
			if err != nil {
				return 0, fmt.Errorf("%w: %w", ErrBadResult, err)
			}
			return n, nil
		case c < '0' || c > '9':
			return 0, fmt.Errorf("%w: length %q is not a decimal integer", ErrBadResult, string(append(digits, c)))
		case len(digits) >= maxResultDigits:
			return 0, fmt.Errorf("%w: %w: length has more than %d digits", ErrBadResult, ErrPayloadTooLarge, maxResultDigits)
		}
		digits = append(digits, c)
	}
}

// WriteReady writes the READY token and flushes w if it has a Flush method.
func WriteReady(w io.Writer) error {
	if err := writeFlush(w, readyToken); err != nil {
		return fmt.Errorf("write ready: %w", err)
	}
	return nil
}

// WriteResult writes "RESULT <n>\n" and body in a single Write, n being
// the byte length of body, and flushes w if it has a Flush method.
// supervisord acknowledges the event only if body is exactly "OK".
func WriteResult(w io.Writer, body string) error {
	if err := writeFlush(w, resultPrefix+strconv.Itoa(len(body))+"\n"+body); err != nil {
		return fmt.Errorf("write result: %w", err)
	}
	return nil
}

// WriteOK writes "RESULT 2\nOK", acknowledging the event.
func WriteOK(w io.Writer) error { return WriteResult(w, "OK") }

// WriteFail writes "RESULT 4\nFAIL", rejecting the event: supervisord puts
// it back at the head of the pool's buffer and sends it again later.
func WriteFail(w io.Writer) error { return WriteResult(w, "FAIL") }

// flusher is implemented by buffered writers such as *bufio.Writer.
type flusher interface{ Flush() error }

// writeFlush writes s in one Write and flushes w if it buffers, because the
// peer acts on each token as soon as it arrives: a token left in a buffer
// stalls both sides.
func writeFlush(w io.Writer, s string) error {
	if _, err := io.WriteString(w, s); err != nil {
		return err
	}
	if f, ok := w.(flusher); ok {
		return f.Flush()
	}
	return nil
}
