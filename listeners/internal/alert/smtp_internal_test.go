package alert

import "testing"

func TestSplitHostPort(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in       string
		mode     TLSMode
		host     string
		port     int
		mustFail bool
	}{
		{in: "localhost", host: "localhost", port: 25},
		{in: "localhost", mode: TLSStartTLS, host: "localhost", port: 25},
		{in: "localhost", mode: TLSImplicit, host: "localhost", port: 465},
		{in: "mail.example.org:587", mode: TLSStartTLS, host: "mail.example.org", port: 587},
		{in: "10.0.0.1:2525", host: "10.0.0.1", port: 2525},
		{in: "[::1]:25", host: "::1", port: 25},
		{in: "::1", mode: TLSImplicit, host: "::1", port: 465},
		{in: "[::1]", host: "::1", port: 25},
		{in: "", mustFail: true},
		{in: ":25", mustFail: true},
		{in: "mail:", mustFail: true},
		{in: "mail:smtp", mustFail: true},
		{in: "a:b:c", mustFail: true},
	} {
		host, port, err := splitHostPort(tc.in, tc.mode)
		if tc.mustFail {
			if err == nil {
				t.Errorf("splitHostPort(%q) = %q, %d; want an error", tc.in, host, port)
			}
			continue
		}
		if err != nil || host != tc.host || port != tc.port {
			t.Errorf("splitHostPort(%q, %v) = %q, %d, %v; want %q, %d", tc.in, tc.mode, host, port, err, tc.host, tc.port)
		}
	}
}
