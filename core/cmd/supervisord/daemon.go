package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/logcap"
	"github.com/lancerhq/lancer/core/internal/mainlog"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/core/internal/supervisor"
)

// daemon loads the config and runs the supervisor until it shuts down.
func daemon(ctx context.Context, args []string, f *flags, stdout, stderr io.Writer) int {
	path := f.config
	if path == "" {
		var err error
		if path, err = findConfig(stderr); err != nil {
			return usageError(stderr, err.Error())
		}
	}
	load := func() (*config.File, error) { return config.Load(path, config.Options{Overrides: f.overrides()}) }
	cfg, err := load()
	if err != nil {
		return usageError(stderr, err.Error())
	}
	if !cfg.Supervisord.Nodaemon && !isDaemonChild() {
		return daemonize(args, stderr)
	}
	ready := readyPipe()
	code, err := serve(ctx, cfg, load, ready != nil, stdout, func() { reportReady(ready, nil) })
	if err != nil {
		reportReady(ready, err)
		fmt.Fprintf(stderr, "Error: %v\n", err)
	}
	return code
}

// serve sets the process up as the reference does at startup (user,
// limits, log, directory and umask when daemonized, pid file), calls
// started, and runs the supervisor.
func serve(ctx context.Context, cfg *config.File, load func() (*config.File, error), daemonized bool, stdout io.Writer, started func()) (int, error) {
	sv := &cfg.Supervisord
	if err := dropPrivileges(sv); err != nil {
		return exitUsage, err
	}
	if err := raiseLimits(sv); err != nil {
		return exitUsage, err
	}
	if daemonized {
		if err := enterDirectory(sv); err != nil {
			return exitUsage, err
		}
	}
	ml, err := openMainLog(sv, stdout)
	if err != nil {
		return exitUsage, err
	}
	defer ml.Close()
	level := new(slog.LevelVar)
	level.Set(mainlog.LevelOf(int(sv.LogLevel)))
	logger := slog.New(mainlog.NewHandler(ml, &mainlog.HandlerOptions{Level: level}))
	if err := writePidfile(sv.Pidfile); err != nil {
		return exitUsage, err
	}
	defer os.Remove(sv.Pidfile)
	if err := supervisor.BecomeSubreaper(); err != nil {
		logger.Warn(err.Error())
	}
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGHUP, syscall.SIGUSR2, syscall.SIGCHLD)
	defer signal.Stop(sigs)
	cp := newControlPlane(cfg, ml, logger)
	s, err := supervisor.New(supervisor.Options{
		Config: cfg, Reload: cp.counters.Reload(load), Logger: logger, Signals: sigs, Reopen: ml.Reopen,
		Root:        os.Geteuid() == 0,
		Spawner:     &process.ExecSpawner{Shim: []string{"/proc/self/exe", process.ShimArg}},
		Events:      cp.counters.Observe,
		OnStart:     cp.announce,
		TuneRuntime: true,
		SteadyProcs: steadyProcs(os.LookupEnv),
	})
	if err != nil {
		return exitUsage, err
	}
	if err := cp.listen(s); err != nil {
		return exitUsage, err
	}
	started()
	return runAll(ctx, s, cp)
}

// runAll runs the supervisor and the HTTP servers together: when the
// supervisor returns (a shutdown), the servers stop too.
func runAll(ctx context.Context, s *supervisor.Supervisor, cp *controlPlane) (int, error) {
	httpCtx, stop := context.WithCancel(ctx)
	httpDone := make(chan error, 1)
	go func() { httpDone <- cp.srv.Run(httpCtx) }()
	err := s.Run(ctx)
	stop()
	<-httpDone
	if err != nil {
		return exitUsage, err
	}
	return exitOK, nil
}

// openMainLog opens the main log as [supervisord] says, mirrored to stdout
// in the foreground unless silent.
func openMainLog(sv *config.Supervisord, stdout io.Writer) (*mainlog.Log, error) {
	opts := mainlog.Options{
		Path:   sv.Logfile,
		File:   logcap.FileOptions{MaxBytes: sv.LogfileMaxBytes, Backups: sv.LogfileBackups},
		Errors: os.Stderr,
	}
	if sv.Logfile == "syslog" {
		opts.Path, opts.Syslog = "", logcap.NewSyslog("", "", "supervisord")
	}
	if sv.Nodaemon && !sv.Silent {
		opts.Stdout = stdout
	}
	return mainlog.Open(opts)
}

// writePidfile writes the daemon's pid, as the reference does.
func writePidfile(path string) error {
	if path == "" {
		return nil
	}
	if err := os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return fmt.Errorf("could not write pidfile %s: %w", path, err)
	}
	return nil
}

// enterDirectory applies directory and umask, which the reference applies
// only when it daemonizes.
func enterDirectory(sv *config.Supervisord) error {
	if sv.Directory != "" {
		if err := os.Chdir(sv.Directory); err != nil {
			return fmt.Errorf("can't chdir to %q: %w", sv.Directory, err)
		}
	}
	syscall.Umask(int(sv.Umask))
	return nil
}

// dropPrivileges switches to [supervisord] user=, which only root can do.
func dropPrivileges(sv *config.Supervisord) error {
	if sv.User == "" || os.Geteuid() == sv.UID {
		return nil
	}
	if os.Geteuid() != 0 {
		return errors.New("can't drop privilege as nonroot user")
	}
	if err := syscall.Setgroups([]int{sv.GID}); err != nil {
		return fmt.Errorf("could not set groups of user %s: %w", sv.User, err)
	}
	if err := syscall.Setgid(sv.GID); err != nil {
		return fmt.Errorf("could not set group id of user %s: %w", sv.User, err)
	}
	if err := syscall.Setuid(sv.UID); err != nil {
		return fmt.Errorf("could not set user id to %s: %w", sv.User, err)
	}
	return nil
}

// steadyProcs is the daemon's GOMAXPROCS once its programs run: 1, unless
// the environment sets GOMAXPROCS, which the runtime then follows. Events
// and output travel through a chain of goroutines that each do
// microseconds of work; with a thread per core, every hand-off wakes a
// sleeping thread, which costs more than the work itself (paired runs of
// the event benchmark: 18 µs of daemon CPU per event instead of 48, and
// twice the events per second). Start-ups, bursts of forks, keep the
// runtime's default (see supervisor.Options.SteadyProcs).
func steadyProcs(lookup func(string) (string, bool)) int {
	if _, set := lookup("GOMAXPROCS"); set {
		return 0
	}
	return 1
}
