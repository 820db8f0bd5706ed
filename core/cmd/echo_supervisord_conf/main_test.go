package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lancerhq/lancer/core/internal/config"
)

func writeSample(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "supervisord.conf")
	if err := os.WriteFile(path, []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSampleLoads checks that the sample loads without errors or
// warnings, with the reference's defaults.
func TestSampleLoads(t *testing.T) {
	f, err := config.Load(writeSample(t), config.Options{})
	if err != nil {
		t.Fatalf("Load(sample): %v", err)
	}
	for _, w := range f.Warnings {
		t.Errorf("Load(sample) warning: %s", w)
	}
	if got := f.ServerURL(); got != "unix:///tmp/supervisor.sock" {
		t.Errorf("ServerURL() = %q; want unix:///tmp/supervisor.sock", got)
	}
	if s := f.Supervisord; s.LogfileMaxBytes != 50<<20 || s.LogfileBackups != 10 || s.LogLevel != config.LevelInfo || s.Nodaemon {
		t.Errorf("Supervisord = %+v; want the reference's defaults", s)
	}
	c, err := config.LoadCtl(writeSample(t), config.Options{})
	if err != nil || c.ServerURL != "unix:///tmp/supervisor.sock" {
		t.Errorf("LoadCtl(sample) = %+v, %v", c, err)
	}
}

// TestSampleUncommented uncomments every program, listener, group and
// include option and checks that the result still loads: the sample's
// examples must be valid as written.
func TestSampleUncommented(t *testing.T) {
	var b strings.Builder
	for line := range strings.Lines(sample) {
		if rest, ok := strings.CutPrefix(line, ";"); ok && (strings.Contains(rest, "=") || strings.HasPrefix(rest, "[")) {
			line = rest
		}
		b.WriteString(line)
	}
	text := strings.NewReplacer(
		"user=supervisord", "user=nobody", "user=chrism", "user=nobody",
		"directory=/tmp ", "directory=/ ", "files = relative/directory/*.ini", "files = *.ini",
		"serverurl=http://127.0.0.1:9001", "", "programs=progname1,progname2", "programs=theprogramname",
	).Replace(b.String())
	path := filepath.Join(t.TempDir(), "supervisord.conf")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := config.Load(path, config.Options{})
	if err != nil {
		t.Fatalf("Load(uncommented sample): %v", err)
	}
	if len(f.Groups) != 2 || len(f.InetHTTPServers) != 1 {
		t.Errorf("uncommented sample: %d groups, %d inet servers; want 2 and 1", len(f.Groups), len(f.InetHTTPServers))
	}
}

// TestReferenceAcceptsSample checks that the Python supervisord loads the
// sample too: it is a config for either daemon.
func TestReferenceAcceptsSample(t *testing.T) {
	const script = "import sys\nfrom supervisor.options import ServerOptions\nServerOptions().realize(args=['-c', sys.argv[1]])\n"
	out, err := exec.Command("/usr/bin/python3", "-c", script, writeSample(t)).CombinedOutput()
	if err != nil {
		t.Fatalf("the Python supervisord refuses the sample (run `make deps` if it is missing): %v\n%s", err, out)
	}
}
