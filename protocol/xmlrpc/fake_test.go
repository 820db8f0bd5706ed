package xmlrpc_test

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// handlerFunc answers one XML-RPC method: a value to encode, or a *Fault.
type handlerFunc func(r *http.Request, params []xmlrpc.Value) (any, error)

// fakeSupervisord is a minimal XML-RPC server built from the package's
// server half, standing in for supervisord in client tests and examples.
type fakeSupervisord struct {
	methods map[string]handlerFunc
	conns   atomic.Int32 // connections accepted
}

func (f *fakeSupervisord) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/RPC2" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	method, params, err := xmlrpc.DecodeRequest(r.Body, xmlrpc.Limits{})
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	res, err := f.dispatch(r, method, params)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var body bytes.Buffer
	if err := xmlrpc.EncodeResponse(&body, res); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	_, _ = w.Write(body.Bytes())
}

// dispatch runs one method; faults become the result.
func (f *fakeSupervisord) dispatch(r *http.Request, method string, params []xmlrpc.Value) (any, error) {
	if method == "system.multicall" {
		return f.multicall(r, params)
	}
	h, ok := f.methods[method]
	if !ok {
		return xmlrpc.NewFault(xmlrpc.FaultUnknownMethod, ""), nil
	}
	res, err := h(r, params)
	var fault *xmlrpc.Fault
	if errors.As(err, &fault) {
		return fault, nil
	}
	return res, err
}

// multicall answers as supervisord does: bare values and fault structs.
func (f *fakeSupervisord) multicall(r *http.Request, params []xmlrpc.Value) (any, error) {
	var calls []struct {
		Method string         `xmlrpc:"methodName"`
		Params []xmlrpc.Value `xmlrpc:"params"`
	}
	if len(params) != 1 || xmlrpc.Unmarshal(params[0], &calls) != nil {
		return xmlrpc.NewFault(xmlrpc.FaultIncorrectParameters, ""), nil
	}
	out := make([]any, len(calls))
	for i, c := range calls {
		res, err := f.dispatch(r, c.Method, c.Params)
		if err != nil {
			return nil, err
		}
		out[i] = res
	}
	return out, nil
}

func (f *fakeSupervisord) connState(_ net.Conn, st http.ConnState) {
	if st == http.StateNew {
		f.conns.Add(1)
	}
}

// startTCP serves f on loopback TCP and returns its http:// URL.
func startTCP(tb testing.TB, f *fakeSupervisord) string {
	srv := httptest.NewUnstartedServer(f)
	srv.Config.ConnState = f.connState
	srv.Start()
	tb.Cleanup(srv.Close)
	return srv.URL
}

// startUnix serves f on a unix socket in a temporary directory and returns
// its unix:// URL.
func startUnix(tb testing.TB, f *fakeSupervisord) string {
	path := filepath.Join(tb.TempDir(), "supervisor.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: f, ConnState: f.connState}
	go func() { _ = srv.Serve(ln) }()
	tb.Cleanup(func() { _ = srv.Close() })
	return "unix://" + path
}

// param returns params[i] decoded as a T, or the zero T.
func param[T any](params []xmlrpc.Value, i int) T {
	var v T
	if i < len(params) {
		_ = xmlrpc.Unmarshal(params[i], &v)
	}
	return v
}
