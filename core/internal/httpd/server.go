package httpd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/mainlog"
	"github.com/lancerhq/lancer/internal/pyrepr"
)

// Options configures a [Server]. Only the server sections are needed to
// listen; a nil handler or log source makes its routes answer 404.
type Options struct {
	// Unix and Inet are the server sections, as config.File holds them.
	Unix []config.UnixHTTPServer
	Inet []config.InetHTTPServer

	// RPC serves /RPC2 (POST only; the router answers other methods 400).
	RPC http.Handler
	// Metrics serves /metrics.
	Metrics http.Handler
	// Logs gives the process logs that /logtail follows.
	Logs LogSource
	// MainLog is the main log that /mainlogtail follows. Leave it nil
	// (not a typed nil pointer) when there is none.
	MainLog Tailer

	// RPCInterfaces are the names of the [rpcinterface:x] sections served,
	// for the lines of [Server.Announce].
	RPCInterfaces []string

	// Logger receives the reference's main-log lines and our own; nil
	// discards them.
	Logger *slog.Logger
	// Stderr receives "Unlinking stale socket <file>"; nil means os.Stderr.
	Stderr io.Writer

	// Limits bounds what a client may cost; zero fields take defaults.
	Limits Limits
}

// Limits bound what one client can cost the daemon. Zero fields take the
// defaults given.
type Limits struct {
	ReadHeaderTimeout time.Duration // to read a request's headers; 10s
	ReadTimeout       time.Duration // to read a whole request, body included; 60s
	IdleTimeout       time.Duration // a kept-alive connection between requests; 2m
	WriteTimeout      time.Duration // to write one chunk of a log tail; 30s
	ShutdownTimeout   time.Duration // Run's grace for requests in flight at shutdown; 5s
	MaxHeaderBytes    int           // request line and headers; 64 KiB
	MaxBodyBytes      int64         // a request body; 10 MiB
}

func (l Limits) withDefaults() Limits {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&l.ReadHeaderTimeout, 10*time.Second)
	def(&l.ReadTimeout, time.Minute)
	def(&l.IdleTimeout, 2*time.Minute)
	def(&l.WriteTimeout, 30*time.Second)
	def(&l.ShutdownTimeout, 5*time.Second)
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = 64 << 10
	}
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = 10 << 20
	}
	return l
}

// Server is the set of HTTP servers of one daemon. Build it with [New],
// open it with [Server.Listen] and serve with [Server.Run]. Its methods
// are safe for concurrent use, except that Listen must return before Run
// or Shutdown is called.
type Server struct {
	opts   Options
	log    *slog.Logger
	stderr io.Writer
	base   context.Context // every request's context; cancelled at Shutdown
	cancel context.CancelFunc
	chown  func(name string, uid, gid int) error // os.Chown; a test seam

	servers  []*listener
	shutOnce sync.Once
	shutErr  error
}

// listener is one open server: its section, socket and http.Server.
type listener struct {
	section string
	ln      net.Listener
	srv     *http.Server
	sock    *socketFile // nil for inet servers
	auth    bool        // whether it checks credentials
}

// New returns a Server for opts. Nothing is opened until Listen.
func New(opts Options) *Server {
	opts.Limits = opts.Limits.withDefaults()
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	stderr := opts.Stderr
	if stderr == nil {
		stderr = os.Stderr
	}
	base, cancel := context.WithCancel(context.Background())
	return &Server{
		opts: opts, log: log.With("component", "httpd"), stderr: stderr,
		base: base, cancel: cancel, chown: os.Chown,
	}
}

// Listen opens every server, inet ones first and then unix ones, each in
// config order, as the reference does. On the first failure it closes
// what it had opened and returns a [*ListenError], whose text is the
// reference's. It logs nothing; see [Server.Announce].
func (s *Server) Listen() error {
	for _, c := range s.opts.Inet {
		ln, err := listenInet(c)
		if err != nil {
			return s.abort(&ListenError{Section: section("inet_http_server", c.Name), Address: inetAddress(c), Err: err})
		}
		s.add(section("inet_http_server", c.Name), ln, nil, c.Username, c.Password)
	}
	for _, c := range s.opts.Unix {
		ln, sock, err := s.listenUnix(c)
		if err != nil {
			return s.abort(&ListenError{Section: section("unix_http_server", c.Name), Address: c.File, Err: err})
		}
		s.add(section("unix_http_server", c.Name), ln, sock, c.Username, c.Password)
	}
	return nil
}

// abort closes whatever Listen had opened and returns err.
func (s *Server) abort(err error) error {
	s.closeAll()
	s.servers = nil
	return err
}

// add wraps an open listener in its http.Server.
func (s *Server) add(sec string, ln net.Listener, sock *socketFile, user, pass string) {
	l := s.opts.Limits
	srv := &http.Server{
		Handler:           s.handler(user, pass),
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
		BaseContext:       func(net.Listener) context.Context { return s.base },
		ErrorLog:          newErrorLog(s.log),
	}
	s.servers = append(s.servers, &listener{section: sec, ln: ln, srv: srv, sock: sock, auth: user != ""})
}

// Announce logs the reference's main-log lines of the open servers, in
// the order they were opened: for each, "RPC interface 'x' initialized"
// per RPC interface and, if it has no authentication, "Server
// 'unix_http_server' running without any HTTP authentication checking"
// at CRIT. The reference logs them where it opens its servers: after
// its "running as root" warning, before "supervisord started with pid",
// and again at every restart (SIGHUP).
func (s *Server) Announce() {
	for _, l := range s.servers {
		for _, name := range s.opts.RPCInterfaces {
			s.log.Info(fmt.Sprintf("RPC interface %s initialized", pyrepr.Str(name)))
		}
		if !l.auth {
			s.log.Log(context.Background(), mainlog.LevelCritical,
				fmt.Sprintf("Server %s running without any HTTP authentication checking", pyrepr.Str(l.section)))
		}
	}
}

// Addrs returns the address of every open server, in the order opened.
func (s *Server) Addrs() []net.Addr {
	out := make([]net.Addr, len(s.servers))
	for i, l := range s.servers {
		out[i] = l.ln.Addr()
		if l.sock != nil { // not the <file>.<pid> it was bound at
			out[i] = &net.UnixAddr{Name: l.sock.path, Net: "unix"}
		}
	}
	return out
}

// Run serves every open server until ctx ends or one of them fails, then
// shuts them all down, giving requests in flight Limits.ShutdownTimeout.
// It returns nil after a shutdown and the failure otherwise.
func (s *Server) Run(ctx context.Context) error {
	errc := make(chan error, len(s.servers))
	for _, l := range s.servers {
		go func() { errc <- l.srv.Serve(l.ln) }()
	}
	var first error
	select {
	case <-ctx.Done():
	case first = <-errc:
		if !errors.Is(first, http.ErrServerClosed) {
			first = fmt.Errorf("serve: %w", first)
		}
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.Limits.ShutdownTimeout)
	defer cancel()
	err := s.Shutdown(sctx)
	for range len(s.servers) - btoi(first != nil) {
		<-errc
	}
	if first != nil && !errors.Is(first, http.ErrServerClosed) {
		return first
	}
	return err
}

// Shutdown stops accepting connections, cancels every request's context
// (ending the log tails), waits for the requests in flight until ctx ends
// and then closes what remains, and removes the socket files. It may be
// called with or without Run, and more than once.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutOnce.Do(func() {
		s.cancel()
		var errs []error
		for _, l := range s.servers {
			if err := l.srv.Shutdown(ctx); err != nil {
				errs = append(errs, fmt.Errorf("shut down %s: %w", l.section, err))
				l.srv.Close()
			}
		}
		s.closeAll()
		s.shutErr = errors.Join(errs...)
	})
	return s.shutErr
}

// closeAll closes every listener and removes the socket files; closing a
// listener that Serve has closed already does no harm.
func (s *Server) closeAll() {
	for _, l := range s.servers {
		l.ln.Close()
		if l.sock != nil {
			if err := l.sock.remove(); err != nil {
				s.log.Warn("socket file not removed", "file", l.sock.path, "err", err)
			}
		}
	}
}

// section names a server section the way the reference quotes it.
func section(kind, name string) string {
	if name == "" {
		return kind
	}
	return kind + ":" + name
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
