package config

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
)

// expandUser replaces a leading "~" or "~name" the way Python's
// os.path.expanduser does: $HOME (from the environment supervisord sees)
// for "~", the account's home for "~name", and the text unchanged when the
// account does not exist.
func (ld *loader) expandUser(path string) string {
	if !strings.HasPrefix(path, "~") {
		return path
	}
	i := strings.IndexByte(path, '/')
	if i < 0 {
		i = len(path)
	}
	var home string
	if i == 1 {
		home = ld.env["ENV_HOME"]
		if _, ok := ld.env["ENV_HOME"]; !ok {
			u, err := user.Current()
			if err != nil {
				return path
			}
			home = u.HomeDir
		}
	} else {
		u, err := user.Lookup(path[1:i])
		if err != nil {
			return path
		}
		home = u.HomeDir
	}
	home = strings.TrimRight(home, "/")
	if home+path[i:] == "" {
		return "/"
	}
	return home + path[i:]
}

// abs makes path absolute against the working directory supervisord was
// started in, which is what the reference's relative paths mean.
func (ld *loader) abs(path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(ld.opts.Dir, path)
}

// isDir reports whether path is a directory. Answers are remembered for
// the load: a thousand programs logging to one directory stat it once.
func (ld *loader) isDir(path string) bool {
	path = ld.abs(path)
	is, ok := ld.dirs[path]
	if !ok {
		fi, err := os.Stat(path)
		is = err == nil && fi.IsDir()
		ld.dirs[path] = is
	}
	return is
}

// filePath reads a path whose directory must exist (a log or pid file); it
// returns it absolute.
func (ld *loader) filePath(text string) (string, error) {
	p := ld.expandUser(text)
	if dir := filepath.Dir(p); strings.ContainsRune(p, '/') && !ld.isDir(dir) {
		return "", fmt.Errorf("directory %s does not exist (in %q)", dir, text)
	}
	return ld.abs(p), nil
}

// dirPath reads a path that must be an existing directory; it returns it
// absolute.
func (ld *loader) dirPath(text string) (string, error) {
	p := ld.expandUser(text)
	if !ld.isDir(p) {
		return "", fmt.Errorf("%s is not an existing directory", text)
	}
	return ld.abs(p), nil
}

// lookupUser resolves a user name or numeric uid that must exist, and
// returns its uid and primary gid.
func lookupUser(name string) (uid, gid int, err error) {
	var u *user.User
	if n, nerr := pyInt(name, 10); nerr == nil {
		u, err = user.LookupId(strconv.Itoa(n))
	} else {
		u, err = user.Lookup(name)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("unknown user %q", name)
	}
	uid, _ = strconv.Atoi(u.Uid)
	gid, _ = strconv.Atoi(u.Gid)
	return uid, gid, nil
}

// parseUser is lookupUser for value: it returns {uid, gid}.
func parseUser(name string) ([2]int, error) {
	uid, gid, err := lookupUser(name)
	return [2]int{uid, gid}, err
}

// lookupGroup resolves a group name or numeric gid that must exist.
func lookupGroup(name string) (int, error) {
	var g *user.Group
	var err error
	if n, nerr := pyInt(name, 10); nerr == nil {
		g, err = user.LookupGroupId(strconv.Itoa(n))
	} else {
		g, err = user.LookupGroup(name)
	}
	if err != nil {
		return 0, fmt.Errorf("unknown group %q", name)
	}
	gid, _ := strconv.Atoi(g.Gid)
	return gid, nil
}

// parseOwner reads "user" or "user:group" (names or ids) for chown and
// socket_owner into {uid, gid}; gid is -1 when no group is given, leaving
// it unchanged.
func parseOwner(text string) ([2]int, error) {
	name, group, hasGroup := strings.Cut(text, ":")
	uid, _, err := lookupUser(name)
	gid := -1
	if err == nil && hasGroup {
		gid, err = lookupGroup(group)
	}
	if err != nil {
		return [2]int{}, fmt.Errorf("invalid owner %q: %w (want user or user:group)", text, err)
	}
	return [2]int{uid, gid}, nil
}
