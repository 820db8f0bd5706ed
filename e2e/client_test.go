package e2e

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lancerhq/lancer/internal/testproc"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// TestClientAgainstOracle drives the Python supervisord with our XML-RPC
// client over its unix socket and over loopback TCP with basic auth.
func TestClientAgainstOracle(t *testing.T) {
	d := newConfData(t)
	conf := writeConf(t, "client.conf", d)
	startOracle(t, conf, d.Sock)

	transports := []struct {
		name string
		url  string
		opts xmlrpc.Options
	}{
		{"unix", "unix://" + d.Sock, xmlrpc.Options{}},
		{"tcp+auth", fmt.Sprintf("http://127.0.0.1:%d", d.Port), xmlrpc.Options{Username: d.User, Password: d.Pass}},
	}
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			c, err := xmlrpc.NewClient(tr.url, tr.opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			checkClient(t, c, d)
		})
	}
	t.Run("tcp wrong password", func(t *testing.T) {
		c, err := xmlrpc.NewClient(transports[1].url, xmlrpc.Options{Username: d.User, Password: "nope"})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.GetState(t.Context()); !errors.Is(err, xmlrpc.ErrUnauthorized) {
			t.Errorf("GetState with a wrong password = %v; want ErrUnauthorized", err)
		}
	})
}

// checkClient runs one full round of calls; it leaves the daemon as it
// found it (sleeper running, printer stopped) so that it can run per transport.
func checkClient(t *testing.T, c *xmlrpc.Client, d *confData) {
	ctx := t.Context()
	if st, err := c.GetState(ctx); err != nil || st.Name != "RUNNING" || st.Code != 1 {
		t.Fatalf("GetState = %+v, %v; want RUNNING/1", st, err)
	}
	if id, err := c.GetIdentification(ctx); err != nil || id != "e2e-oracle" {
		t.Errorf("GetIdentification = %q, %v; want e2e-oracle", id, err)
	}
	waitState(t, c, "sleeper", "RUNNING")
	infos, err := c.GetAllProcessInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := namespecs(infos); got != "printer sleeper" {
		t.Fatalf("GetAllProcessInfo names = %q; want %q", got, "printer sleeper")
	}
	sleeper := infos[1]
	if sleeper.PID <= 0 || !strings.HasPrefix(sleeper.Description, fmt.Sprintf("pid %d, uptime ", sleeper.PID)) {
		t.Errorf("sleeper info = %+v; want a pid and uptime description", sleeper)
	}

	// Start the printer, wait for it to exit, and read its log with offsets.
	if err := c.StartProcess(ctx, "printer", true); err != nil {
		t.Fatalf("StartProcess(printer) = %v", err)
	}
	waitState(t, c, "printer", "EXITED")
	checkLogOffsets(t, c)

	// Stop and restart the sleeper.
	if err := c.StopProcess(ctx, "sleeper", true); err != nil {
		t.Fatalf("StopProcess(sleeper) = %v", err)
	}
	if info, err := c.GetProcessInfo(ctx, "sleeper"); err != nil || info.StateName != "STOPPED" {
		t.Errorf("after stop: sleeper = %+v, %v; want STOPPED", info, err)
	}
	if err := c.StopProcess(ctx, "sleeper", true); !errors.Is(err, xmlrpc.ErrNotRunning) {
		t.Errorf("StopProcess(stopped sleeper) = %v; want NOT_RUNNING", err)
	}
	if err := c.StartProcess(ctx, "sleeper", true); err != nil {
		t.Fatalf("StartProcess(sleeper) = %v", err)
	}

	checkBadName(t, c)
	checkMulticall(t, c)
	if err := c.ClearProcessLogs(ctx, "printer"); err != nil {
		t.Errorf("ClearProcessLogs(printer) = %v", err)
	}
}

// checkLogOffsets reads the printer's log, which holds one copy of its five
// lines per round (the reference's clearProcessLogs does not empty the log
// of a process that is not running, so earlier rounds remain).
func checkLogOffsets(t *testing.T, c *xmlrpc.Client) {
	t.Helper()
	ctx := t.Context()
	want := ""
	for i := range 5 {
		want += fmt.Sprintf("line %06d 0123456789abcdefghijklmnopqrstuvwxyz\n", i)
	}
	full, err := c.ReadProcessStdoutLog(ctx, "printer", 0, 0)
	if err != nil || len(full) == 0 || strings.ReplaceAll(full, want, "") != "" {
		t.Fatalf("ReadProcessStdoutLog(printer, 0, 0) = %q, %v; want copies of %q", full, err, want)
	}
	base, size := len(full)-len(want), len(full)
	reads := []struct {
		offset, length int
		want           string
	}{
		{base, 0, want},
		{base, 10, want[:10]},
		{base + 10, 5, want[10:15]},
		{-20, 0, want[len(want)-20:]},
		{size + 100, 5, ""},
	}
	for _, r := range reads {
		got, err := c.ReadProcessStdoutLog(ctx, "printer", r.offset, r.length)
		if err != nil || got != r.want {
			t.Errorf("ReadProcessStdoutLog(printer, %d, %d) = %q, %v; want %q", r.offset, r.length, got, err, r.want)
		}
	}
	if _, err := c.ReadProcessStdoutLog(ctx, "printer", -1, 5); !errors.Is(err, xmlrpc.ErrBadArguments) {
		t.Errorf("ReadProcessStdoutLog(printer, -1, 5) = %v; want BAD_ARGUMENTS", err)
	}
	tail, err := c.TailProcessStdoutLog(ctx, "printer", 0, 10)
	if err != nil || tail.Data != want[len(want)-10:] || tail.Offset != size || !tail.Overflow {
		t.Errorf("TailProcessStdoutLog(printer, 0, 10) = %+v, %v; want last 10 bytes, offset %d, overflow", tail, err, size)
	}
	tail, err = c.TailProcessStdoutLog(ctx, "printer", size, 100)
	if err != nil || tail.Data != "" || tail.Offset != size || tail.Overflow {
		t.Errorf("TailProcessStdoutLog(printer, end, 100) = %+v, %v; want nothing new", tail, err)
	}
}

func checkBadName(t *testing.T, c *xmlrpc.Client) {
	t.Helper()
	_, err := c.GetProcessInfo(t.Context(), "nosuch")
	var f *xmlrpc.Fault
	if !errors.Is(err, xmlrpc.ErrBadName) || !errors.As(err, &f) || f.Code != 10 || f.String != "BAD_NAME: nosuch" {
		t.Errorf("GetProcessInfo(nosuch) = %v; want fault 10 BAD_NAME: nosuch", err)
	}
	if err := c.StartProcess(t.Context(), "nosuch", false); !errors.Is(err, xmlrpc.ErrBadName) {
		t.Errorf("StartProcess(nosuch) = %v; want BAD_NAME", err)
	}
}

func checkMulticall(t *testing.T, c *xmlrpc.Client) {
	t.Helper()
	res, err := c.Multicall(t.Context(), []xmlrpc.Call{
		{Method: "supervisor.getPID"},
		{Method: "supervisor.nosuch"},
		{Method: "supervisor.getProcessInfo", Params: []any{"sleeper"}},
		{Method: "supervisor.getProcessInfo", Params: []any{"nosuch"}},
	})
	if err != nil || len(res) != 4 {
		t.Fatalf("Multicall = %d results, %v; want 4", len(res), err)
	}
	var pid int
	if err := res[0].Decode(&pid); err != nil || pid <= 0 {
		t.Errorf("multicall[0] getPID = %d, %v; want a pid", pid, err)
	}
	if err := res[1].Err(); !errors.Is(err, xmlrpc.ErrUnknownMethod) {
		t.Errorf("multicall[1] = %v; want UNKNOWN_METHOD", err)
	}
	var info xmlrpc.ProcessInfo
	if err := res[2].Decode(&info); err != nil || info.Name != "sleeper" || info.Group != "sleeper" {
		t.Errorf("multicall[2] = %+v, %v; want sleeper's info", info, err)
	}
	if err := res[3].Err(); !errors.Is(err, xmlrpc.ErrBadName) {
		t.Errorf("multicall[3] = %v; want BAD_NAME", err)
	}
}

func namespecs(infos []xmlrpc.ProcessInfo) string {
	var names []string
	for _, p := range infos {
		names = append(names, p.Namespec())
	}
	return strings.Join(names, " ")
}

// waitState waits until process name reaches state, polling the daemon.
func waitState(t *testing.T, c *xmlrpc.Client, name, state string) {
	t.Helper()
	var last string
	testproc.WaitFor(t, 15*time.Second, name+" to reach "+state, func() bool {
		info, err := c.GetProcessInfo(t.Context(), name)
		if err != nil {
			t.Fatalf("GetProcessInfo(%s) = %v", name, err)
		}
		last = info.StateName
		return last == state
	})
}
