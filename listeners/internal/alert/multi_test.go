package alert_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"github.com/lancerhq/lancer/listeners/internal/alert"
	"github.com/lancerhq/lancer/listeners/internal/alert/alerttest"
)

func TestMultiSendsToAll(t *testing.T) {
	t.Parallel()
	var ok1, bad1, ok2, bad2 alerttest.Recorder
	errA, errB := errors.New("smtp down"), errors.New("webhook 500")
	bad1.Fail(errA)
	bad2.Fail(errB)
	err := alert.Multi{&ok1, &bad1, &ok2, &bad2}.Send(t.Context(), crashed)
	if !errors.Is(err, errA) || !errors.Is(err, errB) || err.Error() != "smtp down\nwebhook 500" {
		t.Errorf("Send = %q; want both failures, in order", err)
	}
	for i, r := range []*alerttest.Recorder{&ok1, &ok2} {
		if n := len(r.Messages()); n != 1 {
			t.Errorf("working sender %d got %d messages; want 1", i, n)
		}
	}
	for i, r := range []*alerttest.Recorder{&bad1, &bad2} {
		if n := r.Calls(); n != 1 {
			t.Errorf("failing sender %d was called %d times; want 1", i, n)
		}
	}
}

func TestMultiEdges(t *testing.T) {
	t.Parallel()
	if err := (alert.Multi{}).Send(t.Context(), crashed); err != nil {
		t.Errorf("empty Multi: Send = %v; want nil", err)
	}
	var r alerttest.Recorder
	if err := (alert.Multi{&r}).Send(t.Context(), crashed); err != nil || len(r.Messages()) != 1 {
		t.Errorf("Multi of one: Send = %v, %d messages; want delivered", err, len(r.Messages()))
	}
}

// TestMultiSlowChannel: a channel that hangs delays no other; Send
// returns when the caller's deadline ends the hung one.
func TestMultiSlowChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var fast alerttest.Recorder
		hung := alert.SenderFunc(func(ctx context.Context, _ alert.Message) error {
			<-ctx.Done()
			return ctx.Err()
		})
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- alert.Multi{hung, &fast}.Send(ctx, crashed) }()
		fast.Wait(t, 1) // delivered while the other hangs
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Send = %v; want the hung channel's error", err)
		}
	})
}
