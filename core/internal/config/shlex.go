package config

import (
	"errors"
	"fmt"
	"strings"
)

// SplitCommand splits a command line into argv exactly as the reference
// does before spawning (Python's shlex.split, POSIX mode): words separated
// by spaces, tabs and newlines; single quotes keep everything; double
// quotes keep everything but let a backslash escape '"' and '\' (any other
// backslash stays); outside quotes a backslash keeps the next character;
// "" and ” give an empty argument. There is no shell: no variables, globs
// or redirections. It fails on an unterminated quote or a trailing
// backslash.
func SplitCommand(command string) ([]string, error) {
	var sp splitter
	rs := []rune(command)
	for i := 0; i < len(rs); i++ {
		var err error
		if i, err = sp.step(rs, i); err != nil {
			return nil, err
		}
	}
	if sp.quote != 0 {
		return nil, fmt.Errorf("no closing quotation (%c)", sp.quote)
	}
	sp.endWord()
	return sp.args, nil
}

var errTrailingBackslash = errors.New("no escaped character after the final backslash")

// splitter is SplitCommand's state.
type splitter struct {
	args   []string
	word   strings.Builder
	inWord bool // a word has started, even an empty quoted one
	quote  rune // the open quote, or 0
}

// step consumes rs[i] (and the character a backslash escapes) and returns
// the index of the last rune it used.
func (sp *splitter) step(rs []rune, i int) (int, error) {
	r := rs[i]
	escapes := func() bool { return i+1 < len(rs) && (rs[i+1] == '"' || rs[i+1] == '\\') }
	switch {
	case sp.quote == '\'' && r == '\'', sp.quote == '"' && r == '"':
		sp.quote = 0
	case sp.quote == '"' && r == '\\' && i+1 == len(rs):
		return i, errTrailingBackslash
	case sp.quote == '"' && r == '\\' && escapes():
		sp.word.WriteRune(rs[i+1])
		return i + 1, nil
	case sp.quote != 0:
		sp.word.WriteRune(r)
	case r == ' ' || r == '\t' || r == '\r' || r == '\n':
		sp.endWord()
	case r == '\'' || r == '"':
		sp.quote, sp.inWord = r, true
	case r == '\\' && i+1 == len(rs):
		return i, errTrailingBackslash
	case r == '\\':
		sp.word.WriteRune(rs[i+1])
		sp.inWord = true
		return i + 1, nil
	default:
		sp.word.WriteRune(r)
		sp.inWord = true
	}
	return i, nil
}

func (sp *splitter) endWord() {
	if sp.inWord {
		sp.args = append(sp.args, sp.word.String())
		sp.word.Reset()
		sp.inWord = false
	}
}

// envWordChars are the characters the reference's environment lexer puts
// in a word without quotes: shlex's non-POSIX word characters plus /.+-():.
const envWordChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/.+-():"

// envTokens splits an environment value as the reference does (Python's
// shlex in non-POSIX mode): words of envWordChars, quoted strings with
// their quotes, and every other character as a token of its own. A word
// absorbs quotes that follow it ('a"b' is one token), and '#' starts a
// comment to the end of the line — inside a word the word then continues
// on the next line, as shlex does.
func envTokens(text string) ([]string, error) {
	var toks []string
	rs := []rune(text)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == ' ' || r == '\t' || r == '\r' || r == '\n':
			i++
		case r == '#':
			i = skipLine(rs, i)
		case r == '\'' || r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != r {
				j++
			}
			if j == len(rs) {
				return nil, fmt.Errorf("no closing quotation (%c)", r)
			}
			toks, i = append(toks, string(rs[i:j+1])), j+1
		case strings.ContainsRune(envWordChars, r):
			var tok string
			tok, i = envWord(rs, i)
			toks = append(toks, tok)
		default:
			toks, i = append(toks, string(r)), i+1
		}
	}
	return toks, nil
}

func envWord(rs []rune, i int) (string, int) {
	var b strings.Builder
	for i < len(rs) {
		r := rs[i]
		switch {
		case r == '#':
			i = skipLine(rs, i)
		case strings.ContainsRune(envWordChars, r) || r == '\'' || r == '"':
			b.WriteRune(r)
			i++
		default:
			return b.String(), i
		}
	}
	return b.String(), i
}

// skipLine returns the index after the end of the line containing rs[i].
func skipLine(rs []rune, i int) int {
	for i < len(rs) && rs[i] != '\n' {
		i++
	}
	return i + 1
}

// parseEnv reads an environment option: KEY=value pairs separated by
// commas, values quoted when they hold anything but envWordChars
// (`A="x, y",B=z`). The quotes around a value are dropped; keys are taken
// as they come; a repeated key keeps its first place. As in the reference,
// the token after each pair is skipped unchecked, so `A=x y` sets A to
// "x"; each such token that is not a comma is returned for a warning.
func parseEnv(text string) (env Env, dropped []string, err error) {
	toks, err := envTokens(text)
	if err != nil {
		return nil, nil, fmt.Errorf("invalid environment %q: %w", text, err)
	}
	for i := 0; i < len(toks); i += 4 {
		if i+2 >= len(toks) || toks[i+1] != "=" {
			return nil, nil, fmt.Errorf("invalid environment %q: a KEY=value pair ends early (quote values holding spaces, commas or other punctuation, and write K=\"\" for an empty value)", text)
		}
		env = env.Set(toks[i], strings.Trim(toks[i+2], `'"`))
		if i+3 < len(toks) && toks[i+3] != "," {
			dropped = append(dropped, fmt.Sprintf("%q after the value of %s is dropped (separate pairs with commas, and quote values that hold spaces or punctuation)", toks[i+3], toks[i]))
		}
	}
	return env, dropped, nil
}
