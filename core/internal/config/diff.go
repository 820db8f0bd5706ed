package config

import "reflect"

// Changes is what [Diff] finds between two loaded files: the process
// groups reread/update must add, change or remove.
type Changes struct {
	Added   []*Group // in the new file's order
	Changed []GroupChange
	Removed []*Group // in the old file's order
}

// Empty reports whether nothing changed.
func (c Changes) Empty() bool {
	return len(c.Added) == 0 && len(c.Changed) == 0 && len(c.Removed) == 0
}

// GroupChange is a group present in both files whose configuration
// differs. Unlike the reference, which only knows that the group changed
// and restarts all of it (its issue #591), it says which processes did.
type GroupChange struct {
	Old, New *Group

	// Settings is true when the group's own options differ: its kind,
	// priority, a pool's events or buffer_size, an fcgi socket.
	Settings bool

	// Process names: those only in New, those in both whose options
	// differ, those only in Old. A process keeps its name across the
	// change; the others are untouched and need no restart.
	Added, Changed, Removed []string
}

// Diff compares the process groups of two loaded files by name. Every
// option counts, including ones the reference skips: a log file changed
// from AUTO to a path is a change here. Changes to [supervisord] and the
// server sections are not reported; they take a reload.
func Diff(old, new *File) Changes {
	var c Changes
	oldGroups, newGroups := old.groupIndex(), new.groupIndex()
	for i := range new.Groups {
		ng := &new.Groups[i]
		og := oldGroups[ng.Name]
		if og == nil {
			c.Added = append(c.Added, ng)
			continue
		}
		if gc, changed := diffGroup(og, ng); changed {
			c.Changed = append(c.Changed, gc)
		}
	}
	for i := range old.Groups {
		if newGroups[old.Groups[i].Name] == nil {
			c.Removed = append(c.Removed, &old.Groups[i])
		}
	}
	return c
}

func (f *File) groupIndex() map[string]*Group {
	m := make(map[string]*Group, len(f.Groups))
	for i := range f.Groups {
		m[f.Groups[i].Name] = &f.Groups[i]
	}
	return m
}

func diffGroup(og, ng *Group) (GroupChange, bool) {
	gc := GroupChange{Old: og, New: ng}
	gc.Settings = og.Kind != ng.Kind || og.Priority != ng.Priority ||
		!reflect.DeepEqual(og.Pool, ng.Pool) || !reflect.DeepEqual(og.Socket, ng.Socket)
	for _, np := range ng.Processes {
		op := og.process(np.Name)
		switch {
		case op == nil:
			gc.Added = append(gc.Added, np.Name)
		case !op.Equal(&np):
			gc.Changed = append(gc.Changed, np.Name)
		}
	}
	for _, op := range og.Processes {
		if ng.process(op.Name) == nil {
			gc.Removed = append(gc.Removed, op.Name)
		}
	}
	changed := gc.Settings || gc.Added != nil || gc.Changed != nil || gc.Removed != nil
	return gc, changed
}

// process returns the process called name, or nil.
func (g *Group) process(name string) *Process {
	for i := range g.Processes {
		if g.Processes[i].Name == name {
			return &g.Processes[i]
		}
	}
	return nil
}

// Equal reports whether p and q are configured alike: every option equal,
// environments equal as sets of variables.
func (p *Process) Equal(q *Process) bool {
	a, b := *p, *q
	a.Environment, b.Environment = nil, nil
	if len(a.ExitCodes) == 0 && len(b.ExitCodes) == 0 {
		a.ExitCodes, b.ExitCodes = nil, nil
	}
	return reflect.DeepEqual(a, b) && sameEnv(p.Environment, q.Environment)
}

func sameEnv(a, b Env) bool {
	if len(a) != len(b) {
		return false
	}
	// Keys are unique in an Env, so equal lengths and a ⊆ b suffice.
	m := make(map[string]string, len(b))
	for _, kv := range b {
		m[kv.Key] = kv.Value
	}
	for _, kv := range a {
		if v, ok := m[kv.Key]; !ok || v != kv.Value {
			return false
		}
	}
	return true
}
