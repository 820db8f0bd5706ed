package xmlrpc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// ErrUnauthorized is returned (wrapped) when the server answers HTTP 401:
// supervisord requires credentials and none or wrong ones were sent.
var ErrUnauthorized = errors.New("unauthorized (check username and password)")

// HTTPError is a response status other than 200 OK and 401. Supervisord
// answers 400 to a request it cannot parse and 500 when a method raises an
// unexpected exception.
type HTTPError struct {
	StatusCode int
	Status     string // such as "500 Internal Server Error"
}

func (e *HTTPError) Error() string { return "http status " + e.Status }

// Options configure a [Client]. The zero Options are ready to use.
type Options struct {
	// Username and Password are sent with HTTP Basic authentication when
	// either is set.
	Username string
	Password string
	// Timeout, if positive, bounds each call on top of its context. The
	// default is none, because supervisord's waiting methods (startProcess
	// and stopProcess with wait) answer only when the process has changed
	// state, after startsecs or stopwaitsecs.
	Timeout time.Duration
	// Transport, if set, carries requests instead of the built-in
	// transport. It must then reach the server itself: for a unix:// URL
	// requests are addressed to http://localhost/RPC2.
	Transport http.RoundTripper
	// Limits bound responses and, through MaxBytes, the request body.
	Limits Limits
}

// Client calls XML-RPC methods on a supervisord server (or any XML-RPC
// server) over HTTP or a unix socket. It keeps connections alive between
// calls. A Client is safe for concurrent use.
type Client struct {
	url  string
	opts Options
	hc   *http.Client
	own  *http.Transport // built-in transport, closed by Close; nil with Options.Transport
}

// NewClient returns a client for serverURL, given in supervisord's
// serverurl forms: unix:///path/to.sock or http://host:port (path
// /RPC2 by default).
func NewClient(serverURL string, opts Options) (*Client, error) {
	ep, err := parseServerURL(serverURL)
	if err != nil {
		return nil, fmt.Errorf("new xml-rpc client: %w", err)
	}
	if ep.userinfo != nil && opts.Username == "" && opts.Password == "" {
		opts.Username = ep.userinfo.Username()
		opts.Password, _ = ep.userinfo.Password()
	}
	opts.Limits = opts.Limits.withDefaults()
	c := &Client{url: ep.url, opts: opts}
	rt := opts.Transport
	if rt == nil {
		c.own = newTransport(ep)
		rt = c.own
	}
	c.hc = &http.Client{Transport: rt, CheckRedirect: noRedirect}
	return c, nil
}

// FromEnv returns a client for the supervisord that started this process,
// like Python's supervisor.childutils.getRPCInterface: the URL comes from
// SUPERVISOR_SERVER_URL, which supervisord sets for every child, and the
// credentials from SUPERVISOR_USERNAME and SUPERVISOR_PASSWORD, which it
// does not (users add them to the program's environment=), when set.
// getenv is usually os.Getenv.
func FromEnv(getenv func(string) string, opts Options) (*Client, error) {
	serverURL := getenv("SUPERVISOR_SERVER_URL")
	if serverURL == "" {
		return nil, errors.New("SUPERVISOR_SERVER_URL is not set (not running under supervisord?)")
	}
	if u := getenv("SUPERVISOR_USERNAME"); u != "" {
		opts.Username = u
	}
	if p := getenv("SUPERVISOR_PASSWORD"); p != "" {
		opts.Password = p
	}
	return NewClient(serverURL, opts)
}

// Close closes the idle connections of the built-in transport. The client
// stays usable; Close only releases resources early.
func (c *Client) Close() error {
	if c.own != nil {
		c.own.CloseIdleConnections()
	}
	return nil
}

// Call calls method with params, each converted with [Marshal], and stores
// the result in result with [Unmarshal]; a nil result discards it. A fault
// from the server is returned wrapped, so that errors.Is(err, ErrBadName)
// and errors.As(err, &fault) work. Call honours ctx's deadline and
// cancellation.
func (c *Client) Call(ctx context.Context, method string, result any, params ...any) error {
	v, err := c.call(ctx, method, params)
	if err == nil && result != nil {
		err = Unmarshal(v, result)
	}
	if err != nil {
		return fmt.Errorf("call %s: %w", method, err)
	}
	return nil
}

func (c *Client) call(ctx context.Context, method string, params []any) (Value, error) {
	var body bytes.Buffer
	if err := EncodeRequest(&body, method, params...); err != nil {
		return Value{}, err
	}
	if n := int64(body.Len()); n > c.opts.Limits.MaxBytes {
		return Value{}, fmt.Errorf("%w: request of %d bytes, limit %d", ErrLimit, n, c.opts.Limits.MaxBytes)
	}
	if c.opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.opts.Timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body.Bytes()))
	if err != nil {
		return Value{}, err
	}
	req.Header.Set("Content-Type", "text/xml")
	req.Header.Set("Accept", "text/xml")
	req.Header.Set("User-Agent", "lancer-xmlrpc")
	if c.opts.Username != "" || c.opts.Password != "" {
		req.SetBasicAuth(c.opts.Username, c.opts.Password)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return Value{}, err
	}
	defer drain(resp.Body)
	switch resp.StatusCode {
	case http.StatusOK:
		return DecodeResponse(resp.Body, c.opts.Limits)
	case http.StatusUnauthorized:
		return Value{}, ErrUnauthorized
	}
	return Value{}, &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status}
}

// drain reads what is left of a small body before closing it, so that the
// connection can be reused; a large rest is not worth reading.
func drain(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, 64<<10)
	_ = body.Close()
}

// noRedirect stops redirects: a POST to XML-RPC is never redirected by
// supervisord, and following one would resend credentials elsewhere.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
