package httpd

import (
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/lancerhq/lancer/core/internal/logcap"
)

// LogSource gives the output channel of stream "stdout" or "stderr" of
// the process named by a namespec ("name" or "group:name"), or an error
// when there is none. *supervisor.Supervisor implements it.
type LogSource interface {
	Log(name, stream string) (*logcap.Channel, error)
}

// Tailer is a log that a client can follow: its file's name ("" if none)
// and a [logcap.Follower] of its output. *logcap.Channel and *mainlog.Log
// implement it.
type Tailer interface {
	Path() string
	Follow(backlog int) *logcap.Follower
}

// tailBacklog is how much of a log a tail starts with, as in the
// reference's tail_f_producer(request, logfile, 1024).
const tailBacklog = 1024

// logtail serves /logtail/<namespec>[/stdout|/stderr]. An unknown
// process or stream, or a process without a log file, gets 404, as in
// the reference (http.py logtail_handler). The path arrives unquoted.
func (s *Server) logtail(w http.ResponseWriter, r *http.Request) {
	name, stream, ok := logtailTarget(r.URL.Path)
	if !ok || s.opts.Logs == nil {
		writeError(w, http.StatusNotFound)
		return
	}
	ch, err := s.opts.Logs.Log(name, stream)
	if err != nil {
		writeError(w, http.StatusNotFound)
		return
	}
	s.follow(w, r, ch)
}

// mainlogtail serves /mainlogtail.
func (s *Server) mainlogtail(w http.ResponseWriter, r *http.Request) {
	if s.opts.MainLog == nil {
		writeError(w, http.StatusNotFound)
		return
	}
	s.follow(w, r, s.opts.MainLog)
}

// logtailTarget splits "/logtail/<namespec>[/<stream>]"; the stream
// defaults to stdout.
func logtailTarget(path string) (name, stream string, ok bool) {
	_, rest, _ := strings.Cut(strings.TrimLeft(path, "/"), "/")
	name, stream, found := strings.Cut(rest, "/")
	if !found {
		stream = "stdout"
	}
	if name == "" || (stream != "stdout" && stream != "stderr") {
		return "", "", false
	}
	return name, stream, true
}

// follow streams the last tailBacklog bytes of t and then its output as
// it comes, until the client goes, the server shuts down or t is closed.
// A log without a file gets 404: the reference tails only files. The
// body is chunked for HTTP/1.1 and close-delimited for HTTP/1.0. Each
// write must finish within Limits.WriteTimeout, so a client that stops
// reading does not hold its goroutine forever.
func (s *Server) follow(w http.ResponseWriter, r *http.Request, t Tailer) {
	path := t.Path()
	fi, err := os.Stat(path)
	if path == "" || err != nil {
		writeError(w, http.StatusNotFound)
		return
	}
	f := t.Follow(tailBacklog)
	h := w.Header()
	h.Set("Last-Modified", fi.ModTime().UTC().Format(http.TimeFormat))
	h.Set("Content-Type", "text/plain;charset=utf-8")
	h.Set("X-Accel-Buffering", "no") // no buffering in a proxy (nginx)
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	if rc.Flush() != nil {
		return
	}
	for {
		data, _, err := f.Next(r.Context())
		if err != nil {
			return
		}
		rc.SetWriteDeadline(time.Now().Add(s.opts.Limits.WriteTimeout))
		if _, err := w.Write(data); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
	}
}
