package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// loadText loads text as a supervisord.conf in a temporary directory.
func loadText(t *testing.T, text string) *File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "supervisord.conf")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path, Options{Environ: []string{"HOME=/root"}, Dir: t.TempDir(), Hostname: "testhost"})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return f
}

const diffBase = `
[supervisord]
environment = SHARED=1,OTHER=2

[program:web]
command = /usr/bin/web
numprocs = 2
process_name = web_%(process_num)d

[program:db]
command = /usr/bin/db

[program:cache]
command = /usr/bin/cache

[group:backend]
programs = db,cache

[eventlistener:memmon]
command = memmon
events = TICK_60
`

func TestDiff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		change      func(string) string
		added       []string
		removed     []string
		changed     map[string][3][]string // group -> added, changed, removed processes
		settingsFor []string
	}{
		{name: "unchanged", change: func(s string) string { return s }},
		{
			name:   "group added",
			change: func(s string) string { return s + "[program:new]\ncommand = /usr/bin/new\n" },
			added:  []string{"new"},
		},
		{
			name: "group removed",
			change: func(s string) string {
				return replace(s, "[eventlistener:memmon]\ncommand = memmon\nevents = TICK_60\n", "")
			},
			removed: []string{"memmon"},
		},
		{
			name:    "one process of a heterogeneous group",
			change:  func(s string) string { return replace(s, "command = /usr/bin/db", "command = /usr/bin/db --fast") },
			changed: map[string][3][]string{"backend": {nil, {"db"}, nil}},
		},
		{
			name:    "numprocs grows",
			change:  func(s string) string { return replace(s, "numprocs = 2", "numprocs = 3") },
			changed: map[string][3][]string{"web": {{"web_2"}, nil, nil}},
		},
		{
			name:    "program leaves its group",
			change:  func(s string) string { return replace(s, "programs = db,cache", "programs = db") },
			added:   []string{"cache"},
			changed: map[string][3][]string{"backend": {nil, nil, {"cache"}}},
		},
		{
			name:        "pool events",
			change:      func(s string) string { return replace(s, "events = TICK_60", "events = TICK_5") },
			changed:     map[string][3][]string{"memmon": {nil, nil, nil}},
			settingsFor: []string{"memmon"},
		},
		{
			name:   "supervisord environment reaches every process",
			change: func(s string) string { return replace(s, "SHARED=1", "SHARED=2") },
			changed: map[string][3][]string{
				"web": {nil, {"web_0", "web_1"}, nil}, "backend": {nil, {"db", "cache"}, nil}, "memmon": {nil, {"memmon"}, nil},
			},
		},
		{
			name: "AUTO log to a path, which the reference misses",
			change: func(s string) string {
				return replace(s, "command = /usr/bin/cache", "command = /usr/bin/cache\nstdout_logfile = /tmp/cache.log")
			},
			changed: map[string][3][]string{"backend": {nil, {"cache"}, nil}},
		},
		{
			name:   "environment order is no change",
			change: func(s string) string { return replace(s, "SHARED=1,OTHER=2", "OTHER=2,SHARED=1") },
		},
	}
	old := loadText(t, diffBase)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Diff(old, loadText(t, tt.change(diffBase)))
			if got := groupNames(c.Added); !slices.Equal(got, tt.added) {
				t.Errorf("Diff().Added = %q; want %q", got, tt.added)
			}
			if got := groupNames(c.Removed); !slices.Equal(got, tt.removed) {
				t.Errorf("Diff().Removed = %q; want %q", got, tt.removed)
			}
			if len(c.Changed) != len(tt.changed) {
				t.Errorf("Diff().Changed has %d groups; want %d", len(c.Changed), len(tt.changed))
			}
			for _, gc := range c.Changed {
				want := tt.changed[gc.New.Name]
				if !slices.Equal(gc.Added, want[0]) || !slices.Equal(gc.Changed, want[1]) || !slices.Equal(gc.Removed, want[2]) {
					t.Errorf("group %s: added %q changed %q removed %q; want %q", gc.New.Name, gc.Added, gc.Changed, gc.Removed, want)
				}
				if gc.Settings != slices.Contains(tt.settingsFor, gc.New.Name) {
					t.Errorf("group %s: Settings = %v", gc.New.Name, gc.Settings)
				}
			}
			if c.Empty() != (tt.added == nil && tt.removed == nil && tt.changed == nil) {
				t.Errorf("Diff().Empty() = %v", c.Empty())
			}
		})
	}
}

func TestProcessEqualIgnoresEnvironmentOrder(t *testing.T) {
	t.Parallel()
	a := Process{Name: "a", Environment: Env{{"A", "1"}, {"B", "2"}}}
	b := Process{Name: "a", Environment: Env{{"B", "2"}, {"A", "1"}}}
	if !a.Equal(&b) {
		t.Errorf("%v.Equal(%v) = false; want true", a.Environment, b.Environment)
	}
	b.Environment[0].Value = "3"
	if a.Equal(&b) {
		t.Errorf("%v.Equal(%v) = true; want false", a.Environment, b.Environment)
	}
}

func groupNames(gs []*Group) []string {
	var names []string
	for _, g := range gs {
		names = append(names, g.Name)
	}
	return names
}

func replace(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("BUG: test text does not contain " + old)
	}
	return strings.ReplaceAll(s, old, new)
}
