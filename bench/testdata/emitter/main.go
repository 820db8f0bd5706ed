// Emitter writes PROCESS_COMMUNICATION messages to its stdout as fast as
// it can, N at a time, each time a writer opens and closes the fifo at
// FIFO; it is the program of BenchmarkEventThroughput. It never exits of
// its own accord. Usage: emitter FIFO N.
//
// Each message is "<!--XSUPERVISOR:BEGIN-->msg I<!--XSUPERVISOR:END-->",
// I counting from 1 across rounds, with nothing between them, written
// through a 64 KiB buffer. A newline follows each round's last message:
// the reference holds back its capture buffer while it is no longer than
// the tag it looks for, which a round ending on the bare end tag would
// be. The emitter keeps running between rounds, and after the last,
// because the reference loses the last chunk of a capture when the
// program exits.
//
// It first shrinks its stdout pipe to pipeSize, so that no read by the
// daemon returns more than about 300 messages. The reference's
// record_output recurses twice per message found in one read, and a read
// of more than about 490 messages exceeds Python's recursion limit of
// 1000: the reference then logs "uncaptured python exception, closing
// channel" and never reads the program's stdout again, losing every
// message after that read. Both daemons read the same small pipe.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"
)

const (
	beginTag = "<!--XSUPERVISOR:BEGIN-->"
	endTag   = "<!--XSUPERVISOR:END-->"
	pipeSize = 16 << 10
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	n, err := strconv.Atoi(args[len(args)-1])
	if len(args) != 2 || err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "usage: emitter FIFO N")
		return 2
	}
	if _, _, errno := syscall.Syscall(syscall.SYS_FCNTL, 1, syscall.F_SETPIPE_SZ, pipeSize); errno != 0 {
		fmt.Fprintln(os.Stderr, "emitter: set stdout pipe size:", errno)
		return 1
	}
	w := bufio.NewWriterSize(os.Stdout, 64<<10)
	for next := 1; ; next += n {
		if err := await(args[0]); err != nil {
			fmt.Fprintln(os.Stderr, "emitter:", err)
			return 1
		}
		if err := emit(w, next, n); err != nil {
			fmt.Fprintln(os.Stderr, "emitter:", err)
			return 1
		}
	}
}

// await blocks until a writer has opened the fifo at path and closed it.
func await(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

// emit writes messages first to first+n-1, a newline, and flushes.
func emit(w *bufio.Writer, first, n int) error {
	buf := make([]byte, 0, 64)
	for i := first; i < first+n; i++ {
		buf = append(buf[:0], beginTag+"msg "...)
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, endTag...)
		_, _ = w.Write(buf)
	}
	_ = w.WriteByte('\n')
	return w.Flush()
}
