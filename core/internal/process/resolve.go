package process

import (
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"

	"github.com/lancerhq/lancer/internal/pyrepr"
)

// defaultPath is the reference's search path when neither the program's
// environment nor the daemon's has a PATH.
const defaultPath = "/bin:/usr/bin:/usr/local/bin"

// resolve turns Argv[0] into the file to execute and checks it, as the
// reference's get_execv_args and check_execv_args do (reference §3.6): a
// name with a slash is used as is, any other is searched in PATH; the
// first PATH entry where the name exists wins, whatever it is. The error
// is a [*SpawnError] with the reference's text.
func resolve(spec SpawnSpec) (string, error) {
	if len(spec.Argv) == 0 {
		return "", &SpawnError{Msg: "command is empty", Err: ErrNotExecutable}
	}
	prog, filename := spec.Argv[0], spec.Argv[0]
	var st fs.FileInfo
	if strings.Contains(prog, "/") {
		st, _ = os.Stat(prog)
	} else {
		for _, dir := range strings.Split(searchPath(spec.Env), ":") {
			if s, err := os.Stat(pathJoin(dir, prog)); err == nil {
				st, filename = s, pathJoin(dir, prog)
				break
			}
		}
	}
	return filename, checkCommand(filename, st)
}

func checkCommand(filename string, st fs.FileInfo) error {
	switch {
	case st == nil:
		return &SpawnError{Msg: "can't find command " + pyrepr.Str(filename), Err: ErrNotFound}
	case st.IsDir():
		return &SpawnError{Msg: fmt.Sprintf("command at %s is a directory", pyrepr.Str(filename)), Err: ErrNotExecutable}
	case st.Mode().Perm()&0o111 == 0:
		return &SpawnError{Msg: fmt.Sprintf("command at %s is not executable", pyrepr.Str(filename)), Err: ErrNotExecutable}
	case syscall.Access(filename, 1 /* X_OK */) != nil:
		return &SpawnError{Msg: "no permission to run command " + pyrepr.Str(filename), Err: ErrNotExecutable}
	}
	return nil
}

// searchPath is the PATH a command is looked up in: the child's own if its
// environment sets one, else the daemon's, else defaultPath.
func searchPath(env []string) string {
	if env == nil {
		env = os.Environ()
	}
	path := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v // the last one wins, as in os/exec
		}
	}
	if path == "" {
		return defaultPath
	}
	return path
}

// pathJoin joins like Python's os.path.join, without cleaning, so that
// messages show the path the reference would.
func pathJoin(dir, name string) string {
	if dir == "" || strings.HasSuffix(dir, "/") {
		return dir + name
	}
	return dir + "/" + name
}
