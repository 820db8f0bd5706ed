package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// run dispatches to the web server or the worker.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: demoapp web|worker|sendmail [flags]")
		return 2
	}
	switch args[0] {
	case "web":
		return web(ctx, args[1:], stdout, stderr)
	case "worker":
		return worker(ctx, args[1:], stdout, stderr)
	case "sendmail":
		return sendmail(args[1:], stdin, stderr, time.Now())
	}
	fmt.Fprintf(stderr, "demoapp: unknown mode %q (want web, worker or sendmail)\n", args[0])
	return 2
}

// worker prints a line every interval until ctx ends.
func worker(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	every := fs.Duration("interval", 5*time.Second, "time between two lines")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	t := time.NewTicker(*every)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			fmt.Fprintln(stdout, "worker: stopping")
			return 0
		case now := <-t.C:
			fmt.Fprintf(stdout, "worker: job %d done at %s\n", n, now.Format(time.RFC3339))
		}
	}
}

// web serves the demo pages on addr until ctx ends.
func web(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("web", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "loopback address to listen on")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "demoapp: %v\n", err)
		return 1
	}
	srv := &http.Server{Handler: newApp(stdout, ctx.Done()), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	fmt.Fprintf(stdout, "web: listening on http://%s/\n", l.Addr())
	if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "demoapp: %v\n", err)
		return 1
	}
	return 0
}

// app is the demo web application.
type app struct {
	mu    sync.Mutex
	held  [][]byte // memory held on purpose by /grow
	stuck bool     // set by /stick: the index page no longer answers
	log   io.Writer
	quit  <-chan struct{}
}

func newApp(log io.Writer, quit <-chan struct{}) http.Handler {
	a := &app{log: log, quit: quit}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.index)
	mux.HandleFunc("GET /grow", a.grow)
	mux.HandleFunc("GET /hang", a.hang)
	mux.HandleFunc("GET /stick", a.stick)
	mux.HandleFunc("GET /crash", a.crash)
	return mux
}

func (a *app) index(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	mb, stuck := len(a.held), a.stuck
	a.mu.Unlock()
	if stuck {
		select { // a hung application: only a restart helps
		case <-r.Context().Done():
		case <-a.quit:
		}
		return
	}
	fmt.Fprintf(w, "Hello from a program run by Lancer's supervisord. Holding %d MB.\n", mb)
}

// grow holds another ?mb= mebibytes (default 10, at most 1024 in all).
func (a *app) grow(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("mb"))
	if err != nil || n <= 0 {
		n = 10
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := 0; i < n && len(a.held) < 1024; i++ {
		b := make([]byte, 1<<20)
		for j := 0; j < len(b); j += 4096 {
			b[j] = 1
		}
		a.held = append(a.held, b)
	}
	fmt.Fprintf(a.log, "web: now holding %d MB\n", len(a.held))
	fmt.Fprintf(w, "holding %d MB\n", len(a.held))
}

// hang answers only after ?s= seconds (default 60), like a stuck worker.
func (a *app) hang(w http.ResponseWriter, r *http.Request) {
	s, err := strconv.Atoi(r.URL.Query().Get("s"))
	if err != nil || s <= 0 {
		s = 60
	}
	fmt.Fprintf(a.log, "web: hanging for %ds\n", s)
	select {
	case <-time.After(time.Duration(s) * time.Second):
	case <-r.Context().Done():
	case <-a.quit:
	}
	fmt.Fprintln(w, "done hanging")
}

// stick makes the index page hang from now on, as a deadlocked
// application would: what httpok is for.
func (a *app) stick(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.stuck = true
	a.mu.Unlock()
	fmt.Fprintln(a.log, "web: stuck on request; / no longer answers")
	fmt.Fprintln(w, "stuck: / no longer answers")
}

// crash exits with status 3 after answering, an unexpected exit.
func (a *app) crash(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, "crashing")
	fmt.Fprintln(a.log, "web: crashing on request")
	go func() {
		time.Sleep(100 * time.Millisecond)
		exit(3)
	}()
}
