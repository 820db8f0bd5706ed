package metrics

import (
	"context"

	"github.com/shirou/gopsutil/v3/common"
	gprocess "github.com/shirou/gopsutil/v3/process"
)

// Usage is what a process uses of the machine.
type Usage struct {
	RSSBytes   uint64  // resident set size
	CPUSeconds float64 // user and system CPU time
}

// UsageReader reads the usage of a live process by pid.
type UsageReader interface {
	Usage(ctx context.Context, pid int) (Usage, error)
}

// ProcReader is the [UsageReader] of Linux: gopsutil reading
// /proc/<pid>/statm and /proc/<pid>/stat under a procfs root. It reads
// two small files per process and never lists /proc. The zero value
// reads /proc. It is safe for concurrent use.
type ProcReader struct {
	// Root is the procfs mount, "" for /proc (node_exporter's
	// --path.procfs).
	Root string
}

// Usage reads the RSS and CPU time of pid.
func (r ProcReader) Usage(ctx context.Context, pid int) (Usage, error) {
	if r.Root != "" {
		ctx = context.WithValue(ctx, common.EnvKey, common.EnvMap{common.HostProcEnvKey: r.Root})
	}
	// Not gprocess.NewProcess: it checks that the pid exists and reads
	// its start time first, which would triple the cost.
	p := &gprocess.Process{Pid: int32(pid)}
	mem, err := p.MemoryInfoWithContext(ctx)
	if err != nil {
		return Usage{}, err
	}
	t, err := p.TimesWithContext(ctx)
	if err != nil {
		return Usage{}, err
	}
	return Usage{RSSBytes: mem.RSS, CPUSeconds: t.User + t.System}, nil
}
