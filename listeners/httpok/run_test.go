package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestRunExits(t *testing.T) {
	t.Parallel()
	withURL := env(map[string]string{"SUPERVISOR_SERVER_URL": "http://127.0.0.1:9001"})
	for _, tc := range []struct {
		name   string
		args   []string
		getenv func(string) string
		code   int
		stdout string
		stderr string // prefix
	}{
		{"help", []string{"-h"}, withURL, 0, "", usage},
		{"help without supervisord", []string{"--help"}, env(nil), 0, "", usage},
		{"no URL", nil, withURL, 255, "", "httpok: no URL given\n\n" + usage},
		{"two URLs", []string{"http://a", "http://b"}, withURL, 255, "", "httpok: one URL expected"},
		{"unknown option", []string{"-x", "http://a"}, withURL, 255, "", "httpok: option -x not recognized\n\n"},
		{"bad timeout", []string{"-t", "1.5", "http://a"}, withURL, 255, "", "httpok: -t \"1.5\""},
		{"not under supervisord", []string{"http://a"}, env(nil), 0, "",
			"httpok must be run as a supervisor event listener\n"},
		{"bad server URL", []string{"http://a"},
			env(map[string]string{"SUPERVISOR_SERVER_URL": "ftp://x"}), 1, "", "httpok: "},
		{"sendmail command unusable", []string{"-m", "a@b", "-s", "'unterminated", "http://a"}, withURL, 1, "", "httpok: sendmail command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), tc.args, strings.NewReader(""), &stdout, &stderr, tc.getenv)
			if code != tc.code || stdout.String() != tc.stdout || !strings.HasPrefix(stderr.String(), tc.stderr) {
				t.Errorf("run(%q) = %d, stdout %q, stderr %q; want %d, %q, prefix %q",
					tc.args, code, stdout.String(), stderr.String(), tc.code, tc.stdout, tc.stderr)
			}
		})
	}
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"http://a"}, strings.NewReader(""), &stdout, &stderr, withURL); code != 0 ||
		stdout.String() != "READY\n" || stderr.Len() != 0 {
		t.Errorf("run with stdin at EOF = %d, %q, %q; want 0, READY, nothing", code, stdout.String(), stderr.String())
	}
}

// fakeSupervisord serves the three XML-RPC methods httpok calls.
type fakeSupervisord struct {
	infos []xmlrpc.ProcessInfo
	mu    sync.Mutex
	calls []string
}

func (s *fakeSupervisord) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method, params, err := xmlrpc.DecodeRequest(r.Body, xmlrpc.Limits{})
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var res any = xmlrpc.NewFault(xmlrpc.FaultUnknownMethod, method)
	switch method {
	case "supervisor.getAllProcessInfo":
		res = s.infos
	case "supervisor.stopProcess", "supervisor.startProcess":
		var name string
		if len(params) == 2 && xmlrpc.Unmarshal(params[0], &name) == nil {
			s.mu.Lock()
			s.calls = append(s.calls, strings.TrimSuffix(strings.TrimPrefix(method, "supervisor."), "Process")+" "+name)
			s.mu.Unlock()
			res = true
		}
	}
	var b bytes.Buffer
	if err := xmlrpc.EncodeResponse(&b, res); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Write(b.Bytes())
}

func (s *fakeSupervisord) called() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// capture records the bodies posted to it.
type capture struct {
	mu     sync.Mutex
	bodies [][]byte
}

func (c *capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	b.ReadFrom(r.Body)
	c.mu.Lock()
	c.bodies = append(c.bodies, b.Bytes())
	c.mu.Unlock()
}

func (c *capture) posted() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.bodies)
}

// TestRun runs httpok as supervisord does: a TICK_60 on stdin, a real
// supervisord API (faked at the XML-RPC level), a real failing URL, a
// real sendmail command and an Alertmanager.
func TestRun(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	t.Cleanup(target.Close)
	sup := &fakeSupervisord{infos: append(dummyInfos(), self)}
	rpc := httptest.NewServer(sup)
	t.Cleanup(rpc.Close)
	am := &capture{}
	amSrv := httptest.NewServer(am)
	t.Cleanup(amSrv.Close)
	mailFile := filepath.Join(t.TempDir(), "mail")

	args := []string{"-a", "-m", "ops@example.org", "-s", "tee '" + mailFile + "'", "-n", "web",
		"--alertmanager", amSrv.URL, target.URL + "/health"}
	getenv := env(map[string]string{
		"SUPERVISOR_SERVER_URL":   rpc.URL,
		"SUPERVISOR_GROUP_NAME":   "httpok",
		"SUPERVISOR_PROCESS_NAME": "httpok",
	})
	payload := "when:1700000040"
	stdin := "ver:3.0 server:supervisor serial:7 pool:httpok poolserial:3 eventname:TICK_60 len:15\n" + payload
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), args, strings.NewReader(stdin), &stdout, &stderr, getenv); code != 0 {
		t.Fatalf("run = %d; stderr:\n%s", code, stderr.String())
	}

	if got := stdout.String(); got != "READY\nRESULT 2\nOKREADY\n" {
		t.Errorf("stdout = %q; want the protocol transcript only", got)
	}
	url := target.URL + "/health"
	wantMail := "To: ops@example.org\nSubject: httpok [web]: " + url + ": bad status returned\n\n" +
		"status contacting " + url + ": 503 Service Unavailable\n" +
		"Restarting all running processes\n" +
		"foo is in RUNNING state, restarting\n" +
		"foo restarted\n" +
		"bar not in RUNNING state, NOT restarting\n" +
		"baz:baz_01 not in RUNNING state, NOT restarting\n" +
		"httpok belongs to this event listener's pool, NOT restarting"
	mail, err := os.ReadFile(mailFile)
	if err != nil || string(mail) != wantMail {
		t.Errorf("mail = %q, %v; want %q", mail, err, wantMail)
	}
	_, body, _ := strings.Cut(wantMail, "\n\n")
	_, actLines, _ := strings.Cut(body, "\n")
	if diff := cmp.Diff(actLines+"\nMailed:\n\n"+wantMail+"\n", stderr.String()); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
	if want := []string{"stop foo", "start foo"}; !slices.Equal(sup.called(), want) {
		t.Errorf("supervisord got %q; want %q", sup.called(), want)
	}

	var alerts []struct {
		Labels map[string]string `json:"labels"`
	}
	if posted := am.posted(); len(posted) != 1 || json.Unmarshal(posted[0], &alerts) != nil || len(alerts) != 1 {
		t.Fatalf("alertmanager got %q; want one alert", posted)
	}
	if l := alerts[0].Labels; l["alertname"] != "HTTPCheckFailed" || l["url"] != url {
		t.Errorf("alert labels %v; want alertname HTTPCheckFailed, url %s", l, url)
	}
}
