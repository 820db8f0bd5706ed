package xmlrpc_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// requestLog answers supervisor.getProcessInfo with the request headers it
// saw, so tests can check what the client sent.
func requestLog() *fakeSupervisord {
	return &fakeSupervisord{methods: map[string]handlerFunc{
		"supervisor.getProcessInfo": func(r *http.Request, params []xmlrpc.Value) (any, error) {
			name := param[string](params, 0)
			if name != "web" {
				return nil, xmlrpc.NewFault(xmlrpc.FaultBadName, name)
			}
			return xmlrpc.ProcessInfo{
				Name: name, Group: name, State: 20, StateName: "RUNNING", PID: 42,
				Description: r.Host + " " + r.Header.Get("Authorization") + " " + r.Header.Get("Content-Type"),
			}, nil
		},
	}}
}

func TestClientTransports(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		start     func(testing.TB, *fakeSupervisord) string
		opts      xmlrpc.Options
		wantDescr string // host, authorization, content type
	}{
		{"tcp with auth", startTCP, xmlrpc.Options{Username: "user", Password: "pass"},
			" Basic dXNlcjpwYXNz text/xml"},
		{"unix with auth", startUnix, xmlrpc.Options{Username: "user", Password: "pass"},
			"localhost Basic dXNlcjpwYXNz text/xml"},
		{"unix without auth", startUnix, xmlrpc.Options{}, "localhost  text/xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := requestLog()
			url := tt.start(t, fake)
			c, err := xmlrpc.NewClient(url, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for range 5 {
				info, err := c.GetProcessInfo(t.Context(), "web")
				if err != nil {
					t.Fatalf("GetProcessInfo: %v", err)
				}
				if info.PID != 42 || !strings.HasSuffix(info.Description, tt.wantDescr) {
					t.Errorf("GetProcessInfo = %+v; want pid 42, description ending %q", info, tt.wantDescr)
				}
				if strings.HasPrefix(url, "http") && !strings.HasPrefix(info.Description, "127.0.0.1:") {
					t.Errorf("Host = %q; want the server address", info.Description)
				}
			}
			_, err = c.GetProcessInfo(t.Context(), "nosuch")
			if !errors.Is(err, xmlrpc.ErrBadName) || err.Error() != "call supervisor.getProcessInfo: fault 10: BAD_NAME: nosuch" {
				t.Errorf("GetProcessInfo(nosuch) error = %v; want BAD_NAME fault", err)
			}
			if n := fake.conns.Load(); n != 1 {
				t.Errorf("6 sequential calls used %d connections; want 1 (keep-alive)", n)
			}
		})
	}
}

func TestClientConcurrentCalls(t *testing.T) {
	t.Parallel()
	fake := requestLog()
	c, err := xmlrpc.NewClient(startUnix(t, fake), xmlrpc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 20)
	for range cap(errs) {
		go func() {
			_, err := c.GetProcessInfo(t.Context(), "web")
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Errorf("concurrent GetProcessInfo: %v", err)
		}
	}
}

// blocking returns a server whose supervisor.startProcess never answers
// until the request is abandoned.
func blocking() *fakeSupervisord {
	return &fakeSupervisord{methods: map[string]handlerFunc{
		"supervisor.startProcess": func(r *http.Request, _ []xmlrpc.Value) (any, error) {
			<-r.Context().Done()
			return true, nil
		},
	}}
}

func TestClientContextTimeout(t *testing.T) {
	t.Parallel()
	c, err := xmlrpc.NewClient(startUnix(t, blocking()), xmlrpc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = c.StartProcess(ctx, "web", true)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("StartProcess past the deadline: error = %v; want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("StartProcess returned after %v; want about 50ms", d)
	}
}

func TestClientOptionsTimeout(t *testing.T) {
	t.Parallel()
	c, err := xmlrpc.NewClient(startTCP(t, blocking()), xmlrpc.Options{Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.StartProcess(t.Context(), "web", true); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("StartProcess with Options.Timeout: error = %v; want DeadlineExceeded", err)
	}
}

func TestClientHTTPStatus(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/RPC2", func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "user" || p != "secret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="default"`)
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	url := srv.URL

	c, _ := xmlrpc.NewClient(url, xmlrpc.Options{Username: "user", Password: "wrong"})
	_, err := c.GetPID(t.Context())
	if !errors.Is(err, xmlrpc.ErrUnauthorized) {
		t.Errorf("wrong password: error = %v; want ErrUnauthorized", err)
	}
	c, _ = xmlrpc.NewClient(url, xmlrpc.Options{Username: "user", Password: "secret"})
	_, err = c.GetPID(t.Context())
	var he *xmlrpc.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 500 || err.Error() != "call supervisor.getPID: http status 500 Internal Server Error" {
		t.Errorf("server error: error = %v; want *HTTPError 500", err)
	}
}

func TestClientLimits(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", 4096)
	fake := &fakeSupervisord{methods: map[string]handlerFunc{
		"supervisor.readLog": func(*http.Request, []xmlrpc.Value) (any, error) { return big, nil },
	}}
	c, err := xmlrpc.NewClient(startTCP(t, fake), xmlrpc.Options{Limits: xmlrpc.Limits{MaxBytes: 1024}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReadLog(t.Context(), 0, 0); !errors.Is(err, xmlrpc.ErrLimit) {
		t.Errorf("response over MaxBytes: error = %v; want ErrLimit", err)
	}
	if err := c.SendProcessStdin(t.Context(), "web", big); !errors.Is(err, xmlrpc.ErrLimit) {
		t.Errorf("request over MaxBytes: error = %v; want ErrLimit", err)
	}
	if n := fake.conns.Load(); n != 1 {
		t.Errorf("server saw %d connections; want 1 (the oversized request is never sent)", n)
	}
}

func TestClientMulticall(t *testing.T) {
	t.Parallel()
	fake := &fakeSupervisord{methods: map[string]handlerFunc{
		"supervisor.getPID": func(*http.Request, []xmlrpc.Value) (any, error) { return 8341, nil },
		"supervisor.getState": func(*http.Request, []xmlrpc.Value) (any, error) {
			return xmlrpc.State{Code: 1, Name: "RUNNING"}, nil
		},
	}}
	c, err := xmlrpc.NewClient(startTCP(t, fake), xmlrpc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := c.Multicall(t.Context(), []xmlrpc.Call{
		{Method: "supervisor.getPID"},
		{Method: "supervisor.nope", Params: []any{"x", 1}},
		{Method: "supervisor.getState"},
	})
	if err != nil || len(rs) != 3 {
		t.Fatalf("Multicall = %v, %v; want 3 results", rs, err)
	}
	var pid int
	if err := rs[0].Decode(&pid); err != nil || pid != 8341 {
		t.Errorf("result 0 = %d, %v; want 8341", pid, err)
	}
	if err := rs[1].Decode(&pid); !errors.Is(err, xmlrpc.ErrUnknownMethod) || rs[1].Err() == nil {
		t.Errorf("result 1 error = %v; want UNKNOWN_METHOD", err)
	}
	var st xmlrpc.State
	if err := rs[2].Decode(&st); err != nil || st.Name != "RUNNING" || rs[2].Err() != nil {
		t.Errorf("result 2 = %+v, %v; want RUNNING", st, err)
	}
}

func TestFromEnv(t *testing.T) {
	t.Parallel()
	url := startUnix(t, requestLog())
	env := map[string]string{
		"SUPERVISOR_SERVER_URL": url,
		"SUPERVISOR_USERNAME":   "user",
		"SUPERVISOR_PASSWORD":   "pass",
	}
	c, err := xmlrpc.FromEnv(func(k string) string { return env[k] }, xmlrpc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.GetProcessInfo(t.Context(), "web")
	if err != nil || !strings.Contains(info.Description, "Basic dXNlcjpwYXNz") {
		t.Errorf("GetProcessInfo via FromEnv = %+v, %v; want credentials from the environment", info, err)
	}
	_, err = xmlrpc.FromEnv(func(string) string { return "" }, xmlrpc.Options{})
	if err == nil || !strings.Contains(err.Error(), "SUPERVISOR_SERVER_URL is not set") {
		t.Errorf("FromEnv without URL: error = %v", err)
	}
}

func TestNewClientErrors(t *testing.T) {
	t.Parallel()
	for _, url := range []string{"ftp://host", "unix://", "http://", "localhost:9001", "://x"} {
		if _, err := xmlrpc.NewClient(url, xmlrpc.Options{}); err == nil {
			t.Errorf("NewClient(%q) succeeded; want an error", url)
		}
	}
}

func TestClientConnectionRefused(t *testing.T) {
	t.Parallel()
	c, err := xmlrpc.NewClient("unix://"+t.TempDir()+"/missing.sock", xmlrpc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPID(t.Context()); err == nil || !strings.Contains(err.Error(), "call supervisor.getPID:") {
		t.Errorf("GetPID on a missing socket: error = %v", err)
	}
}
