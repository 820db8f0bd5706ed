// Package version holds the build's version string, stamped by the Makefile
// from git (`-X github.com/lancerhq/lancer/internal/version.Version=...`), so
// that every binary reports the commit it was built from.
package version

// Version is the git description of the build, or "dev" for a plain go build.
var Version = "dev"

// SupervisorVersion is the Python supervisord version whose behaviour Lancer
// reproduces; supervisor.getSupervisorVersion answers with it so that
// clients that switch on it keep working.
const SupervisorVersion = "4.2.5"
