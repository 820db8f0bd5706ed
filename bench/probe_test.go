package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// userHZ is the unit of the CPU times in /proc/<pid>/stat. The kernel
// always reports them in USER_HZ, which is 100 on every Linux
// architecture Go supports (sysconf(_SC_CLK_TCK) needs cgo to ask).
const userHZ = 100

// cpuSeconds returns the user plus system CPU time pid has used, its own
// threads only (children are not counted), from /proc/<pid>/stat.
func cpuSeconds(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name in parentheses may contain anything; the fields
	// after its closing parenthesis start with state (field 3), so utime
	// (field 14) and stime (15) are at 11 and 12.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	utime, err1 := strconv.ParseUint(f[11], 10, 64)
	stime, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: bad utime %q or stime %q", pid, f[11], f[12])
	}
	return float64(utime+stime) / userHZ, nil
}

// rssMiB returns the resident set size of pid (VmRSS in
// /proc/<pid>/status) in MiB.
func rssMiB(pid int) (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kib, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err != nil {
				return 0, fmt.Errorf("/proc/%d/status: VmRSS %q: %w", pid, v, err)
			}
			return kib / 1024, nil
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no VmRSS", pid)
}

// fsTypes names the file systems a run directory is likely to be on: the
// cost of creating 1000 AUTO child logs, part of the start figure of both
// daemons, depends on it (ext4 takes up to half a second, tmpfs 10 ms).
var fsTypes = map[int64]string{
	0xef53:     "ext4",
	0x01021994: "tmpfs",
	0x58465342: "xfs",
	0x9123683e: "btrfs",
	0x794c7630: "overlayfs",
}

// fsType returns the name of the file system dir is on.
func fsType(dir string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return err.Error()
	}
	if name, ok := fsTypes[int64(st.Type)]; ok {
		return name
	}
	return fmt.Sprintf("file system type %#x", st.Type)
}

// stampLayout is the main log's timestamp, the reference's asctime in
// local time (both daemons write it).
const stampLayout = "2006-01-02 15:04:05,000"

// mainLog is a main log file as read once.
type mainLog []byte

func readLog(path string) mainLog {
	b, _ := os.ReadFile(path)
	return b
}

// count returns how many lines contain s.
func (l mainLog) count(s string) int { return bytes.Count(l, []byte(s)) }

// lastStamp returns the latest timestamp of the lines containing s.
func (l mainLog) lastStamp(s string) (time.Time, error) {
	var last time.Time
	for line := range bytes.Lines(l) {
		if !bytes.Contains(line, []byte(s)) || len(line) < len(stampLayout) {
			continue
		}
		t, err := time.ParseInLocation(stampLayout, string(line[:len(stampLayout)]), time.Local)
		if err != nil {
			return last, fmt.Errorf("main log line %q: %w", line, err)
		}
		if t.After(last) {
			last = t
		}
	}
	if last.IsZero() {
		return last, fmt.Errorf("main log has no line containing %q", s)
	}
	return last, nil
}

var spawnedRE = regexp.MustCompile(`spawned: '[^']+' with pid (\d+)`)

// spawnedPIDs returns the pids of the "spawned: 'x' with pid N" lines.
func (l mainLog) spawnedPIDs() []int {
	var pids []int
	for _, m := range spawnedRE.FindAllSubmatch(l, -1) {
		if pid, ok := atoi(string(m[1])); ok {
			pids = append(pids, pid)
		}
	}
	return pids
}

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// tail returns the last lines of the file at path, for failure messages.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(%v)", err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}
