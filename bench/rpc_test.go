package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// A daemon answers getAllProcessInfo until both bounds are reached: at
// least rpcMinCalls calls and rpcMinTime. The reference, at about 8 calls
// a second, stops at the count (about 2.5 s); ours at the time.
const (
	rpcMinCalls = 20
	rpcMinTime  = 2 * time.Second
)

// rpcRun is how one daemon answered getAllProcessInfo with 500 processes.
type rpcRun struct {
	calls   int
	elapsed time.Duration // wall time of the calls, one after another
	cpu     float64       // daemon CPU seconds (user+system) meanwhile
	bytes   int           // size of one response
}

func (r *rpcRun) rate() float64       { return float64(r.calls) / r.elapsed.Seconds() }
func (r *rpcRun) cpuPerCall() float64 { return r.cpu / float64(r.calls) }

type rpcFleetConf struct {
	Dir      string
	Sock     string
	Command  string
	Programs []string
}

// runRPC starts c on fleet.conf's 500 programs with an XML-RPC server,
// waits until all are RUNNING, and calls getAllProcessInfo on it over the
// unix socket, one call at a time. The calls are posted and their
// responses read as bytes, not decoded, so that the client's XML parsing
// does not share the measurement; the first response is decoded and
// checked before the timed calls.
func runRPC(b *testing.B, c contender) *rpcRun {
	b.Helper()
	dir := b.TempDir()
	names := make([]string, fleetSize)
	for i := range names {
		names[i] = fmt.Sprintf("p%03d", i)
	}
	sock := filepath.Join(dir, "supervisor.sock")
	conf := writeConf(b, dir, "rpcfleet.conf", rpcFleetConf{dir, sock, sleepCommand, names})
	d := startDaemon(b, c.path, conf, dir)
	d.poll(b, 50*time.Millisecond, 90*time.Second, "500 programs RUNNING", func() bool {
		return readLog(d.log).count("success: ") >= fleetSize
	})
	hc := unixHTTP(sock)
	defer hc.CloseIdleConnections()
	r := &rpcRun{bytes: checkAllProcessInfo(b, hc)}
	pid := d.cmd.Process.Pid
	cpu0 := cpuOf(b, pid)
	start := time.Now()
	for r.calls < rpcMinCalls || time.Since(start) < rpcMinTime {
		if n, err := postGetAllProcessInfo(b.Context(), hc); err != nil || n != r.bytes {
			b.Fatalf("call %d: %d bytes, %v; want %d bytes", r.calls, n, err, r.bytes)
		}
		r.calls++
	}
	r.elapsed = time.Since(start)
	r.cpu = cpuOf(b, pid) - cpu0
	// The reference takes minutes to stop 500 groups; how a daemon shuts
	// down is BenchmarkShutdown500's business.
	d.kill()
	assertNoneLeft(b, dir)
	b.Logf("%s: %d getAllProcessInfo calls in %.3f s (%.1f/s), daemon CPU %.3f s (%.2f ms a call), %d-byte responses",
		c.name, r.calls, r.elapsed.Seconds(), r.rate(), r.cpu, r.cpuPerCall()*1000, r.bytes)
	return r
}

// unixHTTP returns an HTTP client that reaches the server on sock.
func unixHTTP(sock string) *http.Client {
	dial := func(ctx context.Context, _, _ string) (net.Conn, error) {
		return new(net.Dialer).DialContext(ctx, "unix", sock)
	}
	return &http.Client{Transport: &http.Transport{DialContext: dial}, Timeout: 30 * time.Second}
}

var getAllProcessInfoRequest = func() []byte {
	var buf bytes.Buffer
	if err := xmlrpc.EncodeRequest(&buf, "supervisor.getAllProcessInfo"); err != nil {
		panic("BUG: " + err.Error())
	}
	return buf.Bytes()
}()

// postGetAllProcessInfo calls getAllProcessInfo and returns the size of
// the response.
func postGetAllProcessInfo(ctx context.Context, hc *http.Client) (int, error) {
	resp, err := postXMLRPC(ctx, hc)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	return int(n), err
}

func postXMLRPC(ctx context.Context, hc *http.Client) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://localhost/RPC2", bytes.NewReader(getAllProcessInfoRequest))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("http %s", resp.Status)
	}
	return resp, nil
}

// checkAllProcessInfo makes one call, checks that it lists 500 RUNNING
// processes, and returns the size of the response.
func checkAllProcessInfo(b *testing.B, hc *http.Client) int {
	b.Helper()
	resp, err := postXMLRPC(b.Context(), hc)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	v, err := xmlrpc.DecodeResponse(bytes.NewReader(body), xmlrpc.Limits{MaxBytes: 64 << 20})
	var infos []xmlrpc.ProcessInfo
	if err == nil {
		err = xmlrpc.Unmarshal(v, &infos)
	}
	if err != nil {
		b.Fatalf("getAllProcessInfo: %v", err)
	}
	running := 0
	for _, p := range infos {
		if p.StateName == "RUNNING" {
			running++
		}
	}
	if len(infos) != fleetSize || running != fleetSize {
		b.Fatalf("getAllProcessInfo lists %d processes, %d RUNNING; want %d RUNNING", len(infos), running, fleetSize)
	}
	return len(body)
}

func BenchmarkGetAllProcessInfo500(b *testing.B) {
	runs := map[string]*rpcRun{}
	for _, c := range contenders(b) {
		runs[c.name] = once(b, "rpc/"+c.name, func(b *testing.B) *rpcRun { return runRPC(b, c) })
	}
	ours, ref := runs["ours"], runs["reference"]
	report(b, figure{
		name: "rpc-rate", what: "getAllProcessInfo/s, 500 procs", unit: "/s", higher: true,
		ours: ours.rate(), ref: ref.rate(),
		target: ">= 100x reference", met: ours.rate() >= 100*ref.rate(),
	})
	report(b, figure{
		name: "rpc-cpu", what: "daemon CPU per getAllProcessInfo", unit: "ms",
		ours: ours.cpuPerCall() * 1000, ref: ref.cpuPerCall() * 1000,
	})
}
