package logcap

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// CreateAutoLog creates the file for a channel whose log is AUTO and
// returns its name: <dir>/<process>-<channel>---<identifier>-<random>.log,
// mode 0600, created exclusively as the reference's mkstemp does (e.g.
// gsleep-stdout---supervisor-2384170562.log; the reference's random part
// is 8 letters and digits, ours is digits). channel is "stdout" or
// "stderr". The reference names the file when it reads the config, so a
// name lasts until the next reload; call this once per process and
// config generation.
func CreateAutoLog(dir, process, channel, identifier string) (string, error) {
	f, err := os.CreateTemp(dir, fmt.Sprintf("%s-%s---%s-*.log", process, channel, identifier))
	if err != nil {
		return "", fmt.Errorf("create AUTO log for %s %s: %w", process, channel, err)
	}
	name := f.Name()
	return name, f.Close()
}

// CleanAutoLogs removes the AUTO logs of an earlier run with the same
// identifier from dir: every file whose name matches the reference's
// `.+?---<identifier>-\S+\.log\.{0,1}\d{0,4}` (matched at the start of the
// name, as Python's re.match does), backups included. supervisord does
// this at start and at each reload unless nocleanup is set. The
// identifier is matched literally; the reference puts it into its regular
// expression unquoted. It returns an error for the directory and for each
// file it could not remove, and goes on past the latter.
func CleanAutoLogs(dir, identifier string) error {
	re := regexp.MustCompile(`^.+?---` + regexp.QuoteMeta(identifier) + `-\S+\.log\.?\d{0,4}`)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("clean AUTO logs: %w", err)
	}
	var errs []error
	for _, e := range entries {
		if !re.MatchString(e.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, fmt.Errorf("clean AUTO logs: %w", err))
		}
	}
	return errors.Join(errs...)
}
