package supervisor

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// startAllConf mirrors a run of the reference's startAllProcesses: two
// groups of priority 5, one of 7, and a [group:x] whose programs have
// priorities of their own, listed out of that order. Nothing autostarts.
const startAllConf = `
[program:z]
command = z
priority = 5
autostart = false

[program:y]
command = y
priority = 5
startsecs = 2
autostart = false

; q exits before startsecs and is not retried.
[program:q]
command = q
priority = 7
startretries = 0
autostart = false

[group:g]
programs = b,c,d
priority = 999

[program:b]
command = b
priority = 20
autostart = false

; c cannot be spawned.
[program:c]
command = c
priority = 20
startretries = 0
autostart = false

[program:d]
command = d
priority = 10
startsecs = 0
autostart = false
`

// TestStartInPriorityOrder checks startAllProcesses and startProcessGroup
// (reference §2.5): starts go out in ascending priority (groups by
// theirs, a group's processes by their own), a level's all before the
// next's, several at once within a level; the results come in the
// reference's order, which puts the ones known at once (a failed start,
// startsecs=0, no wait) before those that wait for RUNNING, these in the
// order they end. The window of 1 is the reference's one-at-a-time.
func TestStartInPriorityOrder(t *testing.T) {
	// The levels, in start order: y and z (5), q (7), d (g, 10), b and c
	// (g, 20).
	levels := [][]string{{"y", "z"}, {"q"}, {"d"}, {"b", "c"}}
	tests := []struct {
		name    string
		call    func(context.Context, *harness) ([]Result, error)
		want    []string
		spawned []string // the "spawned:" lines, in order
	}{
		{"all, wait", func(ctx context.Context, h *harness) ([]Result, error) { return h.StartAll(ctx, true) },
			// c fails at once and d is RUNNING at once; then q exits at
			// 0.5 s; z and b are RUNNING at 1 s, y at 2 s.
			[]string{"g:d OK", "g:c SPAWN_ERROR", "q:q SPAWN_ERROR", "z:z OK", "g:b OK", "y:y OK"},
			[]string{"y", "z", "q", "d", "b"}},
		{"all, no wait", func(ctx context.Context, h *harness) ([]Result, error) { return h.StartAll(ctx, false) },
			[]string{"y:y OK", "z:z OK", "q:q OK", "g:d OK", "g:b OK", "g:c SPAWN_ERROR"},
			[]string{"y", "z", "q", "d", "b"}},
		{"group, wait", func(ctx context.Context, h *harness) ([]Result, error) { return h.StartGroup(ctx, "g", true) },
			[]string{"g:d OK", "g:c SPAWN_ERROR", "g:b OK"},
			[]string{"d", "b"}},
		{"group, no wait", func(ctx context.Context, h *harness) ([]Result, error) { return h.StartGroup(ctx, "g:*", false) },
			[]string{"g:d OK", "g:b OK", "g:c SPAWN_ERROR"},
			[]string{"d", "b"}},
	}
	for _, tt := range tests {
		for _, window := range []int{1, 4} {
			t.Run(fmt.Sprintf("%s, window %d", tt.name, window), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					h := newHarness(t, startAllConf)
					h.fake.script("c", script{spawnErr: "can't find command 'c'"})
					h.fake.script("q", script{exitAfter: 500 * time.Millisecond, code: 1})
					ws := newWindowSpawner(h.fake, window)
					h.opts.Spawner = ws
					h.start()
					h.mark()
					got := renderResults(tt.call(t.Context(), h))
					if !slices.Equal(got, tt.want) {
						t.Errorf("results = %q; want %q", got, tt.want)
					}
					if got := spawnedNames(h); !slices.Equal(got, tt.spawned) {
						t.Errorf("spawned: lines for %q; want %q", got, tt.spawned)
					}
					if got := ws.maxInflight(); got > window {
						t.Errorf("%d spawns ran at once; want at most %d", got, window)
					}
					ws.checkLevels(t, levels...)
					h.stop()
				})
			})
		}
	}
}

// spawnedNames returns the processes of the "spawned:" lines of the
// timeline so far, in order, and clears it.
func spawnedNames(h *harness) []string {
	var out []string
	for _, l := range spawnLines(h) {
		if _, rest, ok := strings.Cut(l, "INFO spawned: '"); ok {
			name, _, _ := strings.Cut(rest, "'")
			out = append(out, name)
		}
	}
	return out
}

// TestStartAllPollTies checks that starts that wait and end within one of
// the reference's polls are reported in start order, whichever ended
// first, and that later ones come after.
func TestStartAllPollTies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, `
[program:first]
command = first
startsecs = 2
autostart = false

[program:second]
command = second
startsecs = 1
autostart = false

[program:third]
command = third
startsecs = 3
autostart = false
`)
		h.fake.script("first", script{exitAfter: 1010 * time.Millisecond, code: 1})
		h.start()
		// second is RUNNING at 1 s, first exits at 1.01 s: one poll.
		got := renderResults(h.StartAll(t.Context(), true))
		want := []string{"first:first SPAWN_ERROR", "second:second OK", "third:third OK"}
		if !slices.Equal(got, want) {
			t.Errorf("results = %q; want %q", got, want)
		}
		h.stop()
	})
}
