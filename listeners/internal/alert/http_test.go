package alert_test

import (
	"bytes"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/smtptest"
	"github.com/lancerhq/lancer/listeners/internal/alert"
)

var update = flag.Bool("update", false, "rewrite golden files")

// request is what a test HTTP server received.
type request struct {
	method, path, contentType string
	body                      []byte
}

// newServer starts an HTTP server on loopback that answers every
// request with status and reply, and hands the requests to the test.
func newServer(t *testing.T, status int, reply string) (*httptest.Server, <-chan request) {
	t.Helper()
	reqs := make(chan request, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		reqs <- request{r.Method, r.URL.Path, r.Header.Get("Content-Type"), body}
		w.WriteHeader(status)
		io.WriteString(w, reply)
	}))
	t.Cleanup(srv.Close)
	return srv, reqs
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: posted\n%s\nwant\n%s", name, got, want)
	}
}

var (
	// crashed is a crash alert as crashmail raises it; Date is not in
	// UTC, to show that the JSON is.
	crashed = alert.Message{
		From:    "supervisor@example.org",
		To:      []string{"ops@example.org"},
		Subject: " web_0 crashed at 2000-01-01 01:00:00,000",
		Body:    "Process web_0 in group web exited unexpectedly (pid 42) from state RUNNING",
		Date:    time.Date(2000, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600)),
		Labels:  map[string]string{"alertname": "ProcessCrashed", "group": "web", "process": "web:web_0"},
	}
	// sms is crashsms's: no subject, no labels.
	sms = alert.Message{
		Body: "[web:web_0](42) exited unexpectedly 2000-01-01 00:00:00,000",
		Date: time.Date(2000, 1, 1, 0, 0, 0, 123e6, time.UTC),
	}
)

func TestWebhookJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		golden string
		msg    alert.Message
	}{
		{"webhook-crash.golden", crashed},
		{"webhook-nosubject.golden", sms},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			t.Parallel()
			srv, reqs := newServer(t, http.StatusOK, "ok")
			w := alert.Webhook{URL: srv.URL + "/services/T000/B000/XXXX", Client: srv.Client()}
			if err := w.Send(t.Context(), tc.msg); err != nil {
				t.Fatalf("Send = %v", err)
			}
			r := <-reqs
			if r.method != http.MethodPost || r.path != "/services/T000/B000/XXXX" || r.contentType != "application/json" {
				t.Errorf("request = %s %s (%s); want POST /services/T000/B000/XXXX (application/json)", r.method, r.path, r.contentType)
			}
			checkGolden(t, tc.golden, r.body)
		})
	}
}

func TestAlertmanagerJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		golden  string
		base    string // path of the base URL
		resolve time.Duration
		msg     alert.Message
	}{
		{"alertmanager-crash.golden", "", 0, crashed},
		// A path prefix behind a proxy, a longer resolve, and the
		// default alertname for a message without labels.
		{"alertmanager-nolabels.golden", "/alertmanager/", time.Hour, sms},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			t.Parallel()
			srv, reqs := newServer(t, http.StatusOK, "")
			a := alert.Alertmanager{URL: srv.URL + tc.base, Client: srv.Client(), Resolve: tc.resolve, Instance: "host1"}
			if err := a.Send(t.Context(), tc.msg); err != nil {
				t.Fatalf("Send = %v", err)
			}
			r := <-reqs
			if want := tc.base + "api/v2/alerts"; r.method != http.MethodPost || strings.TrimPrefix(r.path, "/") != strings.TrimPrefix(want, "/") || r.contentType != "application/json" {
				t.Errorf("request = %s %s (%s); want POST %s (application/json)", r.method, r.path, r.contentType, want)
			}
			checkGolden(t, tc.golden, r.body)
		})
	}
}

func TestAlertmanagerInstanceIsHostname(t *testing.T) {
	t.Parallel()
	srv, reqs := newServer(t, http.StatusOK, "")
	if err := (alert.Alertmanager{URL: srv.URL}).Send(t.Context(), crashed); err != nil {
		t.Fatal(err)
	}
	host, err := os.Hostname()
	if err != nil {
		t.Skip(err)
	}
	if body := string((<-reqs).body); !strings.Contains(body, `"instance":"`+host+`"`) {
		t.Errorf("posted %s; want instance %q", body, host)
	}
}

func TestHTTPChannelErrors(t *testing.T) {
	t.Parallel()
	refused := "http://" + smtptest.ClosedAddr(t)
	for _, tc := range []struct {
		name   string
		status int
		reply  string
		down   bool
		want   string // in the error
	}{
		{"slack rejects", http.StatusNotFound, "no_service", false, "404 Not Found: no_service"},
		{"alertmanager rejects", http.StatusBadRequest, `{"code":400,"message":"bad alert"}`, false, `400 Bad Request: {"code":400,"message":"bad alert"}`},
		{"server error, no body", http.StatusBadGateway, "", false, "502 Bad Gateway"},
		{"server down", 0, "", true, "connection refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			base := refused
			if !tc.down {
				srv, _ := newServer(t, tc.status, tc.reply)
				base = srv.URL
			}
			for _, s := range []alert.Sender{
				alert.Webhook{URL: base + "/services/T000/B000/SECRET"},
				alert.Alertmanager{URL: base + "/SECRET"},
			} {
				err := s.Send(t.Context(), crashed)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%T.Send = %v; want an error with %q", s, err, tc.want)
					continue
				}
				// Slack's webhook URL is its secret: errors and logs must not show it.
				if strings.Contains(err.Error(), "SECRET") {
					t.Errorf("%T.Send = %v; want the URL's path left out", s, err)
				}
			}
		})
	}
}

func TestHTTPChannelSuccessCodes(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusOK, http.StatusAccepted, http.StatusNoContent} {
		srv, _ := newServer(t, status, "")
		if err := (alert.Webhook{URL: srv.URL}).Send(t.Context(), crashed); err != nil {
			t.Errorf("Send with a %d answer = %v; want success", status, err)
		}
	}
}
