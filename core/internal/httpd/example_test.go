package httpd_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/httpd"
	"github.com/lancerhq/lancer/core/internal/logcap"
)

type noLogs struct{}

func (noLogs) Log(name, stream string) (*logcap.Channel, error) { return nil, logcap.ErrNoFile }

// Example shows the daemon's order: open every server before starting
// any program, so that a taken socket stops the daemon at once with the
// reference's message; then serve until the context ends.
func Example() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	srv := httpd.New(httpd.Options{
		Unix:   []config.UnixHTTPServer{{File: dir + "/supervisor.sock", Chmod: 0o700, UID: -1, GID: -1}},
		RPC:    http.NotFoundHandler(), // rpc.New(sup) in the daemon
		Logs:   noLogs{},               // the *supervisor.Supervisor
		Logger: slog.New(slog.DiscardHandler),
	})
	if err := srv.Listen(); err != nil {
		fmt.Println("Error:", err) // main exits with status 2
		return
	}
	srv.Announce() // or at every start, from the supervisor
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the run group's interrupt
	fmt.Println(srv.Run(ctx))
	_, err := os.Stat(dir + "/supervisor.sock")
	fmt.Println(os.IsNotExist(err))
	// Output:
	// <nil>
	// true
}
