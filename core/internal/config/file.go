package config

import (
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/lancerhq/lancer/protocol"
)

// File is a loaded supervisord.conf: every section turned into typed
// values with the reference's defaults filled in and every expansion done.
// A File is immutable once returned and safe for concurrent reads; callers
// must not modify it.
type File struct {
	// Path is the main file as it was named; Included lists the files the
	// [include] section read, absolute, in the order read.
	Path     string
	Included []string

	Supervisord     Supervisord
	UnixHTTPServers []UnixHTTPServer // [unix_http_server] and [unix_http_server:x], in file order
	InetHTTPServers []InetHTTPServer // [inet_http_server] and [inet_http_server:x], in file order
	RPCInterfaces   []RPCInterface

	// Groups are sorted by (priority, name), the order supervisord starts
	// them in and the reverse of the order it stops them in.
	Groups []Group

	Warnings []Warning
}

// Supervisord is the [supervisord] section. Paths are absolute, resolved
// against the working directory at load time as the reference resolves
// its relative paths.
type Supervisord struct {
	Logfile         string // a path, or "syslog"
	LogfileMaxBytes int64  // 0: never rotate
	LogfileBackups  int
	LogLevel        LogLevel
	Pidfile         string
	Umask           uint32 // applied only when daemonizing, as in the reference
	Nodaemon        bool
	Silent          bool
	Minfds          int
	Minprocs        int
	Nocleanup       bool
	Childlogdir     string
	User            string // "" when unset; UID and GID are then meaningless
	UID, GID        int
	Directory       string // "" when unset; used only when daemonizing
	StripANSI       bool
	Environment     Env // merged under every process's own environment
	Identifier      string
}

// UnixHTTPServer is a [unix_http_server] or [unix_http_server:name] section.
type UnixHTTPServer struct {
	Name               string // "" for the unnamed section
	File               string // absolute socket path
	Chmod              os.FileMode
	UID, GID           int // chown; -1 leaves it unchanged
	Username, Password string
}

// InetHTTPServer is an [inet_http_server] or [inet_http_server:name] section.
type InetHTTPServer struct {
	Name               string
	Host               string // "" listens on every interface
	Port               int
	Username, Password string
}

// RPCInterface is an [rpcinterface:name] section. Factory names Python
// code; only the standard supervisor interface is served.
type RPCInterface struct {
	Name    string
	Factory string
	Options map[string]string // the section's other options
}

// StandardRPCInterface is the factory of [rpcinterface:supervisor], the
// interface supervisorctl talks to.
const StandardRPCInterface = "supervisor.rpcinterface:make_main_rpcinterface"

// Kind says which kind of section a group comes from.
type Kind int

// The group kinds. A [group:x] of programs is a KindProgram group.
const (
	KindProgram Kind = iota
	KindEventListener
	KindFCGIProgram
)

// String returns the kind as a section prefix names it: "program",
// "eventlistener" or "fcgi-program".
func (k Kind) String() string {
	switch k {
	case KindProgram:
		return "program"
	case KindEventListener:
		return "eventlistener"
	case KindFCGIProgram:
		return "fcgi-program"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Group is a process group: the processes of one [program:x],
// [eventlistener:x] or [fcgi-program:x] section (a homogeneous group), or
// of the programs a [group:x] section lists (a heterogeneous group).
type Group struct {
	Name     string
	Kind     Kind
	Section  string // "program:web", "group:zeo", ...
	Priority int

	// Processes are in the reference's order: for each program (in the
	// order a [group:x] lists them), its processes sorted by (priority,
	// name).
	Processes []Process

	Pool   *Pool   // set for KindEventListener
	Socket *Socket // set for KindFCGIProgram
}

// Pool holds an event listener pool's own options.
type Pool struct {
	Events     []protocol.EventType // upper-cased, as written, without repeats
	BufferSize int
}

// Socket is a [fcgi-program:x] socket, created by supervisord and passed to
// every process of the group as its standard input.
type Socket struct {
	URL      string // "tcp://host:port" or "unix:///path", as the reference normalises it
	Network  string // "tcp" or "unix"
	Address  string // "host:port" or the absolute path
	Backlog  int    // 0: the system's SOMAXCONN
	Mode     os.FileMode
	UID, GID int // owner of a unix socket; -1 leaves it unchanged
}

// Process is one process of a group with every option expanded for it
// (process_num, program_name, ...), as the reference builds one
// ProcessConfig per process.
type Process struct {
	Name    string // process_name expanded
	Program string // the section's name after the colon
	Num     int    // process_num

	// Command is the command line as written (expanded); [SplitCommand]
	// turns it into argv the way the reference does at spawn time.
	Command      string
	Directory    string // "" when unset
	Umask        int    // -1 when unset
	Priority     int
	AutoStart    bool
	AutoRestart  AutoRestart
	StartSecs    time.Duration
	StartRetries int
	User         string // "" when unset; UID is then meaningless
	UID          int

	Stdout, Stderr Log

	StopSignal     syscall.Signal
	StopWaitSecs   time.Duration
	StopAsGroup    bool
	KillAsGroup    bool
	ExitCodes      []int
	RedirectStderr bool
	Environment    Env    // [supervisord] environment, then the program's own
	ServerURL      string // "" for AUTO: the daemon's own server
}

// Log is the configuration of one output channel of a process.
type Log struct {
	Kind            LogKind
	Path            string // absolute, for LogFile
	MaxBytes        int64  // 0: never rotate
	Backups         int
	CaptureMaxBytes int64 // 0: capture mode off
	EventsEnabled   bool  // emit PROCESS_LOG_STDOUT/STDERR
	Syslog          bool
}

// LogKind says where a channel's output is written.
type LogKind int

// The log kinds. The reference's deprecated "syslog" value is LogNone with
// Syslog set, as the reference rewrites it.
const (
	LogAuto LogKind = iota // a file under childlogdir, named by supervisord
	LogNone                // no file
	LogFile                // Path
)

// String returns "AUTO", "NONE" or "file".
func (k LogKind) String() string {
	switch k {
	case LogAuto:
		return "AUTO"
	case LogNone:
		return "NONE"
	case LogFile:
		return "file"
	}
	return fmt.Sprintf("LogKind(%d)", int(k))
}

// AutoRestart is the autorestart policy. The zero value is the default,
// RestartUnexpected.
type AutoRestart int

// The autorestart values.
const (
	RestartUnexpected AutoRestart = iota // restart when the exit code is not in exitcodes
	RestartAlways                        // autorestart=true
	RestartNever                         // autorestart=false
)

// String returns the value as written in a config file.
func (a AutoRestart) String() string {
	switch a {
	case RestartUnexpected:
		return "unexpected"
	case RestartAlways:
		return "true"
	case RestartNever:
		return "false"
	}
	return fmt.Sprintf("AutoRestart(%d)", int(a))
}

// LogLevel is a supervisord log level, numbered as the reference numbers
// them.
type LogLevel int

// The log levels.
const (
	LevelBlather  LogLevel = 3
	LevelTrace    LogLevel = 5
	LevelDebug    LogLevel = 10
	LevelInfo     LogLevel = 20
	LevelWarn     LogLevel = 30
	LevelError    LogLevel = 40
	LevelCritical LogLevel = 50
)

var levelNames = map[LogLevel]string{
	LevelBlather: "blather", LevelTrace: "trace", LevelDebug: "debug", LevelInfo: "info",
	LevelWarn: "warn", LevelError: "error", LevelCritical: "critical",
}

// String returns the level's name as written in a config file.
func (l LogLevel) String() string {
	if s, ok := levelNames[l]; ok {
		return s
	}
	return fmt.Sprintf("LogLevel(%d)", int(l))
}

// EnvVar is one environment variable.
type EnvVar struct{ Key, Value string }

// Env is an ordered environment. A key set twice keeps its first place and
// its last value, as in the reference.
type Env []EnvVar

// Lookup returns the value of key.
func (e Env) Lookup(key string) (string, bool) {
	for _, v := range e {
		if v.Key == key {
			return v.Value, true
		}
	}
	return "", false
}

// Set returns e with key set to value.
func (e Env) Set(key, value string) Env {
	for i, v := range e {
		if v.Key == key {
			e[i].Value = value
			return e
		}
	}
	return append(e, EnvVar{key, value})
}

// Strings returns e as "KEY=value" strings, the form os/exec takes.
func (e Env) Strings() []string {
	s := make([]string, len(e))
	for i, v := range e {
		s[i] = v.Key + "=" + v.Value
	}
	return s
}

// ServerURL returns the URL processes reach supervisord at when their
// serverurl is AUTO: the first unix server, else the last inet server
// (with "localhost" for every interface), else "" — the reference's rule.
func (f *File) ServerURL() string {
	if len(f.UnixHTTPServers) > 0 {
		return "unix://" + f.UnixHTTPServers[0].File
	}
	if n := len(f.InetHTTPServers); n > 0 {
		s := f.InetHTTPServers[n-1]
		host := s.Host
		if host == "" {
			host = "localhost"
		}
		return fmt.Sprintf("http://%s:%d", host, s.Port)
	}
	return ""
}
