package alert

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// DefaultSendmail is superlance's default mailer command.
const DefaultSendmail = "/usr/sbin/sendmail -t -i"

// Sendmail pipes a message to a sendmail-compatible command, as
// superlance's memmon, httpok and crashmail do. The command is split
// into words and run directly, without a shell.
type Sendmail struct {
	Argv []string
}

// NewSendmail splits command as a POSIX shell would split a simple
// command line (quotes and backslashes, no expansions).
func NewSendmail(command string) (*Sendmail, error) {
	argv, err := SplitCommand(command)
	if err != nil {
		return nil, fmt.Errorf("sendmail command %q: %w", command, err)
	}
	if len(argv) == 0 {
		return nil, fmt.Errorf("sendmail command %q: empty", command)
	}
	return &Sendmail{Argv: argv}, nil
}

// SendmailText is the text superlance writes to the sendmail pipe:
// To and Subject headers, a blank line, the body.
func SendmailText(m Message) string {
	return fmt.Sprintf("To: %s\nSubject: %s\n\n%s", strings.Join(m.To, ", "), m.Subject, m.Body)
}

// Send runs the command with the message on its stdin. Unlike
// superlance, a command that cannot run or exits non-zero is an error
// the caller sees, never a crash.
func (s *Sendmail) Send(ctx context.Context, m Message) error {
	cmd := exec.CommandContext(ctx, s.Argv[0], s.Argv[1:]...)
	cmd.Stdin = strings.NewReader(SendmailText(m))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		// The command cannot run at all (missing, not executable):
		// trying again cannot help.
		return Permanent(fmt.Errorf("%s: %w", s.Argv[0], err))
	}
	if err := cmd.Wait(); err != nil {
		if msg := strings.TrimSpace(out.String()); msg != "" {
			return fmt.Errorf("%s: %w: %s", s.Argv[0], err, msg)
		}
		return fmt.Errorf("%s: %w", s.Argv[0], err)
	}
	return nil
}

// ErrUnterminatedQuote is returned by SplitCommand for a quote that is
// never closed.
var ErrUnterminatedQuote = errors.New("unterminated quote")

// SplitCommand splits s into words the way a POSIX shell splits a simple
// command: blanks separate words, single quotes keep everything, double
// quotes keep everything but a backslash before ", \, $ or `, and a
// backslash outside quotes escapes the next character.
func SplitCommand(s string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		inW   bool
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inW {
				words, inW = append(words, cur.String()), false
				cur.Reset()
			}
		case c == '\\':
			inW = true
			if i+1 < len(s) {
				i++
				cur.WriteByte(s[i])
			}
		case c == '\'':
			inW = true
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, ErrUnterminatedQuote
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			inW = true
			n, err := doubleQuoted(s[i+1:], &cur)
			if err != nil {
				return nil, err
			}
			i += n
		default:
			inW = true
			cur.WriteByte(c)
		}
	}
	if inW {
		words = append(words, cur.String())
	}
	return words, nil
}

// doubleQuoted copies the inside of a double-quoted string from s (just
// after the opening quote) to b and returns how many bytes it consumed,
// the closing quote included.
func doubleQuoted(s string, b *strings.Builder) (int, error) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return i + 1, nil
		case c == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0:
			i++
			b.WriteByte(s[i])
		default:
			b.WriteByte(c)
		}
	}
	return 0, ErrUnterminatedQuote
}
