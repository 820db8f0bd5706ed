package rpc

import (
	"context"
	"errors"
	"unicode/utf8"

	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// The supervisor.* methods that read, tail and clear process logs
// (supervisor.md §2.5, offsets §2.6).

func (h *Handler) readProcessStdoutLog(_ context.Context, a *args) (any, error) {
	return h.readProcessLog(a, "stdout")
}

func (h *Handler) readProcessStderrLog(_ context.Context, a *args) (any, error) {
	return h.readProcessLog(a, "stderr")
}

// readProcessLog checks, in the reference's order, the name (BAD_NAME),
// the file (NO_FILE, naming the file if there should be one), then the
// offsets (BAD_ARGUMENTS).
func (h *Handler) readProcessLog(a *args, stream string) (any, error) {
	name, offset, length := a.str(0), a.integer(1), a.integer(2)
	if a.err != nil {
		return nil, a.err
	}
	ch, err := h.sup.Log(name, stream)
	if err != nil {
		if errors.Is(err, logcap.ErrNoFile) {
			return nil, xmlrpc.ErrNoFile
		}
		return nil, toFault(err, name)
	}
	data, err := ch.Read(offset, length)
	if err != nil {
		return nil, toFault(err, ch.Path())
	}
	return wholeRunes(data), nil
}

func (h *Handler) tailProcessStdoutLog(_ context.Context, a *args) (any, error) {
	return h.tailProcessLog(a, "stdout")
}

func (h *Handler) tailProcessStderrLog(_ context.Context, a *args) (any, error) {
	return h.tailProcessLog(a, "stderr")
}

// tailProcessLog answers [data, offset, overflow]. Without a log there is
// nothing to tail: an empty string, offset 0 and no overflow, as in the
// reference; a file that cannot be read answers the offset asked for, as
// the reference's tailFile does.
func (h *Handler) tailProcessLog(a *args, stream string) (any, error) {
	name, offset, length := a.str(0), a.integer(1), a.integer(2)
	if a.err != nil {
		return nil, a.err
	}
	ch, err := h.sup.Log(name, stream)
	if err != nil {
		if errors.Is(err, logcap.ErrNoFile) {
			return xmlrpc.Tail{}, nil
		}
		return nil, toFault(err, name)
	}
	data, size, overflow, err := ch.Tail(offset, length)
	if err != nil {
		return xmlrpc.Tail{Offset: offset}, nil
	}
	return xmlrpc.Tail{Data: wholeRunes(data), Offset: int(size), Overflow: overflow}, nil
}

func (h *Handler) clearProcessLogs(_ context.Context, a *args) (any, error) {
	name := a.str(0)
	if a.err != nil {
		return nil, a.err
	}
	return boolResult(h.clearLogs(name), name)
}

// clearLogs removes and reopens both log files of process name. Any
// failure to do so is FAILED with the name, as in the reference.
func (h *Handler) clearLogs(name string) error {
	for _, stream := range []string{"stdout", "stderr"} {
		ch, err := h.sup.Log(name, stream)
		if errors.Is(err, logcap.ErrNoFile) {
			continue
		}
		if err != nil {
			return err
		}
		if err := ch.Clear(); err != nil {
			return xmlrpc.NewFault(xmlrpc.FaultFailed, name)
		}
	}
	return nil
}

// clearAllProcessLogs clears the logs of every process, in priority
// order, and answers their results.
func (h *Handler) clearAllProcessLogs(context.Context, *args) (any, error) {
	snap := h.sup.Snapshot()
	out := make([]xmlrpc.Result, len(snap))
	for i, st := range snap {
		out[i] = result(st.Name, st.Group, h.clearLogs(namespec(st.Group, st.Name)))
	}
	return out, nil
}

// wholeRunes is a log slice as text. Where the slice cuts a UTF-8
// character at either end, the partial character is left out: the
// reference fails such a read with HTTP 500, which leaves a client
// tailing a log of non-ASCII text stuck. Invalid bytes elsewhere are
// kept; the encoder sends them as U+FFFD.
func wholeRunes(b []byte) string {
	start := 0
	for start < len(b) && start < utf8.UTFMax-1 && !utf8.RuneStart(b[start]) {
		start++
	}
	end := len(b)
	for i := len(b) - 1; i >= start && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				end = i
			}
			break
		}
	}
	return string(b[start:end])
}
