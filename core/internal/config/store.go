package config

import (
	"strings"

	"gopkg.in/ini.v1"
)

// defaultSection is configparser's [DEFAULT]: its options are inherited by
// every other section. ini.v1 names its own default section the same.
const defaultSection = "DEFAULT"

// pos is where something was written: a file as the operator knows it and
// a 1-based line (0 for the file as a whole).
type pos struct {
	file string
	line int
}

type optKey struct{ sec, opt string }

// store holds the merged sections and options of the main file and its
// includes, as configparser does: sections in the order first seen,
// options replaced in place, case-sensitive section names and lower-cased
// option names. The values live in an ini.v1 File (without ini.v1's
// child-section inheritance, which configparser does not have); where each
// section and option was written lives beside it.
type store struct {
	f    *ini.File
	secs map[string]*storeSection
}

type storeSection struct {
	sec *ini.Section
	at  pos            // where the section was first opened
	opt map[string]pos // where each option was last set; also the index of what is set
}

func newStore() *store {
	f := ini.Empty(ini.LoadOptions{
		InsensitiveKeys: true,
		// Sections "program:a.b" and "program:a" are unrelated in
		// supervisord; a delimiter that cannot occur in a name turns
		// ini.v1's parent lookup off.
		ChildSectionDelimiter: "\n",
	})
	f.BlockMode = false // one goroutine owns a store
	s := &store{f: f, secs: make(map[string]*storeSection)}
	s.secs[defaultSection] = &storeSection{sec: f.Section(defaultSection), opt: make(map[string]pos)}
	return s
}

func (s *store) addSection(name string, at pos) {
	if _, ok := s.secs[name]; ok {
		return
	}
	// NewSection only fails on an empty name, and a header has at least
	// one character.
	sec, _ := s.f.NewSection(name)
	s.secs[name] = &storeSection{sec: sec, at: at, opt: make(map[string]pos)}
}

func (s *store) setPos(k optKey, at pos) { s.secs[k.sec].opt[k.opt] = at }

func (s *store) set(sec, opt, value string) {
	// NewKey replaces the value of an existing key in place and fails only
	// on an empty name, which the scanner never produces.
	_, _ = s.secs[sec].sec.NewKey(opt, value)
}

// sections returns the section names in the order first seen, without
// [DEFAULT].
func (s *store) sections() []string {
	names := s.f.SectionStrings()
	return names[1:] // ini.v1's default section is always first
}

func (s *store) has(sec string) bool {
	_, ok := s.secs[sec]
	return ok && sec != defaultSection
}

// sectionPos returns where sec was first opened.
func (s *store) sectionPos(sec string) (pos, bool) {
	e, ok := s.secs[sec]
	if !ok || sec == defaultSection {
		return pos{}, false
	}
	return e.at, true
}

// get returns an option of sec, falling back to [DEFAULT] as configparser
// does, with the position it was written at.
func (s *store) get(sec, opt string) (string, pos, bool) {
	if e, ok := s.secs[sec]; ok {
		if at, ok := e.opt[opt]; ok {
			return e.sec.Key(opt).Value(), at, true
		}
	}
	if d := s.secs[defaultSection]; len(d.opt) > 0 {
		if at, ok := d.opt[opt]; ok {
			return d.sec.Key(opt).Value(), at, true
		}
	}
	return "", pos{}, false
}

// ownOptions returns the options written in sec itself, in order.
func (s *store) ownOptions(sec string) []string {
	e, ok := s.secs[sec]
	if !ok {
		return nil
	}
	return e.sec.KeyStrings()
}

// options returns the options of sec and then those it inherits from
// [DEFAULT], like configparser's options().
func (s *store) options(sec string) []string {
	all := s.ownOptions(sec)
	for _, opt := range s.ownOptions(defaultSection) {
		if !s.hasOwn(sec, opt) {
			all = append(all, opt)
		}
	}
	return all
}

func (s *store) hasOwn(sec, opt string) bool {
	e, ok := s.secs[sec]
	if ok {
		_, ok = e.opt[opt]
	}
	return ok
}

// expandHere replaces the text "%(here)s" in every value by dir, the way
// supervisord does after reading the main file and after each included
// file when there is an [include] section, so that each file's %(here)s is
// its own directory. Like configparser's items(), a [DEFAULT] value is
// copied into each section it is replaced in.
func (s *store) expandHere(dir string) {
	const here = "%(here)s"
	for _, sec := range s.sections() {
		for _, opt := range s.itemOrder(sec) {
			v, at, _ := s.get(sec, opt)
			if strings.Contains(v, here) {
				s.set(sec, opt, strings.ReplaceAll(v, here, dir))
				s.setPos(optKey{sec, opt}, at)
			}
		}
	}
}

// itemOrder is the order of configparser's items(): [DEFAULT]'s options,
// then the section's own others.
func (s *store) itemOrder(sec string) []string {
	all := s.ownOptions(defaultSection)
	for _, opt := range s.ownOptions(sec) {
		if !s.hasOwn(defaultSection, opt) {
			all = append(all, opt)
		}
	}
	return all
}
