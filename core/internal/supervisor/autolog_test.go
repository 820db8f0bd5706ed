package supervisor

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/internal/testproc"
)

// TestAutoLogsCreatedByFirstWrite: AUTO logs are named at start, under
// childlogdir with the reference's pattern, and created, mode 0600, by the
// program's first write to them. A log nobody has written to yet reads
// back empty, without an error, as the empty file the reference creates
// at start would.
func TestAutoLogsCreatedByFirstWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "supervisord.conf")
	text := `[supervisord]
childlogdir = %(here)s
identifier = auto

[program:quiet]
command = /bin/sleep 30
startsecs = 0

[program:talker]
command = /bin/sh -c "echo hello; exec /bin/sleep 30"
startsecs = 0
`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, config.Options{Environ: []string{}, Hostname: "h", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	r := startRealConfig(t, cfg, nil)
	logs := map[string]ProcessStatus{}
	for _, st := range r.Snapshot() {
		logs[st.Config.Name] = st
	}
	pattern := regexp.MustCompile(`^(quiet|talker)-(stdout|stderr)---auto-\d+\.log$`)
	for name, st := range logs {
		for _, p := range []string{st.StdoutLogfile, st.StderrLogfile} {
			if filepath.Dir(p) != dir || !pattern.MatchString(filepath.Base(p)) {
				t.Errorf("%s: AUTO log %q; want %s/%s-<stream>---auto-N.log", name, p, dir, name)
			}
		}
	}
	talker := logs["talker"].StdoutLogfile
	testproc.WaitFor(t, 10*time.Second, "talker's first output in its log", func() bool {
		b, err := os.ReadFile(talker)
		return err == nil && string(b) == "hello\n"
	})
	if fi, err := os.Stat(talker); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("talker's stdout log: %v, %v; want mode 0600", fi, err)
	}
	for _, p := range []string{logs["quiet"].StdoutLogfile, logs["quiet"].StderrLogfile, logs["talker"].StderrLogfile} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists (%v) though nothing was written to it", p, err)
		}
	}
	ch, err := r.Log("quiet", "stdout")
	if err != nil {
		t.Fatal(err)
	}
	if data, err := ch.Read(-100, 0); err != nil || len(data) != 0 {
		t.Errorf("quiet's stdout log reads %q, %v; want empty, no error", data, err)
	}
}
