package ctl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

func TestDescribe(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"refused", refused(), "<class 'ConnectionRefusedError'>, [Errno 111] Connection refused"},
		{"no socket", noSocket(), "<class 'FileNotFoundError'>, [Errno 2] No such file or directory"},
		{"denied", &os.SyscallError{Syscall: "connect", Err: syscall.EACCES}, "<class 'PermissionError'>, [Errno 13] Permission denied"},
		{"401", fmt.Errorf("call x: %w", xmlrpc.ErrUnauthorized),
			"<class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1/RPC2: 401 Unauthorized>"},
		{"500", &xmlrpc.HTTPError{StatusCode: 500, Status: "500 Internal Server Error"},
			"<class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1/RPC2: 500 Internal Server Error>"},
		{"fault", fault(xmlrpc.FaultShutdownState, ""), "<class 'xmlrpc.client.Fault'>, <Fault 6: 'SHUTDOWN_STATE'>"},
		{"fault quote", fault(xmlrpc.FaultBadName, "it's"), `<class 'xmlrpc.client.Fault'>, <Fault 10: "BAD_NAME: it's">`},
		{"dns", &net.DNSError{Err: "no such host", Name: "nohost", IsNotFound: true},
			"<class 'socket.gaierror'>, [Errno -2] Name or service not known"},
		{"python", errEOF, "<class 'EOFError'>, EOF when reading a line"},
		{"other", errors.New("boom"), "<class 'Exception'>, boom"},
	} {
		if got := describe(tc.err); got != tc.want {
			t.Errorf("%s: describe(%v) = %q; want %q", tc.name, tc.err, got, tc.want)
		}
	}
}

func TestParseLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line, name, arg string
		ok              bool
	}{
		{"  status  a b ", "status", "a b", true},
		{"?start", "help", "start", true},
		{"status:x", "status", ":x", true},
		{"!ls", "", "", false},
		{"", "", "", false},
	} {
		name, arg, _, ok := parseLine(tc.line)
		if name != tc.name || arg != tc.arg || ok != tc.ok {
			t.Errorf("parseLine(%q) = %q, %q, %v; want %q, %q, %v", tc.line, name, arg, ok, tc.name, tc.arg, tc.ok)
		}
	}
}

func TestColumnize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		words []string
		width int
		want  []string
	}{
		{[]string{"a"}, 10, []string{"a"}},
		{[]string{"aa", "b", "cccc"}, 80, []string{"aa  b  cccc"}},
		{[]string{"aaaa", "bb", "c", "dddd"}, 10, []string{"aaaa  c   ", "bb    dddd"}},
		{[]string{"toolongword", "another"}, 5, []string{"toolongword", "another"}},
		{[]string{"aaaa", "bb", "c", "dddd"}, 9, []string{"aaaa", "bb", "c", "dddd"}},
	} {
		if got := columnize(tc.words, tc.width); !cmp.Equal(got, tc.want) {
			t.Errorf("columnize(%q, %d) = %q; want %q", tc.words, tc.width, got, tc.want)
		}
	}
}

func TestCompletions(t *testing.T) {
	t.Parallel()
	fake := &fakeClient{infos: sampleInfos()}
	c := newHarness(t, fake, Options{}).ctl
	for _, tc := range []struct {
		line, text string
		want       []string
	}{
		{"", "", append([]string{"help "}, mapSuffix(topics())...)},
		{"st", "st", []string{"start ", "status ", "stop "}},
		{"help re", "re", []string{"reload ", "remove ", "reread ", "restart "}},
		{"start ", "", []string{"grp:a ", "grp:* ", "grp:b ", "sleeper "}},
		{"stop sl", "sl", []string{"sleeper "}},
		{"stop sleeper:", "sleeper:", []string{"sleeper:sleeper ", "sleeper:* "}},
		{"update ", "", []string{"grp ", "sleeper "}},
		{"version ", "", nil},
	} {
		if got := c.completions(tc.line, tc.text); !cmp.Equal(got, tc.want) {
			t.Errorf("completions(%q, %q) = %q; want %q", tc.line, tc.text, got, tc.want)
		}
	}
	if n := strings.Count(strings.Join(fake.recorded(), ","), "getAllProcessInfo"); n != 1 {
		t.Errorf("getAllProcessInfo called %d times between two commands; want 1 (cached)", n)
	}
	var listed strings.Builder
	for _, tc := range []struct {
		line    string
		pos     int
		want    string
		wantPos int
	}{
		{"sta", 3, "sta", 3},                    // start and status: listed
		{"stat x", 4, "status  x", 7},           // one match, at the cursor
		{"start g", 7, "start grp:", 10},        // their common prefix
		{"start grp:b", 11, "start grp:b ", 12}, // the one match
		{"start nope", 10, "", 0},               // none
	} {
		line, pos, ok := c.completeLine(tc.line, tc.pos, &listed)
		if tc.want == "" && ok || tc.want != "" && (line != tc.want || pos != tc.wantPos) {
			t.Errorf("completeLine(%q, %d) = %q, %d, %v; want %q, %d", tc.line, tc.pos, line, pos, ok, tc.want, tc.wantPos)
		}
	}
	if listed.String() != "start  status\n" {
		t.Errorf("listed candidates %q; want %q", listed.String(), "start  status\n")
	}
}

func mapSuffix(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s + " "
	}
	return out
}

func TestHistoryFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "history")
	if err := os.WriteFile(path, []byte("status\n\nstart a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := loadHistory(path)
	h.Add("stop a")
	h.Add("  ")
	if h.Len() != 3 || h.At(0) != "stop a" || h.At(2) != "status" {
		t.Fatalf("history = %q; want status, start a, stop a", h.entries)
	}
	for range maxHistory {
		h.Add("version")
	}
	if err := h.save(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if n := strings.Count(string(b), "\n"); n != maxHistory || !strings.HasPrefix(string(b), "version\n") {
		t.Errorf("saved history has %d lines starting %q; want the last %d", n, string(b[:min(20, len(b))]), maxHistory)
	}
	if err := loadHistory("").save(); err != nil {
		t.Errorf("save without a file = %v", err)
	}
}

// TestTailFollow follows a log served over HTTP with basic auth until
// Ctrl-C, and reports a missing log on stderr as the reference does.
func TestTailFollow(t *testing.T) {
	t.Parallel()
	served := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, _ := r.BasicAuth(); u != "ops" || p != "pw" || r.URL.Path != "/logtail/grp:a/stderr" {
			http.NotFound(w, r)
			return
		}
		_, _ = io.WriteString(w, "line 1\n")
		w.(http.Flusher).Flush()
		close(served)
		<-r.Context().Done()
	}))
	defer srv.Close()
	intr := make(chan os.Signal, 1)
	h := newHarness(t, &fakeClient{}, Options{ServerURL: srv.URL, Username: "ops", Password: "pw", Interrupts: intr})
	go func() { <-served; waitOutput(t, h, "line 1\n"); intr <- os.Interrupt }()
	out, st := h.run(t, "tail -f grp:a stderr")
	if want := "==> Press Ctrl-C to exit <==\nline 1\n\n"; out != want || st != 0 {
		t.Errorf("tail -f = %q, %d; want %q, 0", out, st, want)
	}
	out, st = h.run(t, "tail -f nosuch")
	if want := srv.URL + "/logtail/nosuch/stdout Cannot read, status code 404\n"; h.err.String() != want || st != 0 {
		t.Errorf("tail -f nosuch: stderr %q, status %d, output %q; want %q, 0", h.err.String(), st, out, want)
	}
}

func TestStreamClient(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ url, base, rpc string }{
		{"unix:///run/s.sock", "http://localhost", "unix:///run/s.sock"},
		{"http://127.0.0.1:9001", "http://127.0.0.1:9001", "http://127.0.0.1:9001/RPC2"},
		{"http://host:9001/some/path", "http://host:9001", "http://host:9001/RPC2"},
	} {
		_, base := streamClient(tc.url)
		if base != tc.base || rpcURL(tc.url) != tc.rpc {
			t.Errorf("streamClient(%q) base %q, rpcURL %q; want %q, %q", tc.url, base, rpcURL(tc.url), tc.base, tc.rpc)
		}
	}
}

func TestInterruptedCommand(t *testing.T) {
	t.Parallel()
	intr := make(chan os.Signal, 1)
	fake := &fakeClient{errs: map[string]error{"startProcess x": context.Canceled},
		hooks: map[string]func(context.Context){"startProcess x": func(ctx context.Context) { intr <- os.Interrupt; <-ctx.Done() }}}
	h := newHarness(t, fake, Options{Interrupts: intr})
	stop := h.ctl.Exec(t.Context(), "start x")
	if !stop || h.ctl.ExitStatus() != exitInterrupted {
		t.Errorf("Ctrl-C during start: stop %v, status %d; want true, %d", stop, h.ctl.ExitStatus(), exitInterrupted)
	}
}
