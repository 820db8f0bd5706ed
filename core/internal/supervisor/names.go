package supervisor

import (
	"fmt"
	"strings"
)

// splitName splits a namespec as the reference does: at the first colon
// into group and process; without a colon both are the name. A process
// part of "" or "*" means the whole group, reported as whole.
func splitName(name string) (group, proc string, whole bool) {
	g, p, ok := strings.Cut(name, ":")
	if !ok {
		return name, name, false
	}
	return g, p, p == "" || p == "*"
}

func (v *view) group(name string) *group {
	for _, g := range v.groups {
		if g.cfg.Name == name {
			return g
		}
	}
	return nil
}

func (g *group) proc(name string) *proc {
	for _, p := range g.procs {
		if p.cfg.Name == name {
			return p
		}
	}
	return nil
}

// lookup resolves a namespec to one process; group forms are BAD_NAME.
func (v *view) lookup(name string) (*proc, error) {
	gname, pname, whole := splitName(name)
	g := v.group(gname)
	if g == nil || whole {
		return nil, fmt.Errorf("%w: %s", ErrBadName, name)
	}
	p := g.proc(pname)
	if p == nil {
		return nil, fmt.Errorf("%w: %s", ErrBadName, name)
	}
	return p, nil
}

// procs returns every process of v in group order.
func (v *view) procs() []*proc {
	var out []*proc
	for _, g := range v.groups {
		out = append(out, g.procs...)
	}
	return out
}
