package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Options are what a load takes from outside the file. The zero value
// uses the running process's environment, working directory and host name.
type Options struct {
	// Environ is supervisord's environment, for %(ENV_X)s and "~" ("KEY=value"
	// strings as os.Environ returns them); nil means os.Environ().
	Environ []string
	// Dir is the working directory relative paths are resolved against;
	// "" means os.Getwd().
	Dir string
	// Hostname is %(host_node_name)s; "" means os.Hostname().
	Hostname string
	// Overrides are [supervisord] options given on supervisord's command
	// line (-l, -e, -n ...), by option name. They replace the file's
	// values and are checked like them; an error in one is reported at
	// "command line" instead of a file and line.
	Overrides map[string]string

	glob         func(pattern string) ([]string, error) // nil: pyGlob
	maxProcesses int                                    // 0: defaultMaxProcesses
}

// defaultMaxProcesses bounds the processes one file may define, so that a
// numprocs typo cannot exhaust memory. The reference has no bound.
const defaultMaxProcesses = 100_000

func (o Options) withDefaults() (Options, error) {
	if o.Environ == nil {
		o.Environ = os.Environ()
	}
	if o.Dir == "" {
		dir, err := os.Getwd()
		if err != nil {
			return o, fmt.Errorf("working directory: %w", err)
		}
		o.Dir = dir
	}
	if o.Hostname == "" {
		o.Hostname, _ = os.Hostname() // the reference's platform.node() is "" on failure too
	}
	if o.glob == nil {
		o.glob = pyGlob
	}
	if o.maxProcesses == 0 {
		o.maxProcesses = defaultMaxProcesses
	}
	return o, nil
}

// loader is the state of one load.
type loader struct {
	opts   Options
	st     *store
	pb     problems
	main   string            // the main file as named
	here   string            // its absolute directory, %(here)s
	env    map[string]string // "ENV_X" -> value; grows with [supervisord] environment
	file   *File
	nprocs int
	dirs   map[string]bool // isDir's answers
}

func newLoader(path string, opts Options) (*loader, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	ld := &loader{opts: opts, st: newStore(), main: path, file: &File{Path: path}, dirs: make(map[string]bool)}
	// The file itself is opened relative to the process's working
	// directory, so that is what its %(here)s is relative to.
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("config file path: %w", err)
	}
	ld.here = filepath.Dir(abs)
	ld.env = make(map[string]string, len(opts.Environ))
	for _, kv := range opts.Environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			ld.env["ENV_"+k] = v
		}
	}
	ld.pb.order = map[string]int{path: 0}
	return ld, nil
}

// Load reads the supervisord config file at path, with its includes, and
// returns it typed and checked. The error, if any, is an [ErrorList]
// naming every problem by file, line, section and option; warnings about
// things that load but look wrong are in [File.Warnings].
func Load(path string, opts Options) (*File, error) {
	ld, err := newLoader(path, opts)
	if err != nil {
		return nil, err
	}
	data, err := readFile(path)
	if err != nil {
		return nil, ErrorList{{File: path, Err: err}}
	}
	return ld.load(data)
}

// readFile reads a config file, with an error that does not repeat the
// path the caller will put in front of it.
func readFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return nil, fmt.Errorf("cannot read config file: %w", pe.Err)
	}
	return data, err
}

func (ld *loader) load(data []byte) (*File, error) {
	scan(ld.st, ld.main, data, &ld.pb)
	if ld.pb.errs == nil {
		ld.include()
	}
	if ld.pb.errs != nil {
		return nil, ld.pb.err()
	}
	ld.checkNames()
	ld.applyOverrides()
	ld.supervisord()
	ld.rpcInterfaces()
	ld.groups()
	ld.servers()
	ld.file.Warnings = ld.pb.warnings()
	if err := ld.pb.err(); err != nil {
		return nil, err
	}
	return ld.file, nil
}

// applyOverrides puts the command line's [supervisord] options over the
// file's, when the file has that section (its absence stays an error).
func (ld *loader) applyOverrides() {
	if !ld.st.has("supervisord") {
		return
	}
	for opt, v := range ld.opts.Overrides {
		ld.st.set("supervisord", opt, v)
		ld.st.setPos(optKey{"supervisord", opt}, pos{file: "command line"})
	}
}

// sectionPos is where sec was first opened, or the file itself.
func (ld *loader) sectionPos(sec string) pos {
	if at, ok := ld.st.sectionPos(sec); ok {
		return at
	}
	return pos{ld.main, 0}
}

// text returns an option's value expanded with nm, or def (unexpanded,
// at the section header) when the option is absent. ok is false when the
// expansion failed; the error is recorded.
func (ld *loader) text(sec, opt, def string, nm names) (string, pos, bool) {
	v, at, set := ld.st.get(sec, opt)
	if !set {
		return def, ld.sectionPos(sec), true
	}
	s, err := expand(v, nm)
	if err != nil {
		ld.pb.fail(at, sec, opt, err)
		return def, at, false
	}
	return s, at, true
}

// raw returns an option's value without expansion.
func (ld *loader) raw(sec, opt, def string) (string, pos) {
	v, at, set := ld.st.get(sec, opt)
	if !set {
		return def, ld.sectionPos(sec)
	}
	return v, at
}

// has reports whether an option is set in sec or in [DEFAULT].
func (ld *loader) has(sec, opt string) bool {
	_, _, ok := ld.st.get(sec, opt)
	return ok
}

// value reads an option with parse; on any problem it records the error
// and returns parse(def).
func value[T any](ld *loader, sec, opt, def string, nm names, parse func(string) (T, error)) T {
	s, at, ok := ld.text(sec, opt, def, nm)
	if ok {
		v, err := parse(s)
		if err == nil {
			return v
		}
		ld.pb.fail(at, sec, opt, err)
	}
	v, _ := parse(def)
	return v
}
