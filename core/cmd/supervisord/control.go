package main

import (
	"log/slog"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/httpd"
	"github.com/lancerhq/lancer/core/internal/mainlog"
	"github.com/lancerhq/lancer/core/internal/metrics"
	"github.com/lancerhq/lancer/core/internal/rpc"
	"github.com/lancerhq/lancer/core/internal/supervisor"
)

// controlPlane is what serves the supervisor to the outside: XML-RPC, log
// tails and metrics on the configured HTTP servers.
type controlPlane struct {
	cfg      *config.File
	ml       *mainlog.Log
	log      *slog.Logger
	reg      *metrics.Registry
	counters *metrics.Counters
	srv      *httpd.Server
}

func newControlPlane(cfg *config.File, ml *mainlog.Log, log *slog.Logger) *controlPlane {
	return &controlPlane{cfg: cfg, ml: ml, log: log, reg: metrics.NewRegistry(), counters: metrics.NewCounters()}
}

// listen builds the handlers over s and binds every server, so that a
// socket already in use stops the daemon before it starts anything.
func (cp *controlPlane) listen(s *supervisor.Supervisor) error {
	if _, err := metrics.New(cp.reg, s, metrics.Options{Counters: cp.counters, Logger: cp.log}); err != nil {
		return err
	}
	ropts := rpc.Options{Config: s.Config, MainLog: cp.ml, Publish: s.Publish, Logger: cp.log}
	names := standardInterfaces(cp.cfg)
	if len(names) > 0 {
		ropts.Supervisor = s
		// The lancer.* methods come with the standard interface. They
		// read program sections again as the daemon loads the file: in
		// its working directory, with its environment (the command
		// line's overrides concern only [supervisord]).
		ropts.Scaler = supervisor.NewScaler(s, config.Options{})
	}
	cp.srv = httpd.New(httpd.Options{
		Unix: cp.cfg.UnixHTTPServers, Inet: cp.cfg.InetHTTPServers,
		RPC: rpc.New(ropts), Logs: s, MainLog: cp.ml, Metrics: metrics.Handler(cp.reg, cp.log),
		RPCInterfaces: names, Logger: cp.log,
	})
	return cp.srv.Listen()
}

// announce logs the servers' lines, at every start as the reference does.
func (cp *controlPlane) announce() {
	if cp.srv != nil {
		cp.srv.Announce()
	}
}

// standardInterfaces names the [rpcinterface:x] sections served: those of
// the standard supervisor interface (others name Python code).
func standardInterfaces(cfg *config.File) []string {
	var names []string
	for _, r := range cfg.RPCInterfaces {
		if r.Factory == config.StandardRPCInterface {
			names = append(names, r.Name)
		}
	}
	return names
}
