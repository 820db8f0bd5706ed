package main

import (
	"bytes"
	"context"
	"io"
	"os/exec"
	"slices"
	"strconv"
	"syscall"
	"time"
)

// gcoreTimeout bounds one core dump. Dumping a large process takes a
// while, but a gcore that hangs must not hang the listener for good.
const gcoreTimeout = 5 * time.Minute

// maxGcoreOutput bounds what of gcore's stdout goes into the mail.
const maxGcoreOutput = 64 << 10

// execDumper runs the gcore command (-g, split into words) as
// superlance's `<gcore> "<coredir>/<namespec>" <pid>`, but without a
// shell. Its stdout is returned for the report; its stderr goes to the
// listener's, as with superlance's os.popen.
type execDumper struct {
	argv    []string
	timeout time.Duration
	stderr  io.Writer
}

// Dump runs gcore in a process group of its own, killed whole on
// timeout: gcore is a script around gdb, and a gdb left behind would
// keep the process it attached to stopped.
func (d execDumper) Dump(ctx context.Context, path string, pid int) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	args := append(slices.Clone(d.argv[1:]), path, strconv.Itoa(pid))
	cmd := exec.CommandContext(ctx, d.argv[0], args...)
	out := &capped{max: maxGcoreOutput}
	cmd.Stdout, cmd.Stderr = out, d.stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	return out.String(), err
}

// capped keeps the first max bytes written to it and drops the rest.
type capped struct {
	bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
