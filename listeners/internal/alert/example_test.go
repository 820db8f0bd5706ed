package alert_test

import (
	"context"
	"fmt"
	"time"

	"github.com/lancerhq/lancer/listeners/internal/alert"
)

// A listener sends each alert to every channel it was given, a crash
// loop costing at most one alert per process per hour.
func ExampleLimiter() {
	print := alert.SenderFunc(func(_ context.Context, m alert.Message) error {
		fmt.Printf("%s\n%s\n--\n", m.Subject, m.Body)
		return nil
	})
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	l := &alert.Limiter{
		Sender: alert.Multi{print}, // with alert.NewSMTP, alert.Webhook…
		Burst:  1,
		Per:    time.Hour,
		Now:    func() time.Time { return now },
	}
	for range 4 { // web crashes every 20 minutes
		l.Send(context.Background(), alert.Message{
			Subject: "web crashed at " + now.Format(time.TimeOnly),
			Body:    "Process web exited unexpectedly",
			Labels:  map[string]string{"alertname": "ProcessCrashed", "process": "web"},
		})
		now = now.Add(20 * time.Minute)
	}
	// Output:
	// web crashed at 12:00:00
	// Process web exited unexpectedly
	// --
	// web crashed at 13:00:00
	// Process web exited unexpectedly
	// 2 similar alerts suppressed since 2024-05-01T12:20:00Z
	// --
}
