package logcap

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
)

// AutoLogName names the file of a channel whose log is AUTO:
// <dir>/<process>-<channel>---<identifier>-<random>.log, as the
// reference's mkstemp names it (e.g.
// gsleep-stdout---supervisor-2384170562.log; the reference's random part
// is 8 letters and digits, ours is up to 20 digits, random enough that
// two names never meet). channel is "stdout" or "stderr". The reference
// names and creates the file when it reads the config; we only name it,
// and the channel creates it, mode 0600 as mkstemp does, when the program
// first writes to it (see [FileOptions.Lazy]). Call this once per process
// and config generation.
func AutoLogName(dir, process, channel, identifier string) string {
	return filepath.Join(dir, fmt.Sprintf("%s-%s---%s-%d.log", process, channel, identifier, rand.Uint64()))
}

// AutoLogPerm is the mode of an AUTO log file, mkstemp's.
const AutoLogPerm os.FileMode = 0o600

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
