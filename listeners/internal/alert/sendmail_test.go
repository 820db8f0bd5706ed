package alert

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestSplitCommand(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  error
	}{
		{"/usr/sbin/sendmail -t -i", []string{"/usr/sbin/sendmail", "-t", "-i"}, nil},
		{`  tee -a '/tmp/my mail'  `, []string{"tee", "-a", "/tmp/my mail"}, nil},
		{`a "b \"c\" \d" e\ f`, []string{"a", `b "c" \d`, "e f"}, nil},
		{`x''y ""`, []string{"xy", ""}, nil},
		{`'open`, nil, ErrUnterminatedQuote},
		{`"open`, nil, ErrUnterminatedQuote},
		{"", nil, nil},
	} {
		got, err := SplitCommand(tc.in)
		if !errors.Is(err, tc.err) || !slices.Equal(got, tc.want) {
			t.Errorf("SplitCommand(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func FuzzSplitCommand(f *testing.F) {
	for _, s := range []string{"/usr/sbin/sendmail -t -i", `a "b\" c" 'd e' f\ g`, `"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words, err := SplitCommand(s)
		if err == nil && len(words) > len(s) {
			t.Fatalf("SplitCommand(%q) = %d words", s, len(words))
		}
	})
}

func TestSendmailPipesSuperlanceText(t *testing.T) {
	out := filepath.Join(t.TempDir(), "mail")
	s, err := NewSendmail("tee '" + out + "'")
	if err != nil {
		t.Fatal(err)
	}
	m := Message{To: []string{"ops@example.org"}, Subject: "memmon: process foo:foo restarted", Body: "line one\n."}
	if err := s.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := "To: ops@example.org\nSubject: memmon: process foo:foo restarted\n\nline one\n."
	if string(got) != want {
		t.Fatalf("sendmail got %q; want %q", got, want)
	}
}

func TestSendmailFailuresAreErrors(t *testing.T) {
	for _, cmd := range []string{"/nonexistent/sendmail -t -i", "sh -c 'echo refused >&2; exit 75'"} {
		s, err := NewSendmail(cmd)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(t.Context(), Message{To: []string{"x@example.org"}}); err == nil {
			t.Errorf("%s: Send succeeded; want an error", cmd)
		}
	}
	s, _ := NewSendmail("/nonexistent/sendmail -t -i")
	var calls int
	counting := SenderFunc(func(ctx context.Context, m Message) error { calls++; return s.Send(ctx, m) })
	if err := (Retry{Sender: counting, Attempts: 3, Delay: time.Hour}).Send(t.Context(), Message{}); !IsPermanent(err) || calls != 1 {
		t.Errorf("Retry of a missing sendmail = %v after %d attempts; want a permanent error after 1", err, calls)
	}
	if _, err := NewSendmail("  "); err == nil {
		t.Error("NewSendmail of a blank command succeeded")
	}
}

func TestRetryIsBounded(t *testing.T) {
	var calls int
	fail := SenderFunc(func(ctx context.Context, m Message) error {
		calls++
		<-ctx.Done() // a server that never answers
		return ctx.Err()
	})
	r := Retry{Sender: fail, Attempts: 3, Delay: time.Millisecond, Timeout: 5 * time.Millisecond}
	if err := r.Send(t.Context(), Message{Subject: "s"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send = %v; want the deadline", err)
	}
	if calls != 3 {
		t.Fatalf("%d attempts; want 3", calls)
	}
	calls = 0
	ok := SenderFunc(func(context.Context, Message) error {
		calls++
		if calls < 2 {
			return errors.New("421 try later")
		}
		return nil
	})
	if err := (Retry{Sender: ok, Attempts: 3}).Send(t.Context(), Message{}); err != nil || calls != 2 {
		t.Fatalf("Send = %v after %d calls; want success on the 2nd", err, calls)
	}
}
