package metrics

import (
	"context"
	"errors"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/events"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/core/internal/supervisor"
	"github.com/lancerhq/lancer/protocol"
)

type fakeSource struct {
	procs []supervisor.ProcessStatus
	pools []events.Stats
}

func (f *fakeSource) Snapshot() []supervisor.ProcessStatus { return f.procs }
func (f *fakeSource) EventStats() []events.Stats           { return f.pools }

// fakeUsage answers from a map; other pids fail, as exited ones do.
type fakeUsage map[int]Usage

func (f fakeUsage) Usage(_ context.Context, pid int) (Usage, error) {
	if u, ok := f[pid]; ok {
		return u, nil
	}
	return Usage{}, errors.New("no such process")
}

func status(group, name string, st process.State, pid int, start time.Time, exit int) supervisor.ProcessStatus {
	return supervisor.ProcessStatus{Info: process.Info{
		Name: name, Group: group, State: st, Pid: pid, Start: start, ExitStatus: exit,
	}}
}

var t0 = time.Unix(1700000000, 500_000_000)

func testSource() *fakeSource {
	return &fakeSource{
		procs: []supervisor.ProcessStatus{
			status("web", "web_0", process.Running, 100, t0, 0),
			status("web", "web_1", process.Starting, 101, t0, 0),
			status("cron", "cron", process.Exited, 0, t0, 2),
			status("idle", "idle", process.Stopped, 0, time.Time{}, 0),
		},
		pools: []events.Stats{{Pool: "listener", Size: 10, Depth: 3, Accepted: 40, Delivered: 30, Rejected: 2, Dropped: 5}},
	}
}

func newCollector(t *testing.T, src Source, opts Options) (*Registry, *Collector) {
	t.Helper()
	reg := NewRegistry()
	c, err := New(reg, src, opts)
	if err != nil {
		t.Fatal(err)
	}
	return reg, c
}

func TestCollect(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) { // time.Now is 2000-01-01T00:00:00Z: 946684800
		counters := NewCounters()
		for _, ev := range []protocol.ProcessState{
			{Type: protocol.ProcessStateBackoff, GroupName: "web", ProcessName: "web_1", FromState: "STARTING"},
			{Type: protocol.ProcessStateStarting, GroupName: "web", ProcessName: "web_1", FromState: "BACKOFF"},
			{Type: protocol.ProcessStateStarting, GroupName: "cron", ProcessName: "cron", FromState: "EXITED"},
		} {
			counters.Observe(ev)
		}
		reg, _ := newCollector(t, testSource(), Options{Counters: counters,
			Usage: fakeUsage{100: {RSSBytes: 4096, CPUSeconds: 1.5}}})
		got := exposition(t, reg)
		if want := strings.TrimPrefix(wantExposition, "\n"); got != want {
			t.Errorf("exposition:\n%s\nwant (client_golang's, before it was replaced):\n%s", got, want)
		}
		checkWithClientGolang(t, got)
	})
}

const wantExposition = `
# HELP node_supervisord_exit_status Process Exit Status
# TYPE node_supervisord_exit_status gauge
node_supervisord_exit_status{group="cron",name="cron"} 2
node_supervisord_exit_status{group="idle",name="idle"} 0
node_supervisord_exit_status{group="web",name="web_0"} 0
node_supervisord_exit_status{group="web",name="web_1"} 0
# HELP node_supervisord_start_time_seconds Process start time
# TYPE node_supervisord_start_time_seconds counter
node_supervisord_start_time_seconds{group="web",name="web_0"} 1.7e+09
node_supervisord_start_time_seconds{group="web",name="web_1"} 1.7e+09
# HELP node_supervisord_state Process State
# TYPE node_supervisord_state gauge
node_supervisord_state{group="cron",name="cron"} 100
node_supervisord_state{group="idle",name="idle"} 0
node_supervisord_state{group="web",name="web_0"} 20
node_supervisord_state{group="web",name="web_1"} 10
# HELP node_supervisord_up Process Up
# TYPE node_supervisord_up gauge
node_supervisord_up{group="cron",name="cron"} 0
node_supervisord_up{group="idle",name="idle"} 0
node_supervisord_up{group="web",name="web_0"} 1
node_supervisord_up{group="web",name="web_1"} 1
# HELP supervisord_config_last_reload_success_timestamp_seconds Unix time of the last successful reading of the config file.
# TYPE supervisord_config_last_reload_success_timestamp_seconds gauge
supervisord_config_last_reload_success_timestamp_seconds 9.466848e+08
# HELP supervisord_config_last_reload_successful Whether the last reading of the config file (at restart or reread) succeeded.
# TYPE supervisord_config_last_reload_successful gauge
supervisord_config_last_reload_successful 1
# HELP supervisord_event_buffer_depth Events waiting in the pool's buffer.
# TYPE supervisord_event_buffer_depth gauge
supervisord_event_buffer_depth{pool="listener"} 3
# HELP supervisord_event_buffer_size Capacity of the pool's buffer (buffer_size).
# TYPE supervisord_event_buffer_size gauge
supervisord_event_buffer_size{pool="listener"} 10
# HELP supervisord_events_accepted_total Events buffered for the pool when they were published.
# TYPE supervisord_events_accepted_total counter
supervisord_events_accepted_total{pool="listener"} 40
# HELP supervisord_events_delivered_total Events a listener of the pool answered OK.
# TYPE supervisord_events_delivered_total counter
supervisord_events_delivered_total{pool="listener"} 30
# HELP supervisord_events_dropped_total Events discarded from the pool's buffer on overflow or at its removal.
# TYPE supervisord_events_dropped_total counter
supervisord_events_dropped_total{pool="listener"} 5
# HELP supervisord_events_rejected_total Events a listener of the pool rejected (answered FAIL); they are buffered again.
# TYPE supervisord_events_rejected_total counter
supervisord_events_rejected_total{pool="listener"} 2
# HELP supervisord_process_cpu_seconds_total User and system CPU time of the process (not of its children).
# TYPE supervisord_process_cpu_seconds_total counter
supervisord_process_cpu_seconds_total{group="web",name="web_0"} 1.5
# HELP supervisord_process_exit_status Exit status of the process's last exit; -1 if a signal killed it.
# TYPE supervisord_process_exit_status gauge
supervisord_process_exit_status{group="cron",name="cron"} 2
supervisord_process_exit_status{group="idle",name="idle"} 0
supervisord_process_exit_status{group="web",name="web_0"} 0
supervisord_process_exit_status{group="web",name="web_1"} 0
# HELP supervisord_process_resident_memory_bytes Resident memory of the process (not of its children).
# TYPE supervisord_process_resident_memory_bytes gauge
supervisord_process_resident_memory_bytes{group="web",name="web_0"} 4096
# HELP supervisord_process_restarts_total Restarts made by supervisord on its own: STARTING entered from EXITED (autorestart) or BACKOFF (retry).
# TYPE supervisord_process_restarts_total counter
supervisord_process_restarts_total{group="cron",name="cron"} 1
supervisord_process_restarts_total{group="idle",name="idle"} 0
supervisord_process_restarts_total{group="web",name="web_0"} 0
supervisord_process_restarts_total{group="web",name="web_1"} 1
# HELP supervisord_process_spawn_failures_total Failed starts: BACKOFF entered after a spawn error or an exit before startsecs.
# TYPE supervisord_process_spawn_failures_total counter
supervisord_process_spawn_failures_total{group="cron",name="cron"} 0
supervisord_process_spawn_failures_total{group="idle",name="idle"} 0
supervisord_process_spawn_failures_total{group="web",name="web_0"} 0
supervisord_process_spawn_failures_total{group="web",name="web_1"} 1
# HELP supervisord_process_start_time_seconds Unix time of the process's last start attempt.
# TYPE supervisord_process_start_time_seconds gauge
supervisord_process_start_time_seconds{group="cron",name="cron"} 1.7000000005e+09
supervisord_process_start_time_seconds{group="web",name="web_0"} 1.7000000005e+09
supervisord_process_start_time_seconds{group="web",name="web_1"} 1.7000000005e+09
# HELP supervisord_process_state Process state, numbered as supervisord numbers it (STOPPED 0, STARTING 10, RUNNING 20, BACKOFF 30, STOPPING 40, EXITED 100, FATAL 200, UNKNOWN 1000).
# TYPE supervisord_process_state gauge
supervisord_process_state{group="cron",name="cron"} 100
supervisord_process_state{group="idle",name="idle"} 0
supervisord_process_state{group="web",name="web_0"} 20
supervisord_process_state{group="web",name="web_1"} 10
# HELP supervisord_process_up Whether the process is RUNNING.
# TYPE supervisord_process_up gauge
supervisord_process_up{group="cron",name="cron"} 0
supervisord_process_up{group="idle",name="idle"} 0
supervisord_process_up{group="web",name="web_0"} 1
supervisord_process_up{group="web",name="web_1"} 0
`

func TestCountersObserve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name               string
		to                 protocol.EventType
		from               string
		restarts, failures uint64
	}{
		{"autorestart", protocol.ProcessStateStarting, "EXITED", 1, 0},
		{"retry", protocol.ProcessStateStarting, "BACKOFF", 1, 0},
		{"first start", protocol.ProcessStateStarting, "STOPPED", 0, 0},
		{"start after fatal", protocol.ProcessStateStarting, "FATAL", 0, 0},
		{"failed start", protocol.ProcessStateBackoff, "STARTING", 0, 1},
		{"running", protocol.ProcessStateRunning, "STARTING", 0, 0},
		{"exited", protocol.ProcessStateExited, "RUNNING", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := NewCounters()
			c.Observe(protocol.ProcessState{Type: tt.to, FromState: tt.from, GroupName: "g", ProcessName: "p"})
			c.Observe(protocol.ProcessGroup{Type: protocol.ProcessGroupAdded, GroupName: "g"}) // ignored
			got := c.process("g", "p")
			if got.restarts != tt.restarts || got.spawnFailures != tt.failures {
				t.Errorf("after %s from %s: restarts %d, spawn failures %d; want %d, %d",
					tt.to, tt.from, got.restarts, got.spawnFailures, tt.restarts, tt.failures)
			}
		})
	}
}

func TestReload(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := NewCounters()
		reg, _ := newCollector(t, &fakeSource{}, Options{Counters: c})
		fail := c.Reload(func() (*config.File, error) { return nil, errors.New("bad config") })
		ok := c.Reload(func() (*config.File, error) { return &config.File{}, nil })
		check := func(step string, want string) {
			t.Helper()
			got := only(exposition(t, reg),
				"supervisord_config_last_reload_successful", "supervisord_config_last_reload_success_timestamp_seconds")
			if want = strings.TrimPrefix(want, "\n"); got != want {
				t.Errorf("%s:\n%s\nwant:\n%s", step, got, want)
			}
		}
		time.Sleep(time.Hour)
		fail()
		check("after a failed reload", reloadExposition(0, 946684800))
		time.Sleep(time.Hour)
		ok()
		check("after a successful reload", reloadExposition(1, 946684800+7200))
	})
}

func reloadExposition(ok int, at int) string {
	return strings.NewReplacer("OK", strconv.Itoa(ok), "AT", strconv.FormatFloat(float64(at), 'g', -1, 64)).Replace(`
# HELP supervisord_config_last_reload_success_timestamp_seconds Unix time of the last successful reading of the config file.
# TYPE supervisord_config_last_reload_success_timestamp_seconds gauge
supervisord_config_last_reload_success_timestamp_seconds AT
# HELP supervisord_config_last_reload_successful Whether the last reading of the config file (at restart or reread) succeeded.
# TYPE supervisord_config_last_reload_successful gauge
supervisord_config_last_reload_successful OK
`)
}

// TestScrape scrapes through Handler, as Prometheus would.
func TestScrape(t *testing.T) {
	t.Parallel()
	reg, _ := newCollector(t, testSource(), Options{Usage: fakeUsage{}})
	rec := httptest.NewRecorder()
	Handler(reg, nil).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`node_supervisord_up{group="web",name="web_0"} 1`,
		`supervisord_process_state{group="cron",name="cron"} 100`,
		`supervisord_events_dropped_total{pool="listener"} 5`,
	} {
		if !strings.Contains(body, "\n"+want+"\n") {
			t.Errorf("scrape lacks %q:\n%s", want, body)
		}
	}
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Errorf("scrape = %d %q; want 200 text/plain", rec.Code, rec.Header().Get("Content-Type"))
	}
}

// blockingUsage never answers before its context ends.
type blockingUsage struct{}

func (blockingUsage) Usage(ctx context.Context, _ int) (Usage, error) {
	<-ctx.Done()
	return Usage{}, ctx.Err()
}

// TestUsageTimeout checks that a usage reader that hangs costs a scrape
// at most UsageTimeout, and that the rest is still reported.
func TestUsageTimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		reg, _ := newCollector(t, testSource(), Options{Usage: blockingUsage{}, UsageTimeout: 3 * time.Second})
		begin := time.Now()
		text := only(exposition(t, reg), "supervisord_process_state", "supervisord_process_resident_memory_bytes")
		n := strings.Count(text, "\n") - 2*strings.Count(text, "# HELP ")
		if d := time.Since(begin); d != 3*time.Second || n != 4 {
			t.Errorf("collect with a hanging usage reader took %v and gave %d series; want 3s and the 4 states", d, n)
		}
	})
}

func TestRegisterTwice(t *testing.T) {
	t.Parallel()
	reg := NewRegistry()
	if _, err := New(reg, &fakeSource{}, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := New(reg, &fakeSource{}, Options{}); err == nil {
		t.Error("second New on the same registry = nil error; want a duplicate registration error")
	}
}
