package httpd

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// route is one entry of the routing table: the paths it takes, the
// methods it allows (others get 400, as in the reference) and what
// serves it. A table rather than a ServeMux because the reference takes
// any path beginning with /RPC2 and answers a wrong method with 400.
type route struct {
	match   func(path string) bool
	methods []string
	serve   http.Handler // nil: 404
}

// handler is the handler of one server: the body limit, then the
// server's authentication, if configured, then the routes.
func (s *Server) handler(user, pass string) http.Handler {
	var h http.Handler = s.router()
	if user != "" {
		h = requireAuth(h, newCredentials(user, pass))
	}
	limit := s.opts.Limits.MaxBodyBytes
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		h.ServeHTTP(w, r)
	})
}

// router dispatches by path in the reference's order.
func (s *Server) router() http.Handler {
	routes := []route{
		{match: prefix("/RPC2"), methods: []string{http.MethodPost}, serve: s.opts.RPC},
		{match: subtree("/logtail"), methods: []string{http.MethodGet}, serve: http.HandlerFunc(s.logtail)},
		{match: exact("/mainlogtail"), methods: []string{http.MethodGet}, serve: http.HandlerFunc(s.mainlogtail)},
		{match: exact("/ok.html"), methods: []string{http.MethodGet, http.MethodHead}, serve: http.HandlerFunc(ok)},
		{match: exact("/metrics"), methods: []string{http.MethodGet, http.MethodHead}, serve: s.opts.Metrics},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, rt := range routes {
			if !rt.match(r.URL.Path) {
				continue
			}
			switch {
			case !slices.Contains(rt.methods, r.Method):
				writeError(w, http.StatusBadRequest)
			case rt.serve == nil:
				writeError(w, http.StatusNotFound)
			default:
				rt.serve.ServeHTTP(w, r)
			}
			return
		}
		writeError(w, http.StatusNotFound)
	})
}

// prefix matches every path starting with p.
func prefix(p string) func(string) bool {
	return func(s string) bool { return strings.HasPrefix(s, p) }
}

// exact matches p alone.
func exact(p string) func(string) bool {
	return func(s string) bool { return s == p }
}

// subtree matches p and everything under p/.
func subtree(p string) func(string) bool {
	return func(s string) bool { return s == p || strings.HasPrefix(s, p+"/") }
}

// ok serves /ok.html, the reference's health probe: its static file
// holds "OK".
func ok(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("Content-Length", "2")
	w.Write([]byte("OK"))
}

// errorPage is medusa's DEFAULT_ERROR_MESSAGE, with its CRLFs.
const errorPage = "<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n" +
	"<h1>Error response</h1>\r\n<p>Error code %d.\r\n<p>Message: %s.\r\n</body>\r\n"

// writeError answers code with the reference's HTML error page.
func writeError(w http.ResponseWriter, code int) {
	body := fmt.Sprintf(errorPage, code, http.StatusText(code))
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	w.Write([]byte(body))
}
