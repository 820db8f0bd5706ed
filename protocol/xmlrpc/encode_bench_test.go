package xmlrpc

import (
	"fmt"
	"io"
	"testing"
)

// BenchmarkEncodeAllProcessInfo encodes what getAllProcessInfo answers
// with 500 processes, the daemon's most common large response.
func BenchmarkEncodeAllProcessInfo(b *testing.B) {
	infos := make([]ProcessInfo, 500)
	for i := range infos {
		n := fmt.Sprintf("p%03d", i)
		infos[i] = ProcessInfo{
			Name: n, Group: n, Start: 1763798400, Now: 1763798460, State: 20, StateName: "RUNNING",
			Description: "pid 12345, uptime 0:01:00", Logfile: "/var/log/supervisor/" + n + "-stdout---supervisor-abc123.log",
			StdoutLogfile: "/var/log/supervisor/" + n + "-stdout---supervisor-abc123.log",
			StderrLogfile: "/var/log/supervisor/" + n + "-stderr---supervisor-def456.log", PID: 12345,
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := EncodeResponse(io.Discard, infos); err != nil {
			b.Fatal(err)
		}
	}
}
