package httpd

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/lancerhq/lancer/core/internal/config"
)

const notFoundPage = "<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n" +
	"<p>Error code 404.\r\n<p>Message: Not Found.\r\n</body>\r\n"

// TestErrorPages checks the reference's error pages byte for byte
// (captured from supervisord 4.2.5: Content-Type text/html, CRLF lines).
func TestErrorPages(t *testing.T) {
	t.Parallel()
	s := start(t, New(Options{Unix: []config.UnixHTTPServer{unixServer(t, "", "")}}))
	for _, tt := range []struct{ method, path, body string }{
		{"GET", "/nope", notFoundPage},
		{"GET", "/", notFoundPage},
		{"GET", "/RPC2", strings.NewReplacer("404", "400", "Not Found", "Bad Request").Replace(notFoundPage)},
		{"POST", "/RPC2", notFoundPage}, // no RPC handler
		{"GET", "/metrics", notFoundPage},
		{"POST", "/ok.html", strings.NewReplacer("404", "400", "Not Found", "Bad Request").Replace(notFoundPage)},
	} {
		resp, body := do(t, s.Addrs()[0], tt.method, tt.path, "", "")
		if body != tt.body || resp.Header.Get("Content-Type") != "text/html" || resp.ContentLength != int64(len(tt.body)) {
			t.Errorf("%s %s = %d %q length %d %q; want text/html %q", tt.method, tt.path, resp.StatusCode,
				resp.Header.Get("Content-Type"), resp.ContentLength, body, tt.body)
		}
	}
}

func TestOK(t *testing.T) {
	t.Parallel()
	s := start(t, New(Options{Inet: []config.InetHTTPServer{inetServer("", "")}}))
	resp, body := do(t, s.Addrs()[0], "GET", "/ok.html", "", "")
	if resp.StatusCode != 200 || body != "OK" || resp.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("GET /ok.html = %d %q %q; want 200 text/plain OK", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if resp, body := do(t, s.Addrs()[0], "HEAD", "/ok.html", "", ""); resp.StatusCode != 200 || body != "" {
		t.Errorf("HEAD /ok.html = %d %q; want 200 and no body", resp.StatusCode, body)
	}
}

// TestRPCRoute checks that every path starting with /RPC2 reaches the
// RPC handler, with the request's body.
func TestRPCRoute(t *testing.T) {
	t.Parallel()
	rpc := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		io.WriteString(w, r.URL.Path+" "+string(body))
	})
	s := start(t, New(Options{Unix: []config.UnixHTTPServer{unixServer(t, "", "")}, RPC: rpc}))
	for _, path := range []string{"/RPC2", "/RPC2/", "/RPC2x"} {
		req, _ := http.NewRequestWithContext(t.Context(), "POST", "http://lancer"+path, strings.NewReader("<call/>"))
		resp, err := client(s.Addrs()[0]).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := path + " <call/>"; string(body) != want {
			t.Errorf("POST %s = %q; want %q", path, body, want)
		}
	}
}

// TestBodyLimit checks that a handler reading a body over the limit gets
// an *http.MaxBytesError.
func TestBodyLimit(t *testing.T) {
	t.Parallel()
	got := make(chan error, 1)
	rpc := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		got <- err
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
	})
	s := start(t, New(Options{Unix: []config.UnixHTTPServer{unixServer(t, "", "")}, RPC: rpc,
		Limits: Limits{MaxBodyBytes: 1000}}))
	req, _ := http.NewRequestWithContext(t.Context(), "POST", "http://lancer/RPC2", strings.NewReader(strings.Repeat("x", 5000)))
	resp, err := client(s.Addrs()[0]).Do(req)
	if err == nil {
		resp.Body.Close()
	}
	var mbe *http.MaxBytesError
	if err := <-got; !errors.As(err, &mbe) || mbe.Limit != 1000 {
		t.Errorf("reading a 5000-byte body with a 1000-byte limit: %v; want an *http.MaxBytesError", err)
	}
}
