package config

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestWarnings loads every testdata/warn/*.conf, which load but deserve a
// warning, and checks the warnings against their .warn golden file.
func TestWarnings(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "warn", "*.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			f, err := Load(file, Options{Environ: testEnviron(), Dir: t.TempDir()})
			if err != nil {
				t.Fatalf("Load(%s): %v", file, err)
			}
			// Absolute paths in warnings depend on where the checkout is.
			abs, err := filepath.Abs(".")
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, w := range f.Warnings {
				b.WriteString(strings.ReplaceAll(w.String(), abs, "$PKG") + "\n")
			}
			golden(t, strings.TrimSuffix(file, ".conf")+".warn", b.String())
		})
	}
}
