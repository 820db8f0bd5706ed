package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestDemoConfigLoads checks the config `make run` starts with our
// supervisord -t, so the README's first command keeps working.
func TestDemoConfigLoads(t *testing.T) {
	cmd := exec.Command(lancerBinary(t, "supervisord"), "-t", "-c", "../deploy/examples/demo.conf")
	cmd.Env = append(os.Environ(), "LANCER_DEMO_DIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "configuration is valid") || strings.Contains(string(out), "warning:") {
		t.Errorf("supervisord -t -c demo.conf = %v\n%s\nwant a valid config without warnings", err, out)
	}
}
