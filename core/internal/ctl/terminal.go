package ctl

import (
	"context"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

var termIsTerminal = term.IsTerminal

// termReader edits lines on a terminal with golang.org/x/term: cursor
// keys, history (kept in Options.HistoryFile) and Tab completion of
// commands and process names. The terminal is in raw mode only while a
// line is being read, so that Ctrl-C during a command is SIGINT.
type termReader struct {
	fd   int
	t    *term.Terminal
	hist *history
}

// newTermReader returns a terminal line reader, or nil when stdin or
// stdout is not a terminal.
func newTermReader(c *Controller) *termReader {
	in, ok1 := c.opts.Stdin.(*os.File)
	out, ok2 := c.opts.Stdout.(*os.File)
	if !ok1 || !ok2 || !isTerminal(in) || !isTerminal(out) {
		return nil
	}
	r := &termReader{fd: int(in.Fd()), hist: loadHistory(c.opts.HistoryFile)}
	r.t = term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{in, out}, "")
	r.t.History = r.hist
	r.t.AutoCompleteCallback = func(line string, pos int, key rune) (string, int, bool) {
		if key != '\t' {
			return "", 0, false
		}
		return c.completeLine(line, pos, r.t)
	}
	return r
}

func (r *termReader) raw() func() {
	old, err := term.MakeRaw(r.fd)
	if err != nil {
		return func() {}
	}
	if w, h, err := term.GetSize(r.fd); err == nil {
		_ = r.t.SetSize(w, h)
	}
	return func() { _ = term.Restore(r.fd, old) }
}

// readLine reads a line; Ctrl-C and Ctrl-D both end input (io.EOF), as
// the reference's shell exits on either.
func (r *termReader) readLine(_ context.Context, prompt string) (string, error) {
	defer r.raw()()
	r.t.SetPrompt(prompt)
	line, err := r.t.ReadLine()
	if err == term.ErrPasteIndicator {
		err = nil
	}
	return line, err
}

func (r *termReader) readPassword(prompt string) (string, error) {
	defer r.raw()()
	return r.t.ReadPassword(prompt)
}

// output writes through the terminal, which redraws a line being edited.
func (r *termReader) output() io.Writer { return r.t }

func (r *termReader) close() error { return r.hist.save() }

// history is the shell's history, read from and written back to a file
// of one line per entry, GNU readline's format.
type history struct {
	path    string
	entries []string // oldest first
}

const maxHistory = 1000

func loadHistory(path string) *history {
	h := &history{path: path}
	if path == "" {
		return h
	}
	if b, err := os.ReadFile(path); err == nil {
		for line := range strings.SplitSeq(strings.TrimSuffix(string(b), "\n"), "\n") {
			if line != "" {
				h.Add(line)
			}
		}
	}
	return h
}

// Add records a line; empty lines are not kept.
func (h *history) Add(entry string) {
	if strings.TrimSpace(entry) == "" {
		return
	}
	h.entries = append(h.entries, entry)
	if len(h.entries) > maxHistory {
		h.entries = h.entries[len(h.entries)-maxHistory:]
	}
}

func (h *history) Len() int { return len(h.entries) }

// At returns the entry idx back from the newest (0).
func (h *history) At(idx int) string { return h.entries[len(h.entries)-1-idx] }

func (h *history) save() error {
	if h.path == "" {
		return nil
	}
	var b strings.Builder
	for _, e := range h.entries {
		b.WriteString(e + "\n")
	}
	return os.WriteFile(h.path, []byte(b.String()), 0o600)
}
