package config

import (
	"regexp"
	"slices"
	"strings"
)

// dumpFile renders f in the JSON schema of testdata/oracle.py, so that
// our reading of a file can be compared with the reference's.
func dumpFile(f *File) map[string]any {
	rpc := []any{}
	for _, ri := range f.RPCInterfaces {
		rpc = append(rpc, map[string]any{"name": ri.Name, "factory": ri.Factory, "options": ri.Options})
	}
	groups := []any{}
	for _, g := range f.Groups {
		groups = append(groups, dumpGroup(g))
	}
	inet, unix := []any{}, []any{}
	for _, s := range f.InetHTTPServers {
		inet = append(inet, map[string]any{"name": orNil(s.Name), "host": s.Host, "port": s.Port,
			"username": orNil(s.Username), "password": orNil(s.Password)})
	}
	for _, s := range f.UnixHTTPServers {
		unix = append(unix, map[string]any{"name": orNil(s.Name), "file": s.File, "chmod": int(s.Chmod),
			"chown": []int{s.UID, s.GID}, "username": orNil(s.Username), "password": orNil(s.Password)})
	}
	return map[string]any{
		"supervisord":   dumpSupervisord(f.Supervisord),
		"inet_servers":  inet,
		"unix_servers":  unix,
		"serverurl":     orNil(f.ServerURL()),
		"rpcinterfaces": rpc,
		"groups":        groups,
		"included":      append([]string{}, f.Included...),
		"warnings":      referenceWarnings(f.Warnings),
	}
}

func dumpSupervisord(s Supervisord) map[string]any {
	var uid any
	if s.User != "" {
		uid = s.UID
	}
	return map[string]any{
		"logfile": s.Logfile, "logfile_maxbytes": s.LogfileMaxBytes, "logfile_backups": s.LogfileBackups,
		"loglevel": int(s.LogLevel), "pidfile": s.Pidfile, "umask": s.Umask, "nodaemon": s.Nodaemon,
		"silent": s.Silent, "minfds": s.Minfds, "minprocs": s.Minprocs, "nocleanup": s.Nocleanup,
		"childlogdir": s.Childlogdir, "user": orNil(s.User), "uid": uid, "directory": orNil(s.Directory),
		"strip_ansi": s.StripANSI, "identifier": s.Identifier, "environment": dumpEnv(s.Environment),
	}
}

func dumpGroup(g Group) map[string]any {
	procs := []any{}
	for _, p := range g.Processes {
		procs = append(procs, dumpProcess(p))
	}
	d := map[string]any{"name": g.Name, "kind": g.Kind.String(), "priority": g.Priority,
		"processes": procs, "pool": nil, "socket": nil}
	if g.Pool != nil {
		var events []string
		for _, e := range g.Pool.Events {
			events = append(events, string(e))
		}
		slices.Sort(events)
		d["pool"] = map[string]any{"buffer_size": g.Pool.BufferSize, "events": events}
	}
	if s := g.Socket; s != nil {
		sock := map[string]any{"url": s.URL, "backlog": nil, "mode": nil, "owner": nil}
		if s.Backlog != 0 {
			sock["backlog"] = s.Backlog
		}
		if s.Network == "unix" {
			sock["mode"] = int(s.Mode)
		}
		if s.UID != -1 {
			sock["owner"] = []int{s.UID, s.GID}
		}
		d["socket"] = sock
	}
	return d
}

func dumpProcess(p Process) map[string]any {
	var umask, uid any
	if p.Umask >= 0 {
		umask = p.Umask
	}
	if p.User != "" {
		uid = p.UID
	}
	return map[string]any{
		"name": p.Name, "command": p.Command, "directory": orNil(p.Directory), "umask": umask,
		"priority": p.Priority, "autostart": p.AutoStart, "autorestart": p.AutoRestart.String(),
		"startsecs": int(p.StartSecs.Seconds()), "startretries": p.StartRetries, "uid": uid,
		"stdout": dumpLog(p.Stdout), "stderr": dumpLog(p.Stderr),
		"stopsignal": int(p.StopSignal), "stopwaitsecs": int(p.StopWaitSecs.Seconds()),
		"stopasgroup": p.StopAsGroup, "killasgroup": p.KillAsGroup,
		"exitcodes": append([]int{}, p.ExitCodes...), "redirect_stderr": p.RedirectStderr,
		"environment": dumpEnv(p.Environment), "serverurl": orNil(p.ServerURL),
	}
}

func dumpLog(l Log) map[string]any {
	var file any
	switch l.Kind {
	case LogAuto:
		file = "AUTO"
	case LogFile:
		file = l.Path
	}
	return map[string]any{"logfile": file, "maxbytes": l.MaxBytes, "backups": l.Backups,
		"capture_maxbytes": l.CaptureMaxBytes, "events_enabled": l.EventsEnabled, "syslog": l.Syslog}
}

func dumpEnv(e Env) [][]string {
	out := [][]string{}
	for _, kv := range e {
		out = append(out, []string{kv.Key, kv.Value})
	}
	return out
}

func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// referenceWarnings keeps the warnings the reference gives too, in
// oracle.py's normalised form; the others are ours alone.
func referenceWarnings(ws []Warning) [][]string {
	var out [][]string
	for _, w := range ws {
		var k []string
		switch {
		case strings.HasPrefix(w.Msg, "no file matches "):
			k = []string{"include-nomatch", quoted.FindStringSubmatch(w.Msg)[1]}
		case strings.HasPrefix(w.Msg, "syslog as a file name"):
			k = []string{"syslog-deprecated", w.Section, w.Option}
		case strings.HasPrefix(w.Msg, "AUTO log with"):
			k = []string{"auto-norollover", w.Section, w.Option}
		case strings.HasPrefix(w.Msg, "ignored: redirect_stderr"):
			k = []string{"redirect-stderr-file", w.Section}
		default:
			continue
		}
		if !slices.ContainsFunc(out, func(o []string) bool { return slices.Equal(o, k) }) {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, slices.Compare)
	return append([][]string{}, out...)
}

var quoted = regexp.MustCompile(`"(.*)"`)
