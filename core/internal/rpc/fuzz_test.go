package rpc

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// FuzzHandler sends arbitrary bodies to a Handler over stdFake: whatever
// the body, the answer is a well-formed XML-RPC response (200) or a 400
// or 413 error page, never a 500 (a panic or an encoding failure) and
// never larger than a bounded multiple of the body.
func FuzzHandler(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "golden", "*.request.xml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("<methodCall><methodName>system.multicall</methodName><params><param><value><array><data>" +
		"<value><struct><member><name>methodName</name><value>supervisor.stopProcess</value></member>" +
		"<member><name>params</name><value><array><data><value>web</value></data></array></value></member>" +
		"</struct></value></data></array></value></param></params></methodCall>"))
	f.Add([]byte("<methodCall><methodName>supervisor.readProcessLog</methodName><params><param><value>web</value></param>" +
		"<param><value><double>-1e300</double></value></param><param><value><i4>0</i4></value></param></params></methodCall>"))
	f.Add([]byte("<bad"))
	const maxBytes = 64 << 10
	f.Fuzz(func(t *testing.T, body []byte) {
		fake := stdFake(t)
		fake.procs[4].startsecs = 0
		h := New(Options{Supervisor: fake, Publish: func(protocol.Payload) {}, Logger: slog.New(slog.DiscardHandler),
			Limits: xmlrpc.Limits{MaxBytes: maxBytes}})
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, http.MethodPost, "/RPC2", bytes.NewReader(body)))
		switch rec.Code {
		case http.StatusOK:
			_, err := xmlrpc.DecodeResponse(rec.Body, xmlrpc.Limits{})
			if f := (*xmlrpc.Fault)(nil); err != nil && !errors.As(err, &f) {
				t.Fatalf("response does not decode: %v", err)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("HTTP %d: %s", rec.Code, rec.Body)
		}
		if rec.Body.Len() > 1<<20+64*len(body) {
			t.Fatalf("response of %d bytes for a body of %d", rec.Body.Len(), len(body))
		}
	})
}
