package mainlog

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"syscall"

	"github.com/lancerhq/lancer/core/internal/logcap"
)

// Options configures a [Log]. The zero value writes nowhere but the ring
// buffer.
type Options struct {
	// Path is the log file (logfile, -l); "" for none, as with
	// logfile=syslog.
	Path string
	// File sets rotation (logfile_maxbytes, logfile_backups) and the file
	// system seam.
	File logcap.FileOptions
	// Stdout, when not nil, receives a copy of every line: the reference
	// mirrors its log to stdout when nodaemon is set and silent is not.
	Stdout io.Writer
	// Syslog, when not nil, receives every line (logfile=syslog).
	Syslog *logcap.Syslog
	// Errors receives a note when writing the log itself fails, once per
	// burst of failures; main passes os.Stderr. nil discards them.
	Errors io.Writer
	// RingSize is the size of the in-memory tail followed by
	// /mainlogtail; 0 means logcap.DefaultRingSize.
	RingSize int
}

// Log is the daemon's main ("activity") log: the io.Writer behind a
// [Handler]. Each Write takes one record as the Handler formats it and
// sends it to the log file (rotated as the reference rotates it, through
// a [logcap.Channel]), to stdout and to syslog. A failing target never
// fails the caller: the failure is reported on [Options.Errors] once per
// burst, since the log cannot report its own failures.
//
// A Log is safe for concurrent use.
type Log struct {
	ch     *logcap.Channel
	path   string
	stat   func(string) (os.FileInfo, error)
	syslog *logcap.Syslog
	errs   io.Writer

	mu        sync.Mutex
	stdout    io.Writer
	stdoutBad bool
	sysBad    bool
}

// Open opens the log file, if any. The directory must exist.
func Open(opts Options) (*Log, error) {
	errs := opts.Errors
	if errs == nil {
		errs = io.Discard
	}
	// The channel reports its file's failures through a text logger on
	// errs, not through the main log it is part of.
	ch, err := logcap.NewChannel(slog.New(slog.NewTextHandler(errs, nil)), logcap.Options{
		Path: opts.Path, File: opts.File, RingSize: opts.RingSize,
	})
	if err != nil {
		return nil, fmt.Errorf("open main log: %w", err)
	}
	l := &Log{ch: ch, path: opts.Path, stat: os.Stat, syslog: opts.Syslog, errs: errs, stdout: opts.Stdout}
	if opts.File.FS != nil {
		l.stat = opts.File.FS.Stat
	}
	return l, nil
}

// Path returns the log file's name, or "" if there is none.
func (l *Log) Path() string { return l.path }

// Write writes one record to every target. It always returns len(p), nil.
func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ch.Write(p)
	if l.stdout != nil {
		_, err := l.stdout.Write(p)
		// As in the reference, a closed pipe on stdout is no error.
		if errors.Is(err, syscall.EPIPE) {
			err = nil
		}
		l.note(&l.stdoutBad, "stdout", err)
	}
	if l.syslog != nil {
		l.note(&l.sysBad, "syslog", l.toSyslog(p))
	}
	return len(p), nil
}

// toSyslog sends each line of a record with the record's time and level
// in front, as the reference's SyslogHandler formats each line.
func (l *Log) toSyslog(rec []byte) error {
	n := headLen(rec)
	return l.syslog.Lines(string(rec[:n]), rec[n:])
}

// headLen returns the length of the "2006-01-02 15:04:05,000 INFO "
// prefix that Handler writes before a record's message (just "INFO " for
// a record without a time).
func headLen(rec []byte) int {
	const stamp = len("2006-01-02 15:04:05,000 ")
	const level = len("INFO ")
	if len(rec) >= stamp+level && rec[4] == '-' && rec[stamp+level-1] == ' ' {
		return stamp + level
	}
	if len(rec) >= level && rec[level-1] == ' ' {
		return level
	}
	return 0
}

// note reports a target's failure when it starts and its recovery.
func (l *Log) note(bad *bool, target string, err error) {
	switch {
	case err != nil && !*bad:
		fmt.Fprintf(l.errs, "supervisord: main log: writing to %s failed: %v\n", target, err)
	case err == nil && *bad:
		fmt.Fprintf(l.errs, "supervisord: main log: writing to %s works again\n", target)
	}
	*bad = err != nil
}

// Reopen reopens the log file, for SIGUSR2.
func (l *Log) Reopen() error { return l.ch.Reopen() }

// Clear removes the log file and reopens it empty, for clearLog. Without
// a log file, or if it does not exist, it returns [logcap.ErrNoFile] as
// the reference answers NO_FILE.
func (l *Log) Clear() error {
	if l.path == "" {
		return logcap.ErrNoFile
	}
	if _, err := l.stat(l.path); err != nil {
		return logcap.ErrNoFile
	}
	return l.ch.Clear()
}

// Read returns a slice of the log file with readLog's semantics; see
// [logcap.RotatingFile.Read].
func (l *Log) Read(offset, length int) ([]byte, error) { return l.ch.Read(offset, length) }

// Tail returns the end of the log with tailProcessLog's semantics; see
// [logcap.Channel.Tail].
func (l *Log) Tail(offset, length int) ([]byte, int64, bool, error) {
	return l.ch.Tail(offset, length)
}

// Follow follows the log for /mainlogtail; see [logcap.Channel.Follow].
func (l *Log) Follow(backlog int) *logcap.Follower { return l.ch.Follow(backlog) }

// Close closes the log file. Stdout and the shared Syslog stay open.
func (l *Log) Close() error { return l.ch.Close() }
