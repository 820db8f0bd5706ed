package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
	buildOut  []byte
)

// lancerBinary returns the path of our binary name, built once per test
// run into a temporary directory. LANCER_BIN_DIR points at prebuilt
// binaries instead (for example bin/ after make build, or the Python
// supervisord's directory to check that a scenario is deterministic by
// comparing the reference with itself).
func lancerBinary(t *testing.T, name string) string {
	t.Helper()
	if dir := os.Getenv("LANCER_BIN_DIR"); dir != "" {
		return filepath.Join(dir, name)
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "lancer-e2e-bin-")
		if buildErr != nil {
			return
		}
		pkgs := []string{"../core/cmd/...", "../deploy/examples/demoapp"}
		if _, err := os.Stat("../listeners"); err == nil {
			pkgs = append(pkgs, "../listeners/...")
		}
		// The Makefile's tags, so that what is tested is what ships.
		cmd := exec.Command("go", append([]string{"build", "-tags", "nethttpomithttp2", "-o", buildDir + "/"}, pkgs...)...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("build binaries: %v\n%s", buildErr, buildOut)
	}
	return filepath.Join(buildDir, name)
}
