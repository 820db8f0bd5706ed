package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/shirou/gopsutil/v3/common"
	"github.com/shirou/gopsutil/v3/mem"
)

// memoryBase returns what a percentage limit (-g web=25%) is a share of:
// the machine's memory (MemTotal, through gopsutil/mem), or the cgroup v2
// memory.max of memmon's own cgroup or of any cgroup above it when that is
// smaller. Under supervisord that cgroup is supervisord's (a systemd
// service's MemoryMax=, a container's memory limit), which all its
// programs share. procRoot and cgroupRoot are normally /proc and
// /sys/fs/cgroup.
func memoryBase(ctx context.Context, procRoot, cgroupRoot string) (int64, error) {
	ctx = context.WithValue(ctx, common.EnvKey, common.EnvMap{common.HostProcEnvKey: procRoot})
	vm, err := mem.VirtualMemoryWithContext(ctx)
	if err != nil {
		return 0, fmt.Errorf("machine memory: %w", err)
	}
	if vm.Total == 0 { // gopsutil reads a missing meminfo as all zeros
		return 0, fmt.Errorf("machine memory: no MemTotal in %s", filepath.Join(procRoot, "meminfo"))
	}
	base := int64(vm.Total)
	limit, err := cgroupMemoryMax(procRoot, cgroupRoot)
	if err != nil {
		return 0, err
	}
	if limit > 0 && limit < base {
		base = limit
	}
	return base, nil
}

// cgroupMemoryMax returns the smallest memory.max set on the cgroup v2
// path of this process (from <procRoot>/self/cgroup, the "0::" line)
// and its ancestors, or 0 when none is set, there is no cgroup v2, or
// the files are not visible (a container without its cgroup mounted).
func cgroupMemoryMax(procRoot, cgroupRoot string) (int64, error) {
	rel, err := ownCgroup(filepath.Join(procRoot, "self", "cgroup"))
	if err != nil || rel == "" {
		return 0, err
	}
	var limit int64
	for dir := path.Clean("/" + rel); ; dir = path.Dir(dir) {
		n, err := readMemoryMax(filepath.Join(cgroupRoot, filepath.FromSlash(dir), "memory.max"))
		if err != nil {
			return 0, err
		}
		if n > 0 && (limit == 0 || n < limit) {
			limit = n
		}
		if dir == "/" {
			return limit, nil
		}
	}
}

// ownCgroup reads the cgroup v2 path from a /proc/<pid>/cgroup file, or
// "" when there is none (cgroup v1 only).
func ownCgroup(file string) (string, error) {
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("own cgroup: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if p, ok := strings.CutPrefix(sc.Text(), "0::"); ok {
			return p, nil
		}
	}
	return "", sc.Err()
}

// readMemoryMax reads a memory.max file: a byte count, or "max" (no
// limit, returned as 0). A missing file (the root cgroup has none) is no
// limit too.
func readMemoryMax(file string) (int64, error) {
	b, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("cgroup memory limit: %w", err)
	}
	s := strings.TrimSpace(string(b))
	if s == "max" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("cgroup memory limit %s: %q is not a byte count", file, s)
	}
	return n, nil
}
