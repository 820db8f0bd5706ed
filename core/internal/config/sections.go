package config

import (
	"slices"
	"strings"
)

// Option names by section kind, for the unknown-option warnings.
var (
	supervisordOptions = []string{
		"logfile", "logfile_maxbytes", "logfile_backups", "loglevel", "pidfile",
		"umask", "nodaemon", "silent", "minfds", "minprocs", "nocleanup",
		"childlogdir", "user", "directory", "strip_ansi", "environment", "identifier",
	}
	unixServerOptions = []string{"file", "chmod", "chown", "username", "password"}
	inetServerOptions = []string{"port", "username", "password"}
	ctlOptions        = []string{"serverurl", "username", "password", "prompt", "history_file"}
	groupOptions      = []string{"programs", "priority"}
	includeOptions    = []string{"files"}
	programOptions    = []string{
		"command", "process_name", "numprocs", "numprocs_start", "priority",
		"autostart", "autorestart", "startsecs", "startretries", "exitcodes",
		"stopsignal", "stopwaitsecs", "stopasgroup", "killasgroup", "user",
		"redirect_stderr", "environment", "directory", "umask", "serverurl",
		"stdout_logfile", "stdout_logfile_maxbytes", "stdout_logfile_backups",
		"stdout_capture_maxbytes", "stdout_events_enabled", "stdout_syslog",
		"stderr_logfile", "stderr_logfile_maxbytes", "stderr_logfile_backups",
		"stderr_capture_maxbytes", "stderr_events_enabled", "stderr_syslog",
	}
	listenerOptions = append([]string{"events", "buffer_size", "result_handler"}, programOptions...)
	fcgiOptions     = append([]string{"socket", "socket_backlog", "socket_owner", "socket_mode"}, programOptions...)
)

// sectionKind names the kind of a section and the options it takes; nil
// options means any (plugin sections pass theirs to Python code).
type sectionKind struct {
	prefix  string // "program:" or an exact name
	exact   bool
	named   bool // "unix_http_server" and "unix_http_server:x" are both fine
	options []string
}

var sectionKinds = []sectionKind{
	{prefix: "supervisord", exact: true, options: supervisordOptions},
	{prefix: "supervisorctl", exact: true, options: ctlOptions},
	{prefix: "include", exact: true, options: includeOptions},
	{prefix: "unix_http_server", named: true, options: unixServerOptions},
	{prefix: "inet_http_server", named: true, options: inetServerOptions},
	{prefix: "program:", options: programOptions},
	{prefix: "group:", options: groupOptions},
	{prefix: "eventlistener:", options: listenerOptions},
	{prefix: "fcgi-program:", options: fcgiOptions},
	{prefix: "rpcinterface:"},
	{prefix: "ctlplugin:"},
}

func kindOf(sec string) (sectionKind, bool) {
	for _, k := range sectionKinds {
		switch {
		case k.exact && sec == k.prefix,
			k.named && (sec == k.prefix || strings.HasPrefix(sec, k.prefix+":")),
			!k.exact && !k.named && strings.HasPrefix(sec, k.prefix):
			return k, true
		}
	}
	return sectionKind{}, false
}

// checkNames warns about sections and options supervisord does not know.
// The reference ignores them silently, which hides typos such as
// [programs:web] or autorestrat=.
func (ld *loader) checkNames() {
	for _, sec := range ld.st.sections() {
		k, ok := kindOf(sec)
		if !ok {
			ld.pb.warn(ld.sectionPos(sec), sec, "", "unknown section (ignored)")
			continue
		}
		if k.options == nil {
			continue
		}
		for _, opt := range ld.st.ownOptions(sec) {
			if !slices.Contains(k.options, opt) {
				ld.unknownOption(sec, opt)
			}
		}
	}
	for _, opt := range ld.st.ownOptions(defaultSection) {
		if !knownAnywhere(opt) {
			ld.unknownOption(defaultSection, opt)
		}
	}
}

func (ld *loader) unknownOption(sec, opt string) {
	_, at, _ := ld.st.get(sec, opt)
	msg := "unknown option (ignored)"
	if sec == "supervisord" && opt == "profile_options" {
		msg = "only the reference's command line takes this option (ignored)"
	}
	ld.pb.warn(at, sec, opt, msg)
}

func knownAnywhere(opt string) bool {
	for _, k := range sectionKinds {
		if slices.Contains(k.options, opt) {
			return true
		}
	}
	return false
}
