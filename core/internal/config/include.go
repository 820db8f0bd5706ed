package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// include reads the files the main file's [include] section names, as the
// reference does: files is a whitespace-separated list of globs relative
// to the main file's directory, each glob's matches are read in sorted
// order, and each file's %(here)s is its own directory. An [include]
// section in an included file is ignored.
func (ld *loader) include() {
	const sec, opt = "include", "files"
	if !ld.st.has(sec) {
		return
	}
	ld.st.expandHere(ld.here)
	if !ld.has(sec, opt) {
		ld.pb.fail(ld.sectionPos(sec), sec, opt, errors.New("missing (want the globs of the files to include)"))
		return
	}
	nm := names{local: map[string]any{"here": ld.here, "host_node_name": ld.opts.Hostname}, env: ld.env}
	text, at, ok := ld.text(sec, opt, "", nm)
	if !ok {
		return
	}
	for _, pattern := range strings.FieldsFunc(text, pySpace) {
		ld.includeGlob(pattern, at)
		if ld.pb.errs != nil {
			return
		}
	}
}

func (ld *loader) includeGlob(pattern string, at pos) {
	abs := pyJoin(ld.here, pattern)
	matches, err := ld.opts.glob(abs)
	if err != nil {
		ld.pb.fail(at, "include", "files", fmt.Errorf("glob %q: %w", abs, err))
		return
	}
	if len(matches) == 0 {
		ld.pb.warn(at, "include", "files", fmt.Sprintf("no file matches %q", abs))
		return
	}
	slices.Sort(matches)
	for _, file := range matches {
		ld.includeFile(file, ld.displayName(file, pattern), at)
		if ld.pb.errs != nil {
			return
		}
	}
}

// displayName names an included file for messages: relative to the main
// file as the operator named it, when the glob was relative.
func (ld *loader) displayName(file, pattern string) string {
	if filepath.IsAbs(pattern) {
		return file
	}
	rel, err := filepath.Rel(ld.here, file)
	if err != nil {
		return file
	}
	return filepath.Join(filepath.Dir(ld.main), rel)
}

func (ld *loader) includeFile(file, display string, at pos) {
	if fi, err := os.Stat(file); err == nil && fi.IsDir() {
		ld.pb.warn(at, "include", "files", fmt.Sprintf("%s is a directory (skipped)", display))
		return
	}
	data, err := readFile(file)
	if err != nil {
		ld.pb.fail(pos{display, 0}, "", "", err)
		return
	}
	ld.pb.order[display] = len(ld.pb.order)
	ld.file.Included = append(ld.file.Included, file)
	_, before, _ := ld.st.get("include", "files")
	scan(ld.st, display, data, &ld.pb)
	if _, after, _ := ld.st.get("include", "files"); after != before {
		ld.pb.warn(after, "include", "files", "ignored: only the main file's [include] is read")
	}
	ld.st.expandHere(filepath.Dir(file))
}
