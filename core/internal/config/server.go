package config

import (
	"errors"
	"os"
	"strings"
)

// supervisord reads the [supervisord] section.
func (ld *loader) supervisord() {
	const sec = "supervisord"
	if !ld.st.has(sec) {
		ld.pb.fail(pos{ld.main, 0}, "", "", errors.New("no [supervisord] section (every supervisord config needs one)"))
	}
	nm := names{local: map[string]any{"here": ld.here}, env: ld.env}
	s := &ld.file.Supervisord
	s.Minfds = value(ld, sec, "minfds", "1024", nm, parseCount)
	s.Minprocs = value(ld, sec, "minprocs", "200", nm, parseCount)
	if ld.has(sec, "directory") {
		s.Directory = value(ld, sec, "directory", ".", nm, ld.dirPath)
	}
	if ld.has(sec, "user") {
		s.User, _, _ = ld.text(sec, "user", "", nm)
		ids := value(ld, sec, "user", "", nm, parseUser)
		s.UID, s.GID = ids[0], ids[1]
	}
	s.Umask = value(ld, sec, "umask", "022", nm, parseOctal)
	s.Logfile = value(ld, sec, "logfile", "supervisord.log", nm, ld.mainLogPath)
	s.LogfileMaxBytes = value(ld, sec, "logfile_maxbytes", "50MB", nm, parseByteSize)
	s.LogfileBackups = value(ld, sec, "logfile_backups", "10", nm, parseCount)
	s.LogLevel = value(ld, sec, "loglevel", "info", nm, parseLogLevel)
	s.Pidfile = value(ld, sec, "pidfile", "supervisord.pid", nm, ld.filePath)
	s.Identifier, _, _ = ld.text(sec, "identifier", "supervisor", nm)
	s.Nodaemon = value(ld, sec, "nodaemon", "false", nm, parseBool)
	s.Silent = value(ld, sec, "silent", "false", nm, parseBool)
	s.Childlogdir = value(ld, sec, "childlogdir", os.TempDir(), nm, ld.dirPath)
	s.Nocleanup = value(ld, sec, "nocleanup", "false", nm, parseBool)
	s.StripANSI = value(ld, sec, "strip_ansi", "false", nm, parseBool)
	s.Environment = ld.supervisordEnv()
}

// mainLogPath is filePath, except that "syslog" means syslog.
func (ld *loader) mainLogPath(text string) (string, error) {
	if text == "syslog" {
		return text, nil
	}
	return ld.filePath(text)
}

// supervisordEnv reads [supervisord] environment. The reference expands
// it twice, the second time with host_node_name too, so "%%" does not
// give a literal "%" there; its keys then become ENV_ names for every
// section read after it.
func (ld *loader) supervisordEnv() Env {
	const sec, opt = "supervisord", "environment"
	first := names{local: map[string]any{"here": ld.here}, env: ld.env}
	text, at, ok := ld.text(sec, opt, "", first)
	if !ok {
		return nil
	}
	second := names{local: map[string]any{"here": ld.here, "host_node_name": ld.opts.Hostname}, env: ld.env}
	text, err := expand(text, second)
	if err == nil {
		var env Env
		var dropped []string
		if env, dropped, err = parseEnv(text); err == nil {
			for _, msg := range dropped {
				ld.pb.warn(at, sec, opt, msg)
			}
			for _, kv := range env {
				ld.env["ENV_"+kv.Key] = kv.Value
			}
			return env
		}
	}
	ld.pb.fail(at, sec, opt, err)
	return nil
}

// servers reads the [inet_http_server] and [unix_http_server] sections,
// named or not, in file order. Their options see only the environment
// (and %(here)s for the socket file), as in the reference.
func (ld *loader) servers() {
	for _, sec := range ld.st.sections() {
		name := ""
		if _, n, ok := strings.Cut(sec, ":"); ok {
			name = n
		}
		switch {
		case sec == "inet_http_server" || strings.HasPrefix(sec, "inet_http_server:"):
			ld.inetServer(sec, name)
		case sec == "unix_http_server" || strings.HasPrefix(sec, "unix_http_server:"):
			ld.unixServer(sec, name)
		}
	}
}

func (ld *loader) inetServer(sec, name string) {
	nm := names{env: ld.env}
	s := InetHTTPServer{Name: name}
	s.Username, s.Password = ld.credentials(sec, nm)
	if !ld.has(sec, "port") {
		ld.pb.fail(ld.sectionPos(sec), sec, "port", errors.New("missing (want host:port, *:port or port)"))
		return
	}
	if text, at, ok := ld.text(sec, "port", "", nm); ok {
		var err error
		if s.Host, s.Port, err = parseInetAddress(text); err != nil {
			ld.pb.fail(at, sec, "port", err)
		}
	}
	ld.file.InetHTTPServers = append(ld.file.InetHTTPServers, s)
}

func (ld *loader) unixServer(sec, name string) {
	nm := names{env: ld.env}
	s := UnixHTTPServer{Name: name, UID: -1, GID: -1, Chmod: 0o700}
	if !ld.has(sec, "file") {
		ld.pb.fail(ld.sectionPos(sec), sec, "file", errors.New("missing (want the path of the socket)"))
		return
	}
	file, _, _ := ld.text(sec, "file", "", names{local: map[string]any{"here": ld.here}, env: ld.env})
	s.File = ld.abs(ld.expandUser(pyStrip(file)))
	s.Username, s.Password = ld.credentials(sec, nm)
	if ld.has(sec, "chown") {
		owner := value(ld, sec, "chown", "", nm, parseOwner)
		s.UID, s.GID = owner[0], owner[1]
	}
	s.Chmod = os.FileMode(value(ld, sec, "chmod", "0700", nm, parseOctal))
	ld.file.UnixHTTPServers = append(ld.file.UnixHTTPServers, s)
}

// credentials reads username and password, which go together.
func (ld *loader) credentials(sec string, nm names) (user, pass string) {
	user, _, _ = ld.text(sec, "username", "", nm)
	pass, _, _ = ld.text(sec, "password", "", nm)
	if hu, hp := ld.has(sec, "username"), ld.has(sec, "password"); hu != hp {
		missing := "password"
		if hp {
			missing = "username"
		}
		ld.pb.fail(ld.sectionPos(sec), sec, missing, errors.New("missing (username and password go together)"))
	}
	return user, pass
}

// rpcInterfaces reads the [rpcinterface:x] sections. Their factories name
// Python code; the standard one is what our XML-RPC server implements.
func (ld *loader) rpcInterfaces() {
	const key = "supervisor.rpcinterface_factory"
	nm := names{env: ld.env}
	for _, sec := range ld.st.sections() {
		name, ok := strings.CutPrefix(sec, "rpcinterface:")
		if !ok {
			continue
		}
		if !ld.has(sec, key) {
			ld.pb.fail(ld.sectionPos(sec), sec, key, errors.New("missing (want "+StandardRPCInterface+")"))
			continue
		}
		ri := RPCInterface{Name: name, Options: map[string]string{}}
		var at pos
		ri.Factory, at, _ = ld.text(sec, key, "", nm)
		for _, opt := range ld.st.options(sec) {
			if opt != key {
				ri.Options[opt], _, _ = ld.text(sec, opt, "", nm)
			}
		}
		if ri.Factory != StandardRPCInterface {
			ld.pb.warn(at, sec, key, "names Python code, which lancer cannot load (ignored)")
		} else if len(ri.Options) > 0 {
			ld.pb.warn(at, sec, "", "the standard interface takes no options (ignored)")
		}
		ld.file.RPCInterfaces = append(ld.file.RPCInterfaces, ri)
	}
}
