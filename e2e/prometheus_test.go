package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// prometheusBinary is Debian's prometheus package; `make deps` installs it.
const prometheusBinary = "/usr/bin/prometheus"

// requirePrometheus returns Prometheus's binary (see requireTool).
func requirePrometheus(t *testing.T) string { return requireTool(t, prometheusBinary, "prometheus") }

// prometheusYML scrapes our daemon every second, with basic auth.
const prometheusYML = `global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: lancer
    static_configs:
      - targets: ["127.0.0.1:%d"]
    basic_auth:
      username: %q
      password: %q
`

// TestPrometheusScrapesMetrics runs a real Prometheus on loopback against
// our supervisord's /metrics and queries it for process x's state, both
// in node_exporter's node_supervisord_* series and in ours, then stops x
// and waits for the new state to be scraped.
func TestPrometheusScrapesMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("runs supervisord and Prometheus")
	}
	requirePrometheus(t)
	d := newConfData(t)
	conf := writeConf(t, "prometheus.conf", d)
	startDaemon(t, lancerBinary(t, "supervisord"), conf, d.Sock)
	c, err := xmlrpc.NewClient("unix://"+d.Sock, xmlrpc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitState(t, c, "x", "RUNNING")

	api := startPrometheus(t, d)
	awaitQuery(t, api, `node_supervisord_state{name="x",group="x"}`, "20")
	awaitQuery(t, api, `supervisord_process_up{name="x",group="x"}`, "1")
	if err := c.StopProcess(t.Context(), "x", true); err != nil {
		t.Fatal(err)
	}
	awaitQuery(t, api, `node_supervisord_state{name="x",group="x"}`, "0")
	awaitQuery(t, api, `supervisord_process_up{name="x",group="x"}`, "0")
}

// startPrometheus runs Prometheus scraping the daemon of d and returns the
// base URL of its HTTP API. Cleanup stops it.
func startPrometheus(t *testing.T, d *confData) string {
	t.Helper()
	dir := filepath.Join(d.Dir, "prometheus")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	yml := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(yml, fmt.Appendf(nil, prometheusYML, d.Port, d.User, d.Pass), 0o600); err != nil {
		t.Fatal(err)
	}
	listen := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cmd := exec.Command(prometheusBinary, "--config.file="+yml, "--web.listen-address="+listen,
		"--storage.tsdb.path="+filepath.Join(dir, "data"), "--log.level=warn")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start prometheus: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		if t.Failed() {
			t.Logf("prometheus output:\n%s", out.String())
		}
	})
	return "http://" + listen
}

// queryResponse is the part of /api/v1/query's answer the test reads.
type queryResponse struct {
	Status string `json:"status"`
	Data   struct {
		Result []struct {
			Metric map[string]string `json:"metric"`
			Value  [2]any            `json:"value"` // [unix time, "value"]
		} `json:"result"`
	} `json:"data"`
}

// awaitQuery polls Prometheus's instant query API at api until query
// answers one series whose value is want, for up to a minute: Prometheus
// must start, scrape and ingest first.
func awaitQuery(t *testing.T, api, query, want string) {
	t.Helper()
	u := api + "/api/v1/query?query=" + url.QueryEscape(query)
	deadline := time.Now().Add(60 * time.Second)
	last := "no answer"
	for {
		got, err := instantQuery(t, u)
		switch {
		case err != nil:
			last = err.Error()
		case len(got.Data.Result) == 1 && got.Data.Result[0].Value[1] == want:
			return
		default:
			last = fmt.Sprintf("%+v", got.Data.Result)
		}
		if time.Now().After(deadline) {
			t.Fatalf("Prometheus query %s: last answer %s; want one series valued %s", query, last, want)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func instantQuery(t *testing.T, u string) (queryResponse, error) {
	var qr queryResponse
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		return qr, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return qr, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return qr, fmt.Errorf("http %s", resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&qr); err != nil {
		return qr, fmt.Errorf("decode: %w", err)
	}
	if qr.Status != "success" {
		return qr, fmt.Errorf("status %q", qr.Status)
	}
	return qr, nil
}
