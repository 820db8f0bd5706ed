package main

import (
	"context"
	"fmt"

	"github.com/shirou/gopsutil/v3/common"
	"github.com/shirou/gopsutil/v3/process"
)

// RSSReader measures processes. memmon reads /proc through it, where
// superlance ran ps once per process (and on -c, ps ax once per process
// again): see procfs.
type RSSReader interface {
	// RSS returns the resident set size of pid in bytes.
	RSS(ctx context.Context, pid int) (int64, error)
	// Children returns the process table as parent pid to child pids,
	// from one scan.
	Children(ctx context.Context) (map[int][]int, error)
}

// procfs reads /proc, or the proc file system mounted at Root, through
// gopsutil: RSS from /proc/<pid>/statm (pages times os.Getpagesize) and
// parents from /proc/<pid>/stat. It never runs a program (gopsutil's
// Process.Children runs pgrep; it is not used). The zero value reads
// /proc and is safe for concurrent use.
type procfs struct {
	Root string // "" means /proc
}

// with returns ctx carrying Root for gopsutil.
func (p procfs) with(ctx context.Context) context.Context {
	if p.Root == "" || p.Root == "/proc" {
		return ctx
	}
	return context.WithValue(ctx, common.EnvKey, common.EnvMap{common.HostProcEnvKey: p.Root})
}

// RSS reads /proc/<pid>/statm.
func (p procfs) RSS(ctx context.Context, pid int) (int64, error) {
	// process.NewProcess would stat /proc/<pid> and read its stat file
	// first; a bare Process reads statm alone, one read per process.
	mi, err := (&process.Process{Pid: int32(pid)}).MemoryInfoWithContext(p.with(ctx))
	if err != nil {
		return 0, fmt.Errorf("rss of pid %d: %w", pid, err)
	}
	return int64(mi.RSS), nil
}

// Children lists /proc and reads the parent of each process. A process
// that exits during the scan is left out.
func (p procfs) Children(ctx context.Context) (map[int][]int, error) {
	ctx = p.with(ctx)
	pids, err := process.PidsWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("list processes: %w", err)
	}
	kids := make(map[int][]int, len(pids))
	for _, pid := range pids {
		ppid, err := (&process.Process{Pid: pid}).PpidWithContext(ctx)
		if err != nil {
			continue
		}
		kids[int(ppid)] = append(kids[int(ppid)], int(pid))
	}
	return kids, nil
}

// treeRSS returns the RSS of pid plus that of all its descendants in
// kids, as superlance's -c sums ps's table, and the pids it counted. It
// fails only if pid itself cannot be read; a descendant that exited since
// the scan counts for nothing.
func treeRSS(ctx context.Context, r RSSReader, pid int, kids map[int][]int) (int64, []int, error) {
	total, err := r.RSS(ctx, pid)
	if err != nil {
		return 0, nil, err
	}
	counted := []int{pid}
	seen := map[int]bool{pid: true}
	stack := append([]int(nil), kids[pid]...)
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[c] { // a pid reused during the scan could close a loop
			continue
		}
		seen[c] = true
		if rss, err := r.RSS(ctx, c); err == nil {
			total += rss
			counted = append(counted, c)
		}
		stack = append(stack, kids[c]...)
	}
	return total, counted, nil
}
