package alert_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/listeners/internal/alert/alerttest"
)

// utcNow is time.Now in UTC: inside a synctest bubble it starts at
// 2000-01-01T00:00:00Z, whatever the machine's zone.
func utcNow() time.Time { return time.Now().UTC() }

// crash is a crash alert of process p, with a subject that changes on
// every call, as crashmail's does.
func crash(p string) alert.Message {
	return alert.Message{
		Subject: " " + p + " crashed at " + time.Now().UTC().Format(time.DateTime),
		Body:    "Process " + p + " exited unexpectedly",
		Labels:  map[string]string{"process": p},
	}
}

func bodies(ms []alert.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Body)
	}
	return out
}

// TestLimiterCrashLoop replays a process that crashes every 10 minutes
// for 3 hours, with another that crashes once, through Burst 2 per hour.
func TestLimiterCrashLoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &alerttest.Recorder{}
		l := &alert.Limiter{Sender: rec, Burst: 2, Per: time.Hour, Now: utcNow}
		for i := range 18 {
			if err := l.Send(t.Context(), crash("web:web_0")); err != nil {
				t.Fatalf("Send #%d = %v; suppression is no error", i, err)
			}
			if i == 3 {
				if err := l.Send(t.Context(), crash("db:db")); err != nil {
					t.Fatal(err)
				}
			}
			time.Sleep(10 * time.Minute)
		}
		want := []string{
			"Process web:web_0 exited unexpectedly", // 00:00
			"Process web:web_0 exited unexpectedly", // 00:10
			"Process db:db exited unexpectedly",     // 00:30, its own key
			"Process web:web_0 exited unexpectedly\n" + // 01:00, the 00:00 slot freed
				"4 similar alerts suppressed since 2000-01-01T00:20:00Z", // 00:20 to 00:50
			"Process web:web_0 exited unexpectedly", // 01:10
			"Process web:web_0 exited unexpectedly\n" +
				"4 similar alerts suppressed since 2000-01-01T01:20:00Z", // 02:00
			"Process web:web_0 exited unexpectedly", // 02:10
		}
		if diff := cmp.Diff(want, bodies(rec.Messages())); diff != "" {
			t.Errorf("delivered (-want +got):\n%s", diff)
		}
	})
}

func TestLimiterKeys(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &alerttest.Recorder{}
		l := &alert.Limiter{Sender: rec, Burst: 1, Per: time.Minute}
		for _, m := range []alert.Message{
			{Subject: "memmon: process web:web_0 restarted", Body: "1"},
			{Subject: "memmon: process web:web_0 restarted", Body: "2"}, // same subject: suppressed
			{Subject: "memmon: process db restarted", Body: "3"},
			{Subject: "a", Body: "4", Labels: map[string]string{"process": "x"}},
			{Subject: "b", Body: "5", Labels: map[string]string{"process": "x"}}, // same process: suppressed
			{Subject: "a", Body: "6", Labels: map[string]string{"process": "y"}},
		} {
			if err := l.Send(t.Context(), m); err != nil {
				t.Fatal(err)
			}
		}
		if diff := cmp.Diff([]string{"1", "3", "4", "6"}, bodies(rec.Messages())); diff != "" {
			t.Errorf("delivered (-want +got):\n%s", diff)
		}
	})
}

// TestLimiterKeepsDigestOnFailure: a digest whose message was not
// delivered is carried on to the next message let through.
func TestLimiterKeepsDigestOnFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &alerttest.Recorder{}
		l := &alert.Limiter{Sender: rec, Burst: 1, Per: time.Minute, Now: utcNow}
		send := func(at time.Duration, wantErr bool) {
			t.Helper()
			time.Sleep(at - time.Since(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)))
			if err := l.Send(t.Context(), crash("web")); (err != nil) != wantErr {
				t.Fatalf("Send at %v = %v; want error %v", at, err, wantErr)
			}
		}
		send(0, false)
		send(10*time.Second, false) // suppressed
		rec.Fail(errors.New("421 try later"))
		send(70*time.Second, true) // let through with the digest, fails
		rec.Fail(nil)
		send(80*time.Second, false)  // suppressed: the 70s attempt took the slot
		send(140*time.Second, false) // delivered with the whole digest
		want := []string{
			"Process web exited unexpectedly",
			"Process web exited unexpectedly\n2 similar alerts suppressed since 2000-01-01T00:00:10Z",
		}
		if diff := cmp.Diff(want, bodies(rec.Messages())); diff != "" {
			t.Errorf("delivered (-want +got):\n%s", diff)
		}
	})
}

func TestLimiterDigestLine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &alerttest.Recorder{}
		l := &alert.Limiter{Sender: rec, Burst: 1, Per: time.Minute, Now: utcNow}
		for _, body := range []string{"first\n", "dropped", "ends with a newline\n", "dropped", ""} {
			l.Send(t.Context(), alert.Message{Subject: "s", Body: body})
			time.Sleep(40 * time.Second)
		}
		want := []string{
			"first\n",
			"ends with a newline\n1 similar alert suppressed since 2000-01-01T00:00:40Z",
			"1 similar alert suppressed since 2000-01-01T00:02:00Z", // for an empty body, the line alone
		}
		if diff := cmp.Diff(want, bodies(rec.Messages())); diff != "" {
			t.Errorf("delivered (-want +got):\n%s", diff)
		}
	})
}

func TestLimiterZeroPerPassesAll(t *testing.T) {
	t.Parallel()
	rec := &alerttest.Recorder{}
	l := &alert.Limiter{Sender: rec}
	for range 5 {
		l.Send(t.Context(), crash("web"))
	}
	if n := len(rec.Messages()); n != 5 {
		t.Errorf("delivered %d of 5 with no Per; want all", n)
	}
}

func TestLimiterLogsSuppression(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var buf bytes.Buffer
		log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
			ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey {
					return slog.Attr{}
				}
				return a
			},
		}))
		l := &alert.Limiter{Sender: &alerttest.Recorder{}, Burst: 1, Per: time.Hour, Now: utcNow, Log: log}
		l.Send(t.Context(), crash("web"))
		l.Send(t.Context(), crash("web"))
		want := `level=INFO msg="alert suppressed" key=web subject=" web crashed at 2000-01-01 00:00:00" suppressed=1 since=2000-01-01T00:00:00.000Z` + "\n"
		if got := buf.String(); got != want {
			t.Errorf("log = %q; want %q", got, want)
		}
	})
}

func TestLimiterConcurrent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &alerttest.Recorder{}
		l := &alert.Limiter{Sender: rec, Burst: 3, Per: time.Hour, Now: utcNow}
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() { l.Send(t.Context(), crash("web")) })
		}
		wg.Wait()
		time.Sleep(time.Hour)
		l.Send(t.Context(), crash("web"))
		msgs := rec.Messages()
		if len(msgs) != 4 || !strings.HasSuffix(msgs[3].Body, "\n47 similar alerts suppressed since 2000-01-01T00:00:00Z") {
			t.Errorf("delivered %q; want 3, then one with 47 suppressed", bodies(msgs))
		}
	})
}
