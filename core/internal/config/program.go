package config

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// section is one [program:x], [eventlistener:x] or [fcgi-program:x] being
// read: the options common to all its processes, then one Process per
// process_num. It follows the reference's order of reading so that the
// same names are available to the same options: priority, user, umask,
// serverurl and the other policy options see here, program_name,
// group_name and host_node_name; process_name, environment, directory,
// the log options and command see process_num and numprocs too, and the
// program's own environment as ENV_ names after it is read.
type section struct {
	ld              *loader
	sec             string
	base            Process // the options read once
	nm              names   // grows per process, as the reference's dict does
	tmpl            string  // process_name template
	tmplAt          pos
	envText         string
	envAt           pos
	numprocs, start int
}

// processes reads sec into the processes of group groupName.
func (ld *loader) processes(sec, groupName string) []Process {
	_, after, _ := strings.Cut(sec, ":")
	program, err := parseName(after)
	if err != nil {
		ld.pb.fail(ld.sectionPos(sec), sec, "", err)
		return nil
	}
	s := &section{ld: ld, sec: sec}
	s.nm = names{env: ld.env, local: map[string]any{
		"here": ld.here, "program_name": program,
		"host_node_name": ld.opts.Hostname, "group_name": groupName,
	}}
	s.base.Program = program
	if !s.readCommon() {
		return nil
	}
	if ld.nprocs += s.numprocs; ld.nprocs > ld.opts.maxProcesses {
		ld.pb.fail(ld.sectionPos(sec), sec, "numprocs", fmt.Errorf("too many processes in this file (at most %d)", ld.opts.maxProcesses))
		return nil
	}
	procs := make([]Process, 0, s.numprocs)
	for num := s.start; num < s.start+s.numprocs; num++ {
		if p, ok := s.process(num); ok {
			procs = append(procs, p)
		}
	}
	slices.SortStableFunc(procs, func(a, b Process) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), strings.Compare(a.Name, b.Name))
	})
	return procs
}

// readCommon reads the options that do not depend on process_num. It
// returns false when the section cannot produce processes.
func (s *section) readCommon() bool {
	ld, sec, nm, p := s.ld, s.sec, s.nm, &s.base
	p.Priority = value(ld, sec, "priority", "999", nm, parseInt)
	p.AutoStart = value(ld, sec, "autostart", "true", nm, parseBool)
	p.AutoRestart = value(ld, sec, "autorestart", "unexpected", nm, parseAutoRestart)
	p.StartSecs = value(ld, sec, "startsecs", "1", nm, parseSeconds)
	p.StartRetries = value(ld, sec, "startretries", "3", nm, parseCount)
	p.StopSignal = value(ld, sec, "stopsignal", "TERM", nm, parseSignal)
	p.StopWaitSecs = value(ld, sec, "stopwaitsecs", "10", nm, parseSeconds)
	p.StopAsGroup = value(ld, sec, "stopasgroup", "false", nm, parseBool)
	p.KillAsGroup = value(ld, sec, "killasgroup", fmt.Sprint(p.StopAsGroup), nm, parseBool)
	p.ExitCodes = value(ld, sec, "exitcodes", "0", nm, parseExitCodes)
	p.RedirectStderr = value(ld, sec, "redirect_stderr", "false", nm, parseBool)
	s.numprocs = value(ld, sec, "numprocs", "1", nm, parseCount)
	s.start = value(ld, sec, "numprocs_start", "0", nm, parseInt)
	s.envText, s.envAt = ld.raw(sec, "environment", "")
	p.Stdout.CaptureMaxBytes = value(ld, sec, "stdout_capture_maxbytes", "0", nm, parseByteSize)
	p.Stdout.EventsEnabled = value(ld, sec, "stdout_events_enabled", "false", nm, parseBool)
	p.Stderr.CaptureMaxBytes = value(ld, sec, "stderr_capture_maxbytes", "0", nm, parseByteSize)
	p.Stderr.EventsEnabled = value(ld, sec, "stderr_events_enabled", "false", nm, parseBool)
	p.ServerURL = value(ld, sec, "serverurl", "AUTO", nm, parseServerURL)
	p.User, p.UID = s.user()
	p.Umask = -1
	if ld.has(sec, "umask") {
		p.Umask = int(value(ld, sec, "umask", "0", nm, parseOctal))
	}
	return s.checkCommon()
}

// checkCommon checks process_name against numprocs and the stop options
// against each other.
func (s *section) checkCommon() bool {
	ld, sec := s.ld, s.sec
	var err error
	s.tmpl, s.tmplAt = ld.raw(sec, "process_name", "%(program_name)s")
	if s.tmpl, err = parseName(s.tmpl); err != nil {
		ld.pb.fail(s.tmplAt, sec, "process_name", err)
		return false
	}
	if s.numprocs > 1 && !strings.Contains(s.tmpl, "%(process_num)") {
		ld.pb.fail(s.tmplAt, sec, "process_name", fmt.Errorf("%q must contain %%(process_num) when numprocs is %d, so that each process has its own name", s.tmpl, s.numprocs))
		return false
	}
	if s.base.StopAsGroup && !s.base.KillAsGroup {
		_, at := ld.raw(sec, "killasgroup", "")
		ld.pb.fail(at, sec, "killasgroup", errors.New("false contradicts stopasgroup=true, which implies it"))
	}
	return true
}

func (s *section) user() (string, int) {
	if !s.ld.has(s.sec, "user") {
		return "", 0
	}
	name, _, _ := s.ld.text(s.sec, "user", "", s.nm)
	ids := value(s.ld, s.sec, "user", "", s.nm, parseUser)
	return name, ids[0]
}

// process reads the options of process number num.
func (s *section) process(num int) (Process, bool) {
	ld, sec := s.ld, s.sec
	p := s.base
	p.Num = num
	s.nm.local["process_num"], s.nm.local["numprocs"] = num, s.numprocs
	for k := range s.nm.local {
		if _, global := ld.env[k]; global {
			delete(s.nm.local, k) // the reference re-applies supervisord's environment here
		}
	}
	p.Environment = s.environment()
	if ld.has(sec, "directory") {
		p.Directory, _, _ = ld.text(sec, "directory", "", s.nm)
	}
	p.Stdout = s.log("stdout", p.Stdout)
	p.Stderr = s.log("stderr", p.Stderr)
	if p.RedirectStderr {
		if p.Stderr.Kind == LogFile {
			_, at := ld.raw(sec, "stderr_logfile", "")
			ld.pb.warn(at, sec, "stderr_logfile", "ignored: redirect_stderr=true sends stderr to the stdout log")
		}
		p.Stderr.Kind, p.Stderr.Path = LogNone, ""
	}
	var ok bool
	if p.Command, ok = s.command(); !ok {
		return p, false
	}
	name, err := expand(s.tmpl, s.nm)
	if err == nil {
		p.Name, err = parseName(name)
	}
	if err != nil {
		ld.pb.fail(s.tmplAt, sec, "process_name", err)
		return p, false
	}
	return p, true
}

// environment reads the program's environment for the current process:
// supervisord's first, then the program's own, which also become ENV_
// names for the options read after it.
func (s *section) environment() Env {
	env := slices.Clone(s.ld.file.Supervisord.Environment)
	text, err := expand(s.envText, s.nm)
	var own Env
	var dropped []string
	if err == nil {
		own, dropped, err = parseEnv(text)
	}
	if err != nil {
		s.ld.pb.fail(s.envAt, s.sec, "environment", err)
	}
	for _, msg := range dropped {
		s.ld.pb.warn(s.envAt, s.sec, "environment", msg)
	}
	for _, kv := range own {
		env = env.Set(kv.Key, kv.Value)
		s.nm.local["ENV_"+kv.Key] = kv.Value
	}
	return env
}

func (s *section) command() (string, bool) {
	ld, sec := s.ld, s.sec
	if !ld.has(sec, "command") {
		ld.pb.fail(ld.sectionPos(sec), sec, "command", errors.New("missing (want the program to run)"))
		return "", false
	}
	cmd, at, ok := ld.text(sec, "command", "", s.nm)
	if !ok {
		return "", false
	}
	if argv, err := SplitCommand(cmd); err != nil || len(argv) == 0 {
		if err == nil {
			err = errors.New("empty command")
		}
		ld.pb.fail(at, sec, "command", err)
		return "", false
	}
	return cmd, true
}

// parseSeconds reads a whole number of seconds (startsecs, stopwaitsecs).
func parseSeconds(text string) (time.Duration, error) {
	n, err := parseCount(text)
	if err == nil && n > 1<<31 {
		err = fmt.Errorf("%d seconds is too long", n)
	}
	return time.Duration(n) * time.Second, err
}

// parseServerURL reads a program's serverurl; AUTO (any case) is "".
func parseServerURL(text string) (string, error) {
	if strings.ToUpper(pyStrip(text)) == "AUTO" {
		return "", nil
	}
	return text, nil
}

// log reads the options of one output channel ("stdout" or "stderr") of
// the current process into l.
func (s *section) log(ch string, l Log) Log {
	ld, sec, nm := s.ld, s.sec, s.nm
	key := ch + "_logfile"
	l.Kind = LogAuto
	magicSyslog := false
	if text, at, ok := ld.text(sec, key, "auto", nm); ok && ld.has(sec, key) {
		// The reference expands log file names a second time.
		text, err := expand(text, nm)
		if err == nil {
			l.Kind, l.Path, magicSyslog, err = s.logFile(text)
		}
		if err != nil {
			ld.pb.fail(at, sec, key, err)
		}
	}
	l.Backups = value(ld, sec, ch+"_logfile_backups", "10", nm, parseCount)
	l.MaxBytes = value(ld, sec, ch+"_logfile_maxbytes", "50MB", nm, parseByteSize)
	l.Syslog = value(ld, sec, ch+"_syslog", "false", nm, parseBool)
	_, at := ld.raw(sec, key, "")
	if magicSyslog {
		ld.pb.warn(at, sec, key, fmt.Sprintf("syslog as a file name is deprecated; write %s_syslog=true instead", ch))
		l.Kind, l.Syslog = LogNone, true
	}
	if l.Kind == LogAuto && l.MaxBytes == 0 {
		ld.pb.warn(at, sec, key, fmt.Sprintf("AUTO log with %s_logfile_maxbytes=0 is never rotated and can fill the disk", ch))
	}
	return l
}

// logFile reads a log file name: AUTO, NONE or OFF, the deprecated
// syslog, or a path whose directory exists.
func (s *section) logFile(text string) (kind LogKind, path string, syslog bool, err error) {
	switch strings.ToLower(text) {
	case "none", "off":
		return LogNone, "", false, nil
	case "auto":
		return LogAuto, "", false, nil
	case "syslog":
		return LogNone, "", true, nil
	}
	path, err = s.ld.filePath(text)
	return LogFile, path, false, err
}
