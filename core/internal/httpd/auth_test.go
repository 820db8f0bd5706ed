package httpd

import (
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/logcap"
)

// sha1 of "thepassword", the reference's documented example.
const thepasswordSHA = "{SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d"

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// routeOpts serves every route: a fake RPC and metrics handler and real
// log channels with files.
func routeOpts(t *testing.T) Options {
	t.Helper()
	dir := t.TempDir()
	stdout := newChannel(t, logcap.Options{Path: filepath.Join(dir, "p.log")})
	mainLog := newChannel(t, logcap.Options{Path: filepath.Join(dir, "main.log")})
	write(t, stdout, "out\n")
	write(t, mainLog, "main\n")
	return Options{
		RPC:     http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "rpc") }),
		Metrics: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "metrics") }),
		Logs:    logs{"p/stdout": stdout},
		MainLog: mainLog,
	}
}

// status does one request with an Authorization header (if not "") and
// returns the response, closing its body unread: a tail never ends.
func status(t *testing.T, addr net.Addr, method, path, auth string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, "http://lancer"+path, strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := client(addr).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	resp.Body.Close()
	return resp
}

var routesByStatus = []struct {
	method, path string
	status       int
}{
	{"POST", "/RPC2", 200},
	{"GET", "/logtail/p", 200},
	{"GET", "/mainlogtail", 200},
	{"GET", "/ok.html", 200},
	{"GET", "/metrics", 200},
	{"GET", "/nope", 404},
	{"GET", "/logtail/nosuch", 404},
	{"GET", "/RPC2", 400},
}

// TestAuth runs every credential case against every route of a
// cleartext, a {SHA} and an unauthenticated server, over unix and inet.
func TestAuth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		user, pass string // the server's
		auth       string // the request's Authorization header
		ok         bool
	}{
		{"no auth configured, none sent", "", "", "", true},
		{"no auth configured, some sent", "", "", basic("u", "x"), true},
		{"cleartext ok", "u", "p", basic("u", "p"), true},
		{"cleartext bad password", "u", "p", basic("u", "x"), false},
		{"cleartext wrong user", "u", "p", basic("v", "p"), false},
		{"cleartext empty password", "u", "p", basic("u", ""), false},
		{"missing header", "u", "p", "", false},
		{"other scheme", "u", "p", "Bearer p", false},
		{"malformed basic", "u", "p", "Basic !!!", false},
		{"no colon", "u", "p", "Basic " + base64.StdEncoding.EncodeToString([]byte("up")), false},
		{"SHA ok", "u", thepasswordSHA, basic("u", "thepassword"), true},
		{"SHA upper-case digest ok", "u", "{SHA}" + strings.ToUpper(thepasswordSHA[5:]), basic("u", "thepassword"), true},
		{"SHA bad password", "u", thepasswordSHA, basic("u", "thepasswort"), false},
		{"SHA digest sent as password", "u", thepasswordSHA, basic("u", thepasswordSHA[5:]), false},
		{"SHA wrong user", "u", thepasswordSHA, basic("U", "thepassword"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := routeOpts(t)
			opts.Unix = []config.UnixHTTPServer{unixServer(t, tt.user, tt.pass)}
			opts.Inet = []config.InetHTTPServer{inetServer(tt.user, tt.pass)}
			s := start(t, New(opts))
			for _, addr := range s.Addrs() {
				for _, rt := range routesByStatus {
					resp := status(t, addr, rt.method, rt.path, tt.auth)
					checkAuth(t, addr.Network()+" "+rt.method+" "+rt.path, resp, tt.ok, rt.status)
				}
			}
		})
	}
}

func checkAuth(t *testing.T, what string, resp *http.Response, ok bool, okStatus int) {
	t.Helper()
	if ok {
		if resp.StatusCode != okStatus {
			t.Errorf("%s = %d; want %d", what, resp.StatusCode, okStatus)
		}
		return
	}
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != `Basic realm="default"` || !resp.Close {
		t.Errorf("%s = %d, WWW-Authenticate %q, close %v; want 401, Basic realm=\"default\", close",
			what, resp.StatusCode, resp.Header.Get("WWW-Authenticate"), resp.Close)
	}
}

// TestAuthPage checks the 401 answer byte for byte, headers aside.
func TestAuthPage(t *testing.T) {
	t.Parallel()
	s := start(t, New(Options{Unix: []config.UnixHTTPServer{unixServer(t, "u", "p")}}))
	resp, body := do(t, s.Addrs()[0], "GET", "/ok.html", "u", "bad")
	want := "<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n" +
		"<p>Error code 401.\r\n<p>Message: Unauthorized.\r\n</body>\r\n"
	if resp.StatusCode != 401 || body != want || resp.Header.Get("Content-Type") != "text/html" {
		t.Errorf("401 answer = %d %q %q; want 401 text/html %q", resp.StatusCode, resp.Header.Get("Content-Type"), body, want)
	}
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	c := newCredentials("user", "{SHA}82AB876D1387BFAFE46CC1C8A2EF074EAE50CB1D")
	if !c.check("user", "thepassword") || c.check("user", "thepassword ") || c.check("user ", "thepassword") {
		t.Error("check of an upper-case {SHA} password is wrong")
	}
	c = newCredentials("user", "{sha}x") // not the prefix: a cleartext password
	if !c.check("user", "{sha}x") {
		t.Error(`check("user", "{sha}x") = false; want true for a cleartext password`)
	}
}
