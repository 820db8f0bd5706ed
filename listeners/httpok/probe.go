package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"syscall"
	"time"
)

// maxBody bounds how much of a response httpok reads and searches for
// -b; superlance reads it all.
const maxBody = 10 << 20

// outcome is the result of one check.
type outcome struct {
	status int    // 0 when there was no response
	text   string // superlance's first mail line
	body   []byte
}

// probe GETs the URL. A refused connection is tried again retry apart,
// (timeout-1)/retry+1 times in all (superlance 2.0's rule, with retry 0
// counting as 1 s), so that a server restarting under supervisord is
// given about the timeout to come back: -t 10 tries once, -t 60 six
// times. Any other error, including a timeout, ends the check.
func (c *checker) probe(ctx context.Context) outcome {
	secs := int(c.opts.Timeout / time.Second)
	attempts := (secs-1)/max(int(c.retry/time.Second), 1) + 1
	for left := attempts - 1; ; left-- {
		res, err := c.get(ctx)
		if err == nil {
			return res
		}
		if left > 0 && errors.Is(err, syscall.ECONNREFUSED) && c.sleep(ctx, c.retry) == nil {
			continue
		}
		return outcome{text: fmt.Sprintf("error contacting %s:\n\n %s", c.opts.URL, c.errText(err))}
	}
}

// get makes one request, bounded by the timeout from connect to the
// last byte of the body read.
func (c *checker) get(ctx context.Context) (outcome, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.opts.URL, nil)
	if err != nil {
		return outcome{}, err
	}
	req.Header.Set("User-Agent", "httpok")
	resp, err := c.http.Do(req)
	if err != nil {
		return outcome{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return outcome{}, fmt.Errorf("read body: %w", err)
	}
	status := resp.Status
	if status == "" {
		status = fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	return outcome{
		status: resp.StatusCode,
		text:   fmt.Sprintf("status contacting %s: %s", c.opts.URL, status),
		body:   body,
	}, nil
}

// errText is the error as the mail shows it, without the `Get "URL":`
// the URL line already says.
func (c *checker) errText(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("timed out after %s", c.opts.Timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// newHTTPClient returns the client httpok checks with: a fresh
// connection for every check, as superlance's, directly to the host
// (no proxy from the environment), redirects returned as they are (a
// 3xx is a status like any other), and https verified with SNI against
// the system's roots, or the --cafile certificates, or not at all with
// --insecure.
func newHTTPClient(o *options) (*http.Client, error) {
	tc := &tls.Config{InsecureSkipVerify: o.Insecure}
	if o.CAFile != "" {
		pool, err := loadCAFile(o.CAFile)
		if err != nil {
			return nil, err
		}
		tc.RootCAs = pool
	}
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            (&net.Dialer{Timeout: o.Timeout}).DialContext,
		TLSClientConfig:        tc,
		TLSHandshakeTimeout:    o.Timeout,
		DisableKeepAlives:      true,
		MaxResponseHeaderBytes: 1 << 20,
	}
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}, nil
}

func loadCAFile(name string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("--cafile: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--cafile %s: no PEM certificate found", name)
	}
	return pool, nil
}
