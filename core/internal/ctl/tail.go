package ctl

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lancerhq/lancer/internal/pyrepr"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// defaultTailBytes is how much of a log tail and maintail print.
const defaultTailBytes = 1600

// tail prints the end of a process's log, or follows it with -f:
// "tail [-f|-N] name [stdout|stderr]".
func (c *Controller) tail(ctx context.Context, arg string) (bool, error) {
	if ok, err := c.upcheck(ctx); !ok {
		return false, err
	}
	args := strings.Fields(arg)
	if len(args) < 1 || len(args) > 3 {
		msg := "Error: too many arguments"
		if len(args) < 1 {
			msg = "Error: too few arguments"
		}
		c.println(msg)
		c.status = exitGeneric
		c.usage("tail")
		return false, nil
	}
	modifier := ""
	if strings.HasPrefix(args[0], "-") {
		modifier, args = args[0], args[1:]
	}
	if len(args) == 0 {
		return false, c.fail("Error: tail requires process name")
	}
	name, channel := args[0], "stdout"
	if len(args) > 1 {
		channel = strings.ToLower(args[len(args)-1])
		if channel != "stdout" && channel != "stderr" {
			return false, c.fail("Error: bad channel " + pyrepr.Str(channel))
		}
	}
	n, follow, ok := tailBytes(modifier)
	if !ok {
		return false, c.fail("Error: bad argument " + modifier)
	}
	if follow {
		return false, c.follow(ctx, "/logtail/"+name+"/"+channel)
	}
	read := c.client.ReadProcessStdoutLog
	if channel == "stderr" {
		read = c.client.ReadProcessStderrLog
	}
	out, err := read(ctx, name, -n, 0)
	return false, c.printLog(name, out, err, xmlrpc.FaultBadName)
}

// fail prints msg as a command's error and sets exit status 1.
func (c *Controller) fail(msg string) error {
	c.println(msg)
	c.status = exitGeneric
	return nil
}

// tailBytes reads tail's modifier: "" (1600 bytes), "-N" or "-f".
func tailBytes(modifier string) (n int, follow, ok bool) {
	switch modifier {
	case "":
		return defaultTailBytes, false, true
	case "-f":
		return 0, true, true
	}
	n, err := strconv.Atoi(strings.TrimSpace(modifier[1:]))
	return n, false, err == nil
}

// printLog prints what a log read returned, or its error: name is the
// process (or supervisord), badName the fault of an unknown one.
func (c *Controller) printLog(name, out string, err error, badName int) error {
	if err == nil {
		c.println(out)
		return nil
	}
	code, isFault := faultCode(err)
	c.status = exitGeneric
	switch {
	case isFault && code == xmlrpc.FaultNoFile:
		c.printf("%s: ERROR (no log file)", name)
	case isFault && code == xmlrpc.FaultFailed:
		c.printf("%s: ERROR (unknown error reading log)", name)
	case isFault && code == badName:
		c.printf("%s: ERROR (no such process name)", name)
	default:
		return err
	}
	return nil
}

// maintail prints the end of supervisord's log, or follows it with -f.
func (c *Controller) maintail(ctx context.Context, arg string) (bool, error) {
	if ok, err := c.upcheck(ctx); !ok {
		return false, err
	}
	args := strings.Fields(arg)
	n := defaultTailBytes
	switch {
	case len(args) > 1:
		c.println("Error: too many arguments")
		c.status = exitGeneric
		c.usage("maintail")
		return false, nil
	case len(args) == 1 && args[0] == "-f":
		return false, c.follow(ctx, "/mainlogtail")
	case len(args) == 1:
		var follow, ok bool
		if n, follow, ok = tailBytes(args[0]); !ok || follow || !strings.HasPrefix(args[0], "-") {
			return false, c.fail("Error: bad argument " + args[0])
		}
	}
	out, err := c.client.ReadLog(ctx, -n, 0)
	return false, c.printLog("supervisord", out, err, -1)
}

// follow streams path (/logtail/... or /mainlogtail) to the output until
// the server ends it or Ctrl-C.
func (c *Controller) follow(ctx context.Context, path string) error {
	c.println("==> Press Ctrl-C to exit <==")
	c.stream(ctx, path, c.out)
	if ctx.Err() != nil {
		c.println("")
	}
	return nil
}

// stream copies the HTTP response for path to w. Like the reference's
// HTTP client it reports problems on stderr, with the URL, and returns.
func (c *Controller) stream(ctx context.Context, path string, w io.Writer) {
	hc, base := streamClient(c.opts.ServerURL)
	defer hc.CloseIdleConnections()
	where := c.opts.ServerURL + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		fmt.Fprintf(c.errOut, "%s Cannot connect, error: %s\n", where, strings.Replace(describe(err), ", ", " (", 1)+")")
		return
	}
	if c.opts.Password != "" {
		req.SetBasicAuth(c.opts.Username, c.opts.Password)
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			fmt.Fprintf(c.errOut, "%s Cannot connect, error: %s\n", where, strings.Replace(describe(err), ", ", " (", 1)+")")
		}
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(c.errOut, "%s Cannot read, status code %d\n", where, resp.StatusCode)
		return
	}
	_, _ = io.Copy(w, resp.Body)
}

// streamClient returns an HTTP client for the server at serverURL and the
// base URL to add a path to: http://localhost over the socket for
// unix:///path, else the scheme and host of the URL.
func streamClient(serverURL string) (*http.Client, string) {
	t := &http.Transport{DisableCompression: true}
	if sock, ok := strings.CutPrefix(serverURL, "unix://"); ok {
		var d net.Dialer
		t.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			return d.DialContext(ctx, "unix", sock)
		}
		return &http.Client{Transport: t}, "http://localhost"
	}
	base := serverURL
	if u, err := url.Parse(serverURL); err == nil {
		base = u.Scheme + "://" + u.Host
	}
	return &http.Client{Transport: t}, base
}

// rpcURL is the XML-RPC URL for serverURL: the reference posts to /RPC2
// whatever path an http:// URL has.
func rpcURL(serverURL string) string {
	if strings.HasPrefix(serverURL, "unix://") {
		return serverURL
	}
	_, base := streamClient(serverURL)
	return base + "/RPC2"
}
