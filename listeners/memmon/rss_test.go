package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testdata/proc is a proc file system: superlance's cumulative test
// table, 1 -> 2 -> {3, 4} and an unrelated 5 -> 6, with 25, 50, 75, 100,
// 7 and 9 resident pages; pid 7 has an unreadable statm.
const fixtureProc = "testdata/proc"

// TestProcfsRSS is test_calc_rss_not_cumulative on a proc fixture: statm's
// second field, in pages of os.Getpagesize() bytes; garbage is an error
// (superlance: None), and so is a pid that does not exist.
func TestProcfsRSS(t *testing.T) {
	t.Parallel()
	r := procfs{Root: fixtureProc}
	page := int64(os.Getpagesize())
	if got, err := r.RSS(t.Context(), 2); err != nil || got != 50*page {
		t.Errorf("RSS(2) = %d, %v; want %d", got, err, 50*page)
	}
	for _, pid := range []int{7, 99} {
		if got, err := r.RSS(t.Context(), pid); err == nil {
			t.Errorf("RSS(%d) = %d; want an error", pid, got)
		}
	}
}

// TestProcfsTree is test_calc_rss_cumulative: the RSS of 1 and all its
// descendants, not of the unrelated 5 and 6; a comm with parentheses
// and spaces does not confuse the parent.
func TestProcfsTree(t *testing.T) {
	t.Parallel()
	r := procfs{Root: fixtureProc}
	kids, err := r.Children(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kids {
		slices.Sort(k)
	}
	want := map[int][]int{0: {1, 5}, 1: {2}, 2: {3, 4}, 5: {6}}
	if diff := cmp.Diff(want, kids); diff != "" {
		t.Errorf("Children (-want +got):\n%s", diff)
	}
	page := int64(os.Getpagesize())
	total, counted, err := treeRSS(t.Context(), r, 1, kids)
	slices.Sort(counted)
	if err != nil || total != (25+50+75+100)*page || !slices.Equal(counted, []int{1, 2, 3, 4}) {
		t.Errorf("treeRSS(1) = %d %v, %v; want %d of [1 2 3 4]", total, counted, err, 250*page)
	}
	if _, _, err := treeRSS(t.Context(), r, 99, kids); err == nil {
		t.Error("treeRSS of a missing pid succeeded; want an error (superlance: None)")
	}
}

// TestTreeRSSSuperlanceTable is test_calc_rss_cumulative with its own
// numbers, 100+200+300+400 KB = 1024000, on the fake reader; a
// descendant that exited since the scan counts for nothing, and a loop
// in the table (a pid reused mid-scan) ends.
func TestTreeRSSSuperlanceTable(t *testing.T) {
	t.Parallel()
	r := &fakeRSS{
		rss:  map[int]int64{1: 100 << 10, 2: 200 << 10, 3: 300 << 10, 4: 400 << 10, 5: 1 << 30, 6: -1},
		kids: map[int][]int{0: {1, 5}, 1: {2}, 2: {3, 4, 6}, 4: {1}},
	}
	total, _, err := treeRSS(t.Context(), r, 1, r.kids)
	if err != nil || total != 1024000 {
		t.Errorf("treeRSS = %d, %v; want 1024000", total, err)
	}
}

// TestCumulativeScansOncePerTick: with -c memmon reads the process table
// once per TICK (memmon.py ran ps ax once per process), and only when a
// process has a limit.
func TestCumulativeScansOncePerTick(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "-c", "-a", "1GB")
	h.rss.kids = map[int][]int{11: {13}, 13: {14}}
	h.rss.rss = map[int]int64{13: 1000, 14: 24}
	h.tick(t)
	if h.rss.scan != 1 {
		t.Errorf("%d scans; want 1", h.rss.scan)
	}
	if want := "RSS of foo:foo is 2265088\n"; !slices.Contains(h.lines(), want[:len(want)-1]) {
		t.Errorf("stderr = %q; want %q (2264064 + 1000 + 24)", h.out.String(), want)
	}
	h = newHarness(t, "-c", "-p", "nothing=1")
	h.tick(t)
	if h.rss.scan != 0 {
		t.Errorf("%d scans with no process to measure; want 0", h.rss.scan)
	}
}

// TestMemoryBase: a percentage is of MemTotal, or of the smallest cgroup
// v2 memory.max on the way from memmon's cgroup to the root.
func TestMemoryBase(t *testing.T) {
	t.Parallel()
	const total = 8000000 << 10 // testdata/proc/meminfo
	for _, tc := range []struct {
		name  string
		files map[string]string // under the cgroup root
		want  int64
	}{
		{"no cgroup files", nil, total},
		{"unlimited", map[string]string{"system.slice/supervisor.service/memory.max": "max\n"}, total},
		{"own limit", map[string]string{"system.slice/supervisor.service/memory.max": "1073741824\n"}, 1 << 30},
		{"parent limit is smaller", map[string]string{
			"system.slice/supervisor.service/memory.max": "2147483648\n",
			"system.slice/memory.max":                    "536870912\n",
		}, 512 << 20},
		{"limit above the machine", map[string]string{"system.slice/supervisor.service/memory.max": "99999999999999\n"}, total},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			for name, data := range tc.files {
				p := filepath.Join(root, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := memoryBase(t.Context(), fixtureProc, root)
			if err != nil || got != tc.want {
				t.Errorf("memoryBase = %d, %v; want %d", got, err, tc.want)
			}
		})
	}
	bad := t.TempDir()
	os.MkdirAll(filepath.Join(bad, "system.slice"), 0o755)
	os.WriteFile(filepath.Join(bad, "system.slice", "memory.max"), []byte("lots"), 0o644)
	if _, err := memoryBase(t.Context(), fixtureProc, bad); err == nil {
		t.Error("memoryBase with a garbled memory.max succeeded")
	}
	if _, err := memoryBase(t.Context(), t.TempDir(), t.TempDir()); err == nil {
		t.Error("memoryBase without meminfo succeeded; want an error, not 0 bytes")
	}
}

// TestMemoryBaseHere reads this machine's /proc and cgroup: whatever it
// finds must be a plausible size.
func TestMemoryBaseHere(t *testing.T) {
	t.Parallel()
	got, err := memoryBase(t.Context(), "/proc", "/sys/fs/cgroup")
	if err != nil || got < 64<<20 {
		t.Errorf("memoryBase = %d, %v", got, err)
	}
}
