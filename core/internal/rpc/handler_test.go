package rpc

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// The reference's error pages, as captured from supervisord 4.2.5.
const (
	page400 = "<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n" +
		"<p>Error code 400.\r\n<p>Message: Bad Request.\r\n</body>\r\n"
	page500 = "<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n" +
		"<p>Error code 500.\r\n<p>Message: Internal Server Error.\r\n</body>\r\n"
)

func TestHTTP(t *testing.T) {
	getPID := `<?xml version="1.0"?><methodCall><methodName>supervisor.getPID</methodName></methodCall>`
	tests := []struct {
		name, method, path, body string
		code                     int
		page                     string // for errors
		ctype                    string
	}{
		{name: "post", method: "POST", path: "/RPC2", body: getPID, code: 200, ctype: "text/xml"},
		{name: "longer path", method: "POST", path: "/RPC2/x?y=1", body: getPID, code: 200, ctype: "text/xml"},
		{name: "no params element", method: "POST", path: "/RPC2", body: getPID, code: 200, ctype: "text/xml"},
		{name: "get", method: "GET", path: "/RPC2", code: 400, page: page400, ctype: "text/html"},
		{name: "other path", method: "POST", path: "/RPC", body: getPID, code: 404, ctype: "text/html"},
		{name: "malformed", method: "POST", path: "/RPC2", body: "<bad", code: 400, page: page400, ctype: "text/html"},
		{name: "no method name", method: "POST", path: "/RPC2", body: "<methodCall><params/></methodCall>", code: 400, page: page400},
		{name: "empty method name", method: "POST", path: "/RPC2", body: "<methodCall><methodName></methodName></methodCall>", code: 400},
		{name: "too large", method: "POST", path: "/RPC2", code: 413,
			body: "<methodCall><methodName>x.y</methodName><params><param><value>" + strings.Repeat("a", 2048) + "</value></param></params></methodCall>"},
		{name: "too deep", method: "POST", path: "/RPC2", code: 413,
			body: "<methodCall><methodName>x.y</methodName><params><param><value>" +
				strings.Repeat("<array><data><value>", 10) + "1" + strings.Repeat("</value></data></array>", 10) +
				"</value></param></params></methodCall>"},
	}
	h, _ := newHandler(t, stdFake(t), Options{Limits: xmlrpc.Limits{MaxBytes: 1024, MaxDepth: 5}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequestWithContext(t.Context(), tt.method, tt.path, strings.NewReader(tt.body))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.code {
				t.Errorf("%s %s = HTTP %d; want %d", tt.method, tt.path, rec.Code, tt.code)
			}
			if tt.page != "" && rec.Body.String() != tt.page {
				t.Errorf("body %q; want %q", rec.Body, tt.page)
			}
			if ct := rec.Header().Get("Content-Type"); tt.ctype != "" && ct != tt.ctype {
				t.Errorf("Content-Type %q; want %q", ct, tt.ctype)
			}
			if cl := rec.Header().Get("Content-Length"); cl != "" && cl != strconv.Itoa(rec.Body.Len()) {
				t.Errorf("Content-Length %s for %d bytes", cl, rec.Body.Len())
			}
		})
	}
}

// TestUnexpectedError checks that a method that fails other than with a
// fault (here, panics) gets HTTP 500 with the reference's page, and that
// the handler carries on.
func TestUnexpectedError(t *testing.T) {
	f := stdFake(t)
	f.panicky = true
	h, _ := newHandler(t, f, Options{})
	var body bytes.Buffer
	if err := xmlrpc.EncodeRequest(&body, "supervisor.getAllProcessInfo"); err != nil {
		t.Fatal(err)
	}
	rec := post(t, h, body.Bytes())
	if rec.Code != http.StatusInternalServerError || rec.Body.String() != page500 {
		t.Errorf("HTTP %d %q; want 500 with the reference's page", rec.Code, rec.Body)
	}
	mustCall(t, h, "supervisor.getPID")
}
