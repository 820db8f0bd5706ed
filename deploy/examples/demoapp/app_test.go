package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPages(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	srv := httptest.NewServer(newApp(&log, make(chan struct{})))
	defer srv.Close()
	tests := []struct {
		path, want string
	}{
		{"/", "Holding 0 MB"},
		{"/grow?mb=3", "holding 3 MB"},
		{"/", "Holding 3 MB"},
		{"/hang?s=1", "done hanging"},
		{"/stick", "no longer answers"},
	}
	for _, tt := range tests {
		resp, err := http.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), tt.want) {
			t.Errorf("GET %s = %q; want it to contain %q", tt.path, body, tt.want)
		}
	}
	c := &http.Client{Timeout: 300 * time.Millisecond}
	if resp, err := c.Get(srv.URL + "/"); err == nil {
		resp.Body.Close()
		t.Errorf("GET / after /stick answered %s; want it to hang", resp.Status)
	}
}

func TestCrashExits(t *testing.T) {
	code := make(chan int, 1)
	exit = func(c int) { code <- c }
	defer func() { exit = nil }()
	srv := httptest.NewServer(newApp(io.Discard, make(chan struct{})))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/crash")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	select {
	case c := <-code:
		if c != 3 {
			t.Errorf("/crash exit status = %d; want 3", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("/crash did not exit")
	}
}

func TestWorkerStops(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Millisecond)
	defer cancel()
	var out bytes.Buffer
	if code := run(ctx, []string{"worker", "-interval", "20ms"}, nil, &out, io.Discard); code != 0 {
		t.Fatalf("worker exit = %d; want 0", code)
	}
	if !strings.Contains(out.String(), "worker: job 1 done") || !strings.HasSuffix(out.String(), "worker: stopping\n") {
		t.Errorf("worker output = %q; want jobs then a stop line", out.String())
	}
}

func TestBadMode(t *testing.T) {
	t.Parallel()
	if code := run(t.Context(), []string{"dance"}, nil, io.Discard, io.Discard); code != 2 {
		t.Errorf("run(dance) = %d; want 2", code)
	}
}

func TestSendmailAppendsToMbox(t *testing.T) {
	mbox := filepath.Join(t.TempDir(), "mail.mbox")
	now := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	for _, msg := range []string{"To: ops@example.org\nSubject: one\n\nFrom here on\nbody", "To: ops@example.org\nSubject: two\n\n.\n"} {
		if code := sendmail([]string{"-mbox", mbox, "-t", "-i"}, strings.NewReader(msg), io.Discard, now); code != 0 {
			t.Fatalf("sendmail = %d; want 0", code)
		}
	}
	got, err := os.ReadFile(mbox)
	if err != nil {
		t.Fatal(err)
	}
	want := "From lancer-demo Sun Nov 22 08:00:00 2026\nTo: ops@example.org\nSubject: one\n\n>From here on\nbody\n\n" +
		"From lancer-demo Sun Nov 22 08:00:00 2026\nTo: ops@example.org\nSubject: two\n\n.\n\n"
	if string(got) != want {
		t.Fatalf("mbox:\n%q\nwant:\n%q", got, want)
	}
	if code := sendmail([]string{"-t"}, strings.NewReader("x"), io.Discard, now); code != 64 {
		t.Fatalf("sendmail without -mbox = %d; want 64", code)
	}
	if code := sendmail([]string{"-mbox", filepath.Join(mbox, "not-a-dir", "x")}, strings.NewReader("x"), io.Discard, now); code != 73 {
		t.Fatalf("sendmail into a missing directory = %d; want 73", code)
	}
}
