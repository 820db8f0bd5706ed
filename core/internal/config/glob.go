package config

import (
	"os"
	"regexp"
	"strconv"
	"strings"
)

// pyJoin joins like Python's os.path.join: no cleaning, and an absolute
// second part replaces the first.
func pyJoin(dir, name string) string {
	switch {
	case strings.HasPrefix(name, "/") || dir == "":
		return name
	case strings.HasSuffix(dir, "/"):
		return dir + name
	}
	return dir + "/" + name
}

// pyGlob expands pattern as Python's glob.glob does, which is what the
// reference's [include] uses: '*', '?' and '[...]' with '!' for negation,
// only within one path component (no '**'); a leading '.' must be matched
// explicitly; directories in the pattern are kept as written. The results
// are unsorted.
func pyGlob(pattern string) ([]string, error) {
	if !hasMagic(pattern) {
		if _, err := os.Lstat(pattern); err == nil {
			return []string{pattern}, nil
		}
		return nil, nil
	}
	dir, base := pySplit(pattern)
	dirs := []string{dir}
	if dir != pattern && hasMagic(dir) {
		var err error
		if dirs, err = pyGlob(dir); err != nil {
			return nil, err
		}
	}
	var out []string
	for _, d := range dirs {
		names, err := globDir(d, base, hasMagic(base))
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			out = append(out, pyJoin(d, n))
		}
	}
	return out, nil
}

// globDir returns the names in dir that match base.
func globDir(dir, base string, magic bool) ([]string, error) {
	if !magic {
		if _, err := os.Lstat(pyJoin(dir, base)); err == nil {
			return []string{base}, nil
		}
		return nil, nil
	}
	re, err := regexp.Compile(fnmatchRegexp(base))
	if err != nil {
		return nil, err
	}
	listDir := dir
	if listDir == "" {
		listDir = "."
	}
	entries, _ := os.ReadDir(listDir) // like Python, an unreadable directory matches nothing
	var names []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		if re.MatchString(n) {
			names = append(names, n)
		}
	}
	return names, nil
}

func hasMagic(s string) bool { return strings.ContainsAny(s, "*?[") }

// pySplit splits like os.path.split: the head keeps its slashes only when
// it is all slashes.
func pySplit(p string) (dir, base string) {
	i := strings.LastIndexByte(p, '/') + 1
	dir, base = p[:i], p[i:]
	if t := strings.TrimRight(dir, "/"); t != "" {
		dir = t
	}
	return dir, base
}

// fnmatchRegexp translates a glob component into a Go regexp the way
// Python's fnmatch.translate does: an unclosed '[' is a literal, a ']'
// first in a class is a member, ranges that run backwards are empty.
func fnmatchRegexp(pat string) string {
	var b strings.Builder
	b.WriteString(`^(?s:`)
	rs := []rune(pat)
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		case '[':
			class, n := fnmatchClass(rs[i+1:])
			if n < 0 {
				b.WriteString(`\[`)
				continue
			}
			b.WriteString(class)
			i += n
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`)$`)
	return b.String()
}

// fnmatchClass translates the class after a '['; n is the number of runes
// it used including the ']', or -1 when there is no closing ']'.
func fnmatchClass(rs []rune) (string, int) {
	j := 0
	if j < len(rs) && rs[j] == '!' {
		j++
	}
	if j < len(rs) && rs[j] == ']' {
		j++
	}
	for j < len(rs) && rs[j] != ']' {
		j++
	}
	if j >= len(rs) {
		return "", -1
	}
	body, neg := rs[:j], false
	if len(body) > 0 && body[0] == '!' {
		body, neg = body[1:], true
	}
	var members strings.Builder
	for k := 0; k < len(body); k++ {
		lo, hi := body[k], body[k]
		if k+2 < len(body) && body[k+1] == '-' {
			hi = body[k+2]
			k += 2
		}
		if lo <= hi {
			members.WriteString(regexpRune(lo) + "-" + regexpRune(hi))
		}
	}
	switch {
	case members.Len() == 0 && neg:
		return `.`, j + 1
	case members.Len() == 0:
		return `[^\x00-\x{10FFFF}]`, j + 1 // matches nothing
	case neg:
		return `[^` + members.String() + `]`, j + 1
	}
	return `[` + members.String() + `]`, j + 1
}

func regexpRune(r rune) string { return `\x{` + strconv.FormatInt(int64(r), 16) + `}` }
