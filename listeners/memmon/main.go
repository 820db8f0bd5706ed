// Memmon restarts supervised programs whose resident memory exceeds a
// limit: a drop-in for superlance's memmon, run by supervisord as an
// event listener subscribed to TICK_60 (or TICK_5):
//
//	[eventlistener:memmon]
//	command=memmon -a 200MB -m ops@example.org
//	events=TICK_60
//
// It takes memmon.py's command line, prints the same lines on stderr and
// sends the same mails, but reads memory from /proc instead of running
// ps, never dies on a fault or an unreachable supervisord, and adds
// hysteresis, a start grace, a restart limit, percentage limits and
// webhook and Alertmanager alerts (see usageText and the README for
// the superlance defects it fixes).
//
// Its stdout is the event listener protocol and nothing else: a stray
// byte there desynchronises supervisord. Everything memmon prints goes
// to stderr, which supervisord logs to the listener's stderr_logfile.
package main

import (
	"context"
	"os"

	"github.com/shirou/gopsutil/v3/process"
)

func main() {
	// -c reads every process's parent each TICK; without the cache
	// gopsutil re-reads /proc/stat for the boot time at each one.
	process.EnableBootTimeCache(true)
	e := env{getenv: os.Getenv, procRoot: "/proc", cgroup: "/sys/fs/cgroup"}
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, e))
}
