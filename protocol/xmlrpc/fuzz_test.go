package xmlrpc

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeXMLRPC feeds arbitrary bodies to DecodeResponse and
// DecodeRequest. Neither may panic or exceed its limits, and whatever
// decodes must survive encoding and decoding again unchanged.
func FuzzDecodeXMLRPC(f *testing.F) {
	for _, pattern := range []string{"testdata/golden/*.xml", "testdata/supervisord/*.xml"} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte("<methodResponse><params><param><value>\x1b<![CDATA[]]>&#13;</value></param></params></methodResponse>"))
	f.Add([]byte("<methodResponse><params><param><value><array><value><ex:nil/></value></array></value></param></params></methodResponse>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		lim := Limits{MaxBytes: 1 << 20, MaxDepth: 16, MaxItems: 10_000}
		v, err := DecodeResponse(bytes.NewReader(body), lim)
		var fault *Fault
		switch {
		case errors.As(err, &fault):
			checkFaultRoundTrip(t, fault)
		case err == nil:
			checkResponseRoundTrip(t, v)
		}
		method, params, err := DecodeRequest(bytes.NewReader(body), lim)
		if err == nil {
			checkRequestRoundTrip(t, method, params)
		}
	})
}

// reLimits admit re-encoded bodies, which can be longer than the input
// (<value/> becomes <value><string></string></value>).
var reLimits = Limits{MaxBytes: 1 << 30, MaxDepth: 16, MaxItems: 10_000}

func checkResponseRoundTrip(t *testing.T, v Value) {
	var b bytes.Buffer
	if err := EncodeResponse(&b, v); err != nil {
		t.Fatalf("EncodeResponse(%v): %v", v, err)
	}
	got, err := DecodeResponse(&b, reLimits)
	if err != nil || !got.Equal(v) {
		t.Fatalf("response round trip of %v = %v, %v", v, got, err)
	}
}

func checkFaultRoundTrip(t *testing.T, f *Fault) {
	var b bytes.Buffer
	if err := EncodeFault(&b, f); err != nil {
		t.Fatalf("EncodeFault(%v): %v", f, err)
	}
	_, err := DecodeResponse(&b, reLimits)
	var got *Fault
	if !errors.As(err, &got) || *got != *f {
		t.Fatalf("fault round trip of %#v = %v", f, err)
	}
}

func checkRequestRoundTrip(t *testing.T, method string, params []Value) {
	var b bytes.Buffer
	if err := EncodeRequest(&b, method, valuesToAny(params)...); err != nil {
		t.Fatalf("EncodeRequest(%q, %v): %v", method, params, err)
	}
	gotMethod, gotParams, err := DecodeRequest(&b, reLimits)
	if err != nil || gotMethod != method || !Array(gotParams...).Equal(Array(params...)) {
		t.Fatalf("request round trip of %q %v = %q %v, %v", method, params, gotMethod, gotParams, err)
	}
}
