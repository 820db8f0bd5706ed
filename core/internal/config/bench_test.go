package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkLoad1000Programs loads a config of 1,000 programs with the
// options real configs set. Target: under 50 ms per load.
func BenchmarkLoad1000Programs(b *testing.B) {
	var text strings.Builder
	text.WriteString("[supervisord]\nlogfile = %(here)s/supervisord.log\nenvironment = LANG=C.UTF-8,TZ=UTC\n\n")
	text.WriteString("[unix_http_server]\nfile = %(here)s/supervisor.sock\n\n")
	for i := range 1000 {
		fmt.Fprintf(&text, `[program:app%04d]
command = /usr/bin/app --port %d --name %%(program_name)s
directory = %%(here)s
autostart = true
autorestart = unexpected
startsecs = 5
stopsignal = TERM
stopwaitsecs = 20
priority = %d
redirect_stderr = true
stdout_logfile = %%(here)s/%%(program_name)s.log
stdout_logfile_maxbytes = 10MB
stdout_logfile_backups = 5
environment = PORT="%d",ROLE="web"

`, i, 8000+i, 100+i%10, 8000+i)
	}
	path := filepath.Join(b.TempDir(), "supervisord.conf")
	if err := os.WriteFile(path, []byte(text.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	opts := Options{Environ: os.Environ(), Dir: b.TempDir(), Hostname: "bench"}
	b.ReportAllocs()
	for b.Loop() {
		f, err := Load(path, opts)
		if err != nil || len(f.Groups) != 1000 {
			b.Fatalf("Load: %d groups, %v", len(f.Groups), err)
		}
	}
}
