package xmlrpc

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// defaultPath is where supervisord serves XML-RPC, and the path
// supervisorctl and childutils always use.
const defaultPath = "/RPC2"

// endpoint is a parsed server URL: the URL requests go to, and for unix
// sockets the socket path to dial.
type endpoint struct {
	url      string // http URL of the XML-RPC handler
	socket   string // unix socket path, or ""
	userinfo *url.Userinfo
}

// parseServerURL accepts supervisord's serverurl forms (see
// SupervisorTransport in supervisor/xmlrpc.py):
//
//   - unix:///abs/path.sock: everything after "unix://" is the socket
//     path, as in Python (so unix://rel.sock is a relative path); requests
//     go to http://localhost/RPC2, Host "localhost" like Python's.
//   - http://host[:port][/path]: the port defaults to 80 and an empty or
//     "/" path to /RPC2. https:// is accepted too (Python refuses it);
//     user:password@ in the URL supplies credentials.
func parseServerURL(raw string) (endpoint, error) {
	if path, ok := strings.CutPrefix(raw, "unix://"); ok {
		if path == "" {
			return endpoint{}, fmt.Errorf("server url %q: missing socket path", raw)
		}
		return endpoint{url: "http://localhost" + defaultPath, socket: path}, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return endpoint{}, fmt.Errorf("server url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return endpoint{}, fmt.Errorf("server url %q: unknown protocol (want http://, https:// or unix://)", raw)
	}
	if u.Host == "" {
		return endpoint{}, fmt.Errorf("server url %q: missing host", raw)
	}
	ep := endpoint{userinfo: u.User}
	u.User = nil
	if u.Path == "" || u.Path == "/" {
		u.Path = defaultPath
	}
	u.Fragment = ""
	ep.url = u.String()
	return ep, nil
}

// newTransport returns the HTTP transport for ep: keep-alive connections
// (supervisord's medusa server keeps HTTP/1.1 connections open, and
// listeners call it on every event), no proxy from the environment (the
// daemon is local; Python's httplib uses none either), no transparent gzip,
// and for unix sockets a dialer that ignores the URL's host.
func newTransport(ep endpoint) *http.Transport {
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	t := &http.Transport{
		DialContext:         dialer.DialContext,
		MaxIdleConns:        8,
		MaxIdleConnsPerHost: 8,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
		DisableCompression:  true,
	}
	if ep.socket != "" {
		socket := ep.socket
		t.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, "unix", socket)
		}
	}
	return t
}
