package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// sendmail is a sendmail-compatible command for the demo: it reads a
// message on stdin, as `sendmail -t -i` would, and appends it to an mbox
// file, so that the demo's alerts can be read without a mail server.
func sendmail(args []string, stdin io.Reader, stderr io.Writer, now time.Time) int {
	fs := flag.NewFlagSet("sendmail", flag.ContinueOnError)
	fs.SetOutput(stderr)
	mbox := fs.String("mbox", "", "mbox file the message is appended to")
	fs.Bool("t", false, "read recipients from the headers (always so)")
	fs.Bool("i", false, "a lone dot does not end the message (always so)")
	if err := fs.Parse(args); err != nil {
		return 64 // EX_USAGE, as sendmail
	}
	if *mbox == "" {
		fmt.Fprintln(stderr, "demoapp sendmail: -mbox is required")
		return 64
	}
	msg, err := io.ReadAll(io.LimitReader(stdin, 10<<20))
	if err != nil {
		fmt.Fprintf(stderr, "demoapp sendmail: reading the message: %v\n", err)
		return 74 // EX_IOERR
	}
	if err := appendMbox(*mbox, msg, now); err != nil {
		fmt.Fprintf(stderr, "demoapp sendmail: %v\n", err)
		return 73 // EX_CANTCREAT
	}
	return 0
}

// appendMbox appends msg to the mbox file at path as one write, with the
// "From " separator line and body lines starting with "From " quoted.
func appendMbox(path string, msg []byte, now time.Time) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From lancer-demo %s\n", now.UTC().Format(time.ANSIC))
	for line := range bytes.Lines(msg) {
		if bytes.HasPrefix(line, []byte("From ")) {
			b.WriteByte('>')
		}
		b.Write(line)
	}
	if !bytes.HasSuffix(msg, []byte("\n")) {
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write(b.Bytes())
	return errors.Join(werr, f.Close())
}
