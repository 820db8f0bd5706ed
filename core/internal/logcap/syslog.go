package logcap

import (
	"bytes"
	"log/syslog"
	"sync"
)

// Syslog is a connection to the system logger, shared by every channel
// and the main log that send to syslog, as the reference's syslog module
// is. It connects on first use and, while no syslog daemon answers, tries
// again on each later message: a missing daemon makes the messages fail
// (the callers report that once), never the daemon. Messages go out at
// LOG_INFO on facility LOG_USER, tagged "supervisord", which is what
// Python's syslog.syslog does for the reference.
//
// Syslog is safe for concurrent use. The zero value is not usable; use
// [NewSyslog].
type Syslog struct {
	network, addr, tag string

	mu sync.Mutex
	w  *syslog.Writer
}

// NewSyslog returns a Syslog. With an empty network and addr it uses the
// local system logger (/dev/log); tests pass a unixgram socket of their
// own. Nothing is dialled yet.
func NewSyslog(network, addr, tag string) *Syslog {
	if tag == "" {
		tag = "supervisord"
	}
	return &Syslog{network: network, addr: addr, tag: tag}
}

// Info sends one message.
func (s *Syslog) Info(msg string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w == nil {
		w, err := syslog.Dial(s.network, s.addr, syslog.LOG_INFO|syslog.LOG_USER, s.tag)
		if err != nil {
			return err
		}
		s.w = w
	}
	return s.w.Info(msg)
}

// Lines sends each line of p as prefix+line, after removing p's trailing
// newlines, as the reference's SyslogHandler does for one record: no line
// buffering across calls, and an empty line in the middle is sent too. It
// stops at the first error.
func (s *Syslog) Lines(prefix string, p []byte) error {
	p = bytes.TrimRight(p, "\n")
	for line := range bytes.SplitSeq(p, []byte("\n")) {
		if err := s.Info(prefix + string(line)); err != nil {
			return err
		}
	}
	return nil
}

// Close closes the connection; the next message dials again.
func (s *Syslog) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w == nil {
		return nil
	}
	err := s.w.Close()
	s.w = nil
	return err
}
