package ctl

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"strings"
)

// lineReader reads the shell's command lines and the answers commands
// ask for (y/N, credentials, fg's input).
type lineReader interface {
	// readLine shows prompt and returns the line without its newline;
	// io.EOF at the end of input, context.Cause(ctx) if ctx ends first.
	readLine(ctx context.Context, prompt string) (string, error)
	readPassword(prompt string) (string, error)
	// output is where text goes while a line may be being edited.
	output() io.Writer
	close() error
}

// Shell runs the interactive shell: status first, then each line read
// until quit, exit, the end of input or Ctrl-C. On a terminal it edits
// lines with history and completion; otherwise it reads stdin line by
// line, writing the prompt before each as the reference does.
func (c *Controller) Shell(ctx context.Context) {
	c.ctx = ctx
	lr := c.reader()
	defer func() { _ = lr.close() }()
	if c.Exec(ctx, "status") {
		return
	}
	for {
		rctx, done := c.interruptible(ctx)
		line, err := lr.readLine(rctx, c.opts.Prompt+"> ")
		done()
		switch {
		case errors.Is(err, errInterrupted):
			c.println("")
			return
		case err != nil:
			line = "EOF"
		}
		if c.Exec(ctx, line) {
			return
		}
	}
}

// reader returns the line reader, made on first use: a terminal editor
// when stdin and stdout are terminals, else a plain line reader.
func (c *Controller) reader() lineReader {
	if c.lines == nil {
		if t := newTermReader(c); t != nil {
			c.lines = t
		} else {
			c.lines = newPlainReader(c.opts.Stdin, c.out, c.errOut)
		}
	}
	return c.lines
}

// plainReader reads lines from a pipe or file. A goroutine reads ahead so
// that Ctrl-C can end a wait for input.
type plainReader struct {
	in      *bufio.Reader
	out     io.Writer
	errOut  io.Writer
	lines   chan lineResult
	started bool
}

type lineResult struct {
	line string
	err  error
}

func newPlainReader(in io.Reader, out, errOut io.Writer) *plainReader {
	return &plainReader{in: bufio.NewReader(in), out: out, errOut: errOut, lines: make(chan lineResult)}
}

func (r *plainReader) loop() {
	for {
		s, err := r.in.ReadString('\n')
		if s != "" {
			r.lines <- lineResult{line: strings.TrimSuffix(s, "\n")}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				r.lines <- lineResult{err: err}
			}
			close(r.lines)
			return
		}
	}
}

func (r *plainReader) readLine(ctx context.Context, prompt string) (string, error) {
	_, _ = io.WriteString(r.out, prompt)
	if !r.started {
		r.started = true
		go r.loop()
	}
	select {
	case res, ok := <-r.lines:
		if !ok {
			return "", io.EOF
		}
		return res.line, res.err
	case <-ctx.Done():
		return "", context.Cause(ctx)
	}
}

// readPassword reads a line as readLine does; it cannot hide it.
func (r *plainReader) readPassword(prompt string) (string, error) {
	_, _ = io.WriteString(r.errOut, prompt)
	return r.readLine(context.Background(), "")
}

func (r *plainReader) output() io.Writer { return r.out }
func (r *plainReader) close() error      { return nil }

// isTerminal reports whether f is a terminal; it is a variable for tests.
var isTerminal = func(f *os.File) bool { return termIsTerminal(int(f.Fd())) }
