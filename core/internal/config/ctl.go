package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Ctl is the client side of a config file: the [supervisorctl] section,
// which is all supervisorctl reads.
type Ctl struct {
	Path        string // the file read, or "" when there was none
	ServerURL   string // "http://host:port" or "unix:///absolute/path"
	Username    string
	Password    string
	Prompt      string // shown as "supervisor> "
	HistoryFile string // absolute, or "" for no history
	Warnings    []Warning
}

// DefaultCtl is the client configuration when there is no config file.
func DefaultCtl() *Ctl {
	return &Ctl{ServerURL: "http://localhost:9001", Prompt: "supervisor"}
}

// LoadCtl reads the [supervisorctl] section of the file at path, which
// must have one. A path of "" means no file (none was found on the search
// path, which supervisorctl tolerates): it returns [DefaultCtl]. Other
// sections are not read, as the reference's supervisorctl does not read
// them, except that [ctlplugin:x] ones get a warning.
func LoadCtl(path string, opts Options) (*Ctl, error) {
	if path == "" {
		return DefaultCtl(), nil
	}
	ld, err := newLoader(path, opts)
	if err != nil {
		return nil, err
	}
	data, err := readFile(path)
	if err != nil {
		return nil, ErrorList{{File: path, Err: err}}
	}
	scan(ld.st, path, data, &ld.pb)
	if ld.pb.errs != nil {
		return nil, ld.pb.err()
	}
	c := ld.ctl()
	c.Warnings = ld.pb.warnings()
	if err := ld.pb.err(); err != nil {
		return nil, err
	}
	return c, nil
}

func (ld *loader) ctl() *Ctl {
	const sec = "supervisorctl"
	c := DefaultCtl()
	c.Path = ld.main
	if !ld.st.has(sec) {
		ld.pb.fail(pos{ld.main, 0}, "", "", errors.New("no [supervisorctl] section (supervisorctl needs one to read a config file)"))
		return c
	}
	for _, opt := range ld.st.ownOptions(sec) {
		if !contains(ctlOptions, opt) {
			ld.unknownOption(sec, opt)
		}
	}
	for _, s := range ld.st.sections() {
		if strings.HasPrefix(s, "ctlplugin:") {
			ld.pb.warn(ld.sectionPos(s), s, "", "names Python code, which lancer cannot load (ignored)")
		}
	}
	withHere := names{local: map[string]any{"here": ld.here}, env: ld.env}
	envOnly := names{env: ld.env}
	c.ServerURL, _, _ = ld.text(sec, "serverurl", c.ServerURL, withHere)
	if p, ok := strings.CutPrefix(c.ServerURL, "unix://"); ok {
		c.ServerURL = "unix://" + ld.abs(ld.expandUser(p))
	}
	c.Prompt, _, _ = ld.text(sec, "prompt", c.Prompt, envOnly)
	c.Username, _, _ = ld.text(sec, "username", "", envOnly)
	c.Password, _, _ = ld.text(sec, "password", "", envOnly)
	if h, _, _ := ld.text(sec, "history_file", "", withHere); h != "" {
		c.HistoryFile = ld.abs(ld.expandUser(h))
	}
	return c
}

// SearchPaths returns where supervisord and supervisorctl look for a
// config file when -c is not given, in order, for the executable at the
// given path: beside its directory's parent (HERE/etc/supervisord.conf,
// HERE/supervisord.conf), in the working directory (supervisord.conf,
// etc/supervisord.conf), then /etc/supervisord.conf and
// /etc/supervisor/supervisord.conf.
func SearchPaths(executable string) []string {
	here := filepath.Dir(filepath.Dir(executable))
	return []string{
		filepath.Join(here, "etc", "supervisord.conf"),
		filepath.Join(here, "supervisord.conf"),
		"supervisord.conf",
		"etc/supervisord.conf",
		"/etc/supervisord.conf",
		"/etc/supervisor/supervisord.conf",
	}
}

// Find returns the first of paths that exists. When none does, the error
// wraps [ErrNoConfigFile] and lists them.
func Find(paths []string) (string, error) {
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w at the default paths (%s); use -c to name one", ErrNoConfigFile, strings.Join(paths, ", "))
}
