package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOverrides(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "supervisord.conf")
	if err := os.WriteFile(path, []byte("[supervisord]\nloglevel=info\nidentifier=fromfile\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		overrides map[string]string
		wantLevel LogLevel
		wantID    string
		wantErr   string
	}{
		{"none", nil, LevelInfo, "fromfile", ""},
		{"level and identifier", map[string]string{"loglevel": "debug", "identifier": "cli"}, LevelDebug, "cli", ""},
		{"bad level", map[string]string{"loglevel": "loud"}, 0, "", "command line: [supervisord] loglevel: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := Load(path, Options{Dir: dir, Hostname: "h", Environ: []string{}, Overrides: tt.overrides})
			if tt.wantErr != "" {
				if err == nil || len(err.Error()) < len(tt.wantErr) || err.Error()[:len(tt.wantErr)] != tt.wantErr {
					t.Fatalf("Load with %v = %v; want an error starting %q", tt.overrides, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.Supervisord.LogLevel != tt.wantLevel || f.Supervisord.Identifier != tt.wantID {
				t.Errorf("Load with %v = level %v, identifier %q; want %v, %q", tt.overrides, f.Supervisord.LogLevel, f.Supervisord.Identifier, tt.wantLevel, tt.wantID)
			}
		})
	}
}
