package rpc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/mainlog"
	"github.com/lancerhq/lancer/core/internal/supervisor"
	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// Options configure a [Handler].
type Options struct {
	// Supervisor serves the supervisor.* methods. nil leaves the
	// namespace out, as the reference does without an
	// [rpcinterface:supervisor] section: its methods are UNKNOWN_METHOD.
	Supervisor Supervisor

	// Config returns the configuration last read (at start, restart or
	// reloadConfig), whose processes getAllConfigInfo lists and whose
	// identifier getIdentification answers. nil: the configuration of
	// the running groups, from the Snapshot, and the identifier
	// "supervisor".
	Config func() *config.File

	// MainLog is read by readLog and cleared by clearLog; nil makes them
	// answer NO_FILE, as the reference does without a log file.
	MainLog MainLog

	// Publish emits the REMOTE_COMMUNICATION event of
	// sendRemoteCommEvent; it must not block. nil makes the method fail.
	Publish func(protocol.Payload)

	// Scaler serves the lancer.* methods; nil leaves them out.
	Scaler Scaler

	// PID is what getPID answers; 0 means os.Getpid().
	PID int

	// Logger receives the reference's main-log lines (request errors at
	// ERRO, every call at TRAC, "reopening log file" at INFO); nil
	// discards them.
	Logger *slog.Logger

	// Limits bound a request body; the zero value is xmlrpc's defaults.
	Limits xmlrpc.Limits

	// Location is the zone of the stop times in process descriptions;
	// nil means time.Local, as the reference uses local time.
	Location *time.Location
}

// Handler is an http.Handler serving the XML-RPC API at /RPC2 and every
// path beginning with it. Each request runs in its own goroutine (as
// net/http calls handlers), so a call that waits, such as startProcess
// with wait, delays only its own client; it ends when the request's
// context does. A Handler is safe for concurrent use.
type Handler struct {
	sup     Supervisor
	config  func() *config.File
	mainLog MainLog
	publish func(protocol.Payload)
	scaler  Scaler
	pid     int
	log     *slog.Logger
	limits  xmlrpc.Limits
	loc     *time.Location
	methods map[string]method // by full name, "supervisor.getState"
	names   []string          // the keys of methods, sorted
	// bufs keeps response buffers between requests, so that a 700 KB
	// getAllProcessInfo answer is not grown from nothing on every call.
	bufs sync.Pool
}

// New returns a Handler for opts.
func New(opts Options) *Handler {
	h := &Handler{
		sup: opts.Supervisor, config: opts.Config, mainLog: opts.MainLog, publish: opts.Publish,
		scaler: opts.Scaler, pid: opts.PID, log: opts.Logger, limits: opts.Limits, loc: opts.Location,
	}
	if h.pid == 0 {
		h.pid = os.Getpid()
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.loc == nil {
		h.loc = time.Local
	}
	h.methods, h.names = h.table()
	return h
}

// ServeHTTP answers one XML-RPC request. Only POST is allowed (400
// otherwise); a body that is not an XML-RPC call gets 400, one beyond
// the limits 413; faults are 200 with a fault response; an unexpected
// error is 500. Error pages are the reference's.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/RPC2") {
		httpError(w, http.StatusNotFound)
		return
	}
	if r.Method != http.MethodPost {
		httpError(w, http.StatusBadRequest)
		return
	}
	name, params, err := xmlrpc.DecodeRequest(r.Body, h.limits)
	if err != nil {
		h.log.Error(fmt.Sprintf("XML-RPC request data is invalid: %v", err))
		code := http.StatusBadRequest
		if errors.Is(err, xmlrpc.ErrLimit) {
			code = http.StatusRequestEntityTooLarge
		}
		httpError(w, code)
		return
	}
	bp := h.getBuf()
	defer h.putBuf(bp)
	body, err := h.respond(r.Context(), name, params, (*bp)[:0])
	*bp = body
	if err != nil {
		h.log.Log(r.Context(), mainlog.LevelCritical, fmt.Sprintf("Handling XML-RPC request %s raised an unexpected error: %v", name, err))
		httpError(w, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// respond calls the method and appends its encoded result or fault to
// dst. The error is for what the reference answers with HTTP 500: a
// method that failed other than with a fault, a panic, a result that
// cannot be encoded.
func (h *Handler) respond(ctx context.Context, name string, params []xmlrpc.Value, dst []byte) (body []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	h.trace(ctx, "XML-RPC method called: %s()", name)
	v, err := h.call(ctx, name, params)
	var f *xmlrpc.Fault
	switch {
	case errors.As(err, &f):
		h.trace(ctx, "XML-RPC method %s() returned fault: [%d] %s", name, f.Code, f.String)
		return xmlrpc.AppendFault(dst, f)
	case err != nil:
		return dst, err
	default:
		h.trace(ctx, "XML-RPC method %s() returned successfully", name)
		return xmlrpc.AppendResponse(dst, v)
	}
}

// maxPooledBuf bounds the response buffers kept for reuse; a larger one
// is left to the collector rather than held forever.
const maxPooledBuf = 8 << 20

func (h *Handler) getBuf() *[]byte {
	if bp, ok := h.bufs.Get().(*[]byte); ok {
		return bp
	}
	b := make([]byte, 0, 4096)
	return &b
}

func (h *Handler) putBuf(bp *[]byte) {
	if cap(*bp) <= maxPooledBuf {
		*bp = (*bp)[:0]
		h.bufs.Put(bp)
	}
}

// trace logs one of the reference's TRAC lines about a call.
func (h *Handler) trace(ctx context.Context, format string, a ...any) {
	if h.log.Enabled(ctx, mainlog.LevelTrace) {
		h.log.Log(ctx, mainlog.LevelTrace, fmt.Sprintf(format, a...))
	}
}

// call runs one method call with the reference's order of checks: the
// name (UNKNOWN_METHOD), the number of arguments (INCORRECT_PARAMETERS),
// the shutdown gate (SHUTDOWN_STATE), then the method, which checks the
// types of its arguments as it reads them. Its error is a *xmlrpc.Fault,
// or anything else for an unexpected failure.
func (h *Handler) call(ctx context.Context, name string, params []xmlrpc.Value) (any, error) {
	m, ok := h.lookup(name)
	if !ok {
		return nil, xmlrpc.ErrUnknownMethod
	}
	if n := len(params); n < len(m.sig)-1-m.opt || n > len(m.sig)-1 {
		return nil, xmlrpc.ErrIncorrectParameters
	}
	if m.gate && h.sup != nil && h.sup.Mood() < supervisor.Running { // RESTARTING or SHUTDOWN
		return nil, xmlrpc.ErrShutdownState
	}
	return m.call(h, ctx, &args{vs: params})
}

// lookup finds a method as the reference's traverse does: exactly two
// dotted parts, and never a name starting with an underscore.
func (h *Handler) lookup(name string) (method, bool) {
	ns, fn, ok := strings.Cut(name, ".")
	if !ok || ns == "" || strings.Contains(fn, ".") || strings.HasPrefix(fn, "_") {
		return method{}, false
	}
	m, ok := h.methods[name]
	return m, ok
}

// httpError writes the reference's (medusa's) error page for code.
func httpError(w http.ResponseWriter, code int) {
	body := fmt.Sprintf("<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n"+
		"<h1>Error response</h1>\r\n<p>Error code %d.\r\n<p>Message: %s.\r\n</body>\r\n",
		code, http.StatusText(code))
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}
