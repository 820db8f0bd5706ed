package alert

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// Limiter passes at most Burst messages per key in any window of Per to
// Sender and suppresses the rest, counting them, so that a process in a
// crash loop (superlance issues #99, #108: "infinite emails") costs one
// mail per window, not one per exit. The next message let through for
// that key carries a digest line, "3 similar alerts suppressed since
// <time>", appended to its body.
//
// The key is Labels["process"], or else the Subject. Listeners whose
// subjects hold a time (crashmail's " foo crashed at <time>") must set
// the process label for the limit to bite.
//
// Put the Limiter in front of a [Retry] (Limiter{Sender: Retry{…}}), so
// that the attempts of one alert count once.
//
// Burst below 1 means 1; Per zero means no limit. Now nil means
// time.Now. Log, if set, records each suppressed message. A Limiter
// must not be copied after first use; it is safe for concurrent use.
type Limiter struct {
	Sender Sender
	Burst  int
	Per    time.Duration
	Now    func() time.Time
	Log    *slog.Logger

	mu   sync.Mutex
	keys map[string]*window
}

// window is what a Limiter remembers about one key.
type window struct {
	sent       []time.Time // the last Burst send times, oldest first
	suppressed int
	since      time.Time // of the first suppressed message
}

// Send passes m on, with the digest of earlier suppressed messages, or
// suppresses it and returns nil: suppression is the Limiter doing its
// job, not a failure.
func (l *Limiter) Send(ctx context.Context, m Message) error {
	if l.Per <= 0 {
		return l.Sender.Send(ctx, m)
	}
	key := m.Labels["process"]
	if key == "" {
		key = m.Subject
	}
	now := l.now()
	n, since, ok := l.admit(key, now)
	if !ok {
		if l.Log != nil {
			l.Log.Info("alert suppressed", "key", key, "subject", m.Subject, "suppressed", n, "since", since)
		}
		return nil
	}
	if n > 0 {
		if m.Body != "" && !strings.HasSuffix(m.Body, "\n") {
			m.Body += "\n"
		}
		m.Body += digest(n, since)
	}
	err := l.Sender.Send(ctx, m)
	if err != nil && n > 0 {
		l.restore(key, n, since) // the digest did not get through: carry it on
	}
	return err
}

// admit decides for a message with key at now. When it lets the
// message through (ok), n and since are the digest to append, which
// admit forgets; otherwise n is the suppressed count so far.
func (l *Limiter) admit(key string, now time.Time) (n int, since time.Time, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(now)
	w := l.keys[key]
	if w == nil {
		w = &window{}
		if l.keys == nil {
			l.keys = make(map[string]*window)
		}
		l.keys[key] = w
	}
	if len(w.sent) >= max(l.Burst, 1) {
		if now.Sub(w.sent[0]) < l.Per {
			if w.suppressed == 0 {
				w.since = now
			}
			w.suppressed++
			return w.suppressed, w.since, false
		}
		w.sent = w.sent[1:]
	}
	w.sent = append(w.sent, now)
	n, since = w.suppressed, w.since
	w.suppressed, w.since = 0, time.Time{}
	return n, since, true
}

// restore puts back a digest that was not delivered.
func (l *Limiter) restore(key string, n int, since time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.keys[key]
	if w == nil {
		w = &window{}
		l.keys[key] = w
	}
	w.suppressed += n
	if w.since.IsZero() || since.Before(w.since) {
		w.since = since
	}
}

// prune forgets keys with nothing to report whose window has passed,
// so that a listener watching many processes over months stays small.
func (l *Limiter) prune(now time.Time) {
	for k, w := range l.keys {
		if w.suppressed == 0 && (len(w.sent) == 0 || now.Sub(w.sent[len(w.sent)-1]) >= l.Per) {
			delete(l.keys, k)
		}
	}
}

func (l *Limiter) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// digest is the line appended for n suppressed messages.
func digest(n int, since time.Time) string {
	noun := "alerts"
	if n == 1 {
		noun = "alert"
	}
	return fmt.Sprintf("%d similar %s suppressed since %s", n, noun, since.Format(time.RFC3339))
}
