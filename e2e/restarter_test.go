package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/testproc"
)

// TestChildutilsListenerRestartsThroughRPC runs a superlance-style Python
// listener, which restarts a program through XML-RPC on TICK_5, under the
// reference and under ours: both must let it.
func TestChildutilsListenerRestartsThroughRPC(t *testing.T) {
	requireOracle(t)
	daemons := map[string]string{"reference": oracleDaemon, "ours": lancerBinary(t, "supervisord")}
	for name, path := range daemons {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := newConfData(t)
			script, _ := filepath.Abs(filepath.Join("testdata", "restarter.py"))
			out := filepath.Join(d.Dir, "restarted")
			d.Listener = strings.Join([]string{oraclePython, "-u", script, out}, " ")
			conf := writeConf(t, "restarter.conf", d)
			dmn := startDaemon(t, path, conf, d.Sock)
			var got string
			testproc.WaitFor(t, 20*time.Second, "the listener to restart victim", func() bool {
				b, err := os.ReadFile(out)
				got = string(b)
				return err == nil && strings.HasSuffix(got, "\n")
			})
			var old, new int
			if _, err := fmt.Sscanf(got, "%d %d", &old, &new); err != nil || old <= 0 || new <= 0 || old == new {
				t.Errorf("restart through XML-RPC: pids %q; want two different pids", got)
			}
			dmn.stop(t)
			assertNoneLeft(t, d.Dir)
		})
	}
}
