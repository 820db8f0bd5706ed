package config

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Template is a [program:x], [eventlistener:x] or [fcgi-program:x] section
// as written, before expansion: it turns into the section's processes for
// any numprocs, exactly as [Load] turns the section into them. A running
// daemon holds only expanded processes; the control plane uses a Template
// to change a program's numprocs in place and to add a program to a
// running group (Lancer's replacement for supervisor_twiddler).
//
// A Template is immutable and safe for concurrent use.
type Template struct {
	// Section is the section name, "program:web"; Group is the group its
	// processes belong to, %(group_name)s.
	Section, Group string

	opts    Options // with defaults
	main    string  // the main file as named, for error positions
	here    string
	env     map[string]string // ENV_ names, with [supervisord] environment's
	svEnv   Env               // [supervisord] environment
	at      pos               // where the section was opened
	options []templateOption
}

type templateOption struct {
	name, value string
	at          pos
}

// LoadTemplate reads the config file at path as [Load] does, up to its
// [supervisord] section, and returns the template of section ("program:web")
// for processes of group. The file's other sections are not checked, so
// that a mistake in one program does not keep another from changing. An
// error is an [ErrorList]; a missing section is one too.
func LoadTemplate(path string, opts Options, section, group string) (*Template, error) {
	ld, err := newLoader(path, opts)
	if err != nil {
		return nil, err
	}
	data, err := readFile(path)
	if err != nil {
		return nil, ErrorList{{File: path, Err: err}}
	}
	scan(ld.st, ld.main, data, &ld.pb)
	if ld.pb.errs == nil {
		ld.include()
	}
	if ld.pb.errs == nil {
		ld.applyOverrides()
		ld.supervisord()
	}
	if err := ld.pb.err(); err != nil {
		return nil, err
	}
	at, ok := ld.st.sectionPos(section)
	if !ok {
		return nil, ErrorList{{File: path, Section: section, Err: errors.New("no such section in the config file")}}
	}
	t := ld.template(section, group, at)
	for _, opt := range ld.st.options(section) {
		v, at, _ := ld.st.get(section, opt)
		t.options = append(t.options, templateOption{opt, v, at})
	}
	return t, nil
}

// NewTemplate returns the template of a [program:program] section with
// options (option name to value, as a config file would write them) for
// processes of group, as if the section were in f: %(here)s is f's
// directory, and f's [supervisord] environment is merged into the
// processes' and available as %(ENV_X)s. opts gives what Load takes from
// outside the file. f's [DEFAULT] section is not inherited, as
// supervisor_twiddler builds the section in a parser of its own. An
// option [program:x] does not know is an error (a config file would only
// warn), since the caller cannot see warnings.
func NewTemplate(f *File, opts Options, group, program string, options map[string]string) (*Template, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	ld := &loader{opts: opts, main: f.Path, here: opts.Dir, env: environNames(opts.Environ)}
	if f.Path != "" {
		abs, err := filepath.Abs(f.Path)
		if err != nil {
			return nil, fmt.Errorf("config file path: %w", err)
		}
		ld.here = filepath.Dir(abs)
	}
	for _, kv := range f.Supervisord.Environment {
		ld.env["ENV_"+kv.Key] = kv.Value
	}
	ld.file = &File{Supervisord: Supervisord{Environment: f.Supervisord.Environment}}
	section := "program:" + program
	t := ld.template(section, group, pos{})
	var errs ErrorList
	for _, name := range slices.Sorted(maps.Keys(options)) {
		if !slices.Contains(programOptions, name) {
			errs = append(errs, &Error{Section: section, Option: name, Err: errors.New("unknown option")})
			continue
		}
		t.options = append(t.options, templateOption{name: name, value: options[name]})
	}
	if errs != nil {
		return nil, errs
	}
	return t, nil
}

// environNames maps "KEY=value" strings to ENV_KEY names.
func environNames(environ []string) map[string]string {
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env["ENV_"+k] = v
		}
	}
	return env
}

// template captures what expanding section needs from ld.
func (ld *loader) template(section, group string, at pos) *Template {
	return &Template{
		Section: section, Group: group, opts: ld.opts, main: ld.main, here: ld.here,
		env: maps.Clone(ld.env), svEnv: ld.file.Supervisord.Environment, at: at,
	}
}

// Processes expands t into its processes, sorted as Load sorts them, for
// numprocs processes (process_num numprocs_start to numprocs_start +
// numprocs - 1), or for the section's own numprocs when numprocs < 0.
// Errors are those Load gives for the section, as an [ErrorList], such as
// a process_name without %(process_num) for more than one process.
func (t *Template) Processes(numprocs int) ([]Process, error) {
	ld := &loader{
		opts: t.opts, st: newStore(), main: t.main, here: t.here, env: maps.Clone(t.env),
		file: &File{Path: t.main, Supervisord: Supervisord{Environment: t.svEnv}}, dirs: make(map[string]bool),
	}
	ld.pb.order = map[string]int{t.main: 0}
	ld.st.addSection(t.Section, t.at)
	for _, o := range t.options {
		ld.st.set(t.Section, o.name, o.value)
		ld.st.setPos(optKey{t.Section, o.name}, o.at)
	}
	if numprocs >= 0 {
		ld.st.set(t.Section, "numprocs", strconv.Itoa(numprocs))
		ld.st.setPos(optKey{t.Section, "numprocs"}, t.at)
	}
	procs := ld.processes(t.Section, t.Group)
	if err := ld.pb.err(); err != nil {
		return nil, err
	}
	return procs, nil
}
