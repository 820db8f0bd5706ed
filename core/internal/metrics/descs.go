package metrics

import "github.com/prometheus/client_golang/prometheus"

const (
	namespace = "supervisord"
	// nodeNamespace and nodeSubsystem give node_exporter's names:
	// node_supervisord_*.
	nodeNamespace = "node"
	nodeSubsystem = "supervisord"
)

var (
	processLabels = []string{"name", "group"}
	poolLabels    = []string{"pool"}
)

func newDesc(subsystem, name, help string, labels []string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(namespace, subsystem, name), help, labels, nil)
}

func newNodeDesc(name, help string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(nodeNamespace, nodeSubsystem, name), help, processLabels, nil)
}

// descs are every series the package emits.
var descs = struct {
	state, up, startTime, exitStatus      *prometheus.Desc
	restarts, spawnFailures               *prometheus.Desc
	rss, cpu                              *prometheus.Desc
	bufferDepth, bufferSize               *prometheus.Desc
	accepted, delivered, rejected         *prometheus.Desc
	dropped                               *prometheus.Desc
	reloadOK, reloadTime                  *prometheus.Desc
	nodeUp, nodeState, nodeExit, nodeTime *prometheus.Desc
}{
	state:         newDesc("process", "state", "Process state, numbered as supervisord numbers it (STOPPED 0, STARTING 10, RUNNING 20, BACKOFF 30, STOPPING 40, EXITED 100, FATAL 200, UNKNOWN 1000).", processLabels),
	up:            newDesc("process", "up", "Whether the process is RUNNING.", processLabels),
	startTime:     newDesc("process", "start_time_seconds", "Unix time of the process's last start attempt.", processLabels),
	exitStatus:    newDesc("process", "exit_status", "Exit status of the process's last exit; -1 if a signal killed it.", processLabels),
	restarts:      newDesc("process", "restarts_total", "Restarts made by supervisord on its own: STARTING entered from EXITED (autorestart) or BACKOFF (retry).", processLabels),
	spawnFailures: newDesc("process", "spawn_failures_total", "Failed starts: BACKOFF entered after a spawn error or an exit before startsecs.", processLabels),
	rss:           newDesc("process", "resident_memory_bytes", "Resident memory of the process (not of its children).", processLabels),
	cpu:           newDesc("process", "cpu_seconds_total", "User and system CPU time of the process (not of its children).", processLabels),
	bufferDepth:   newDesc("event", "buffer_depth", "Events waiting in the pool's buffer.", poolLabels),
	bufferSize:    newDesc("event", "buffer_size", "Capacity of the pool's buffer (buffer_size).", poolLabels),
	accepted:      newDesc("events", "accepted_total", "Events buffered for the pool when they were published.", poolLabels),
	delivered:     newDesc("events", "delivered_total", "Events a listener of the pool answered OK.", poolLabels),
	rejected:      newDesc("events", "rejected_total", "Events a listener of the pool rejected (answered FAIL); they are buffered again.", poolLabels),
	dropped:       newDesc("events", "dropped_total", "Events discarded from the pool's buffer on overflow or at its removal.", poolLabels),
	reloadOK:      newDesc("config", "last_reload_successful", "Whether the last reading of the config file (at restart or reread) succeeded.", nil),
	reloadTime:    newDesc("config", "last_reload_success_timestamp_seconds", "Unix time of the last successful reading of the config file.", nil),
	nodeUp:        newNodeDesc("up", "Process Up"),
	nodeState:     newNodeDesc("state", "Process State"),
	nodeExit:      newNodeDesc("exit_status", "Process Exit Status"),
	nodeTime:      newNodeDesc("start_time_seconds", "Process start time"),
}

// describe sends every desc.
func describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{
		descs.state, descs.up, descs.startTime, descs.exitStatus, descs.restarts, descs.spawnFailures,
		descs.rss, descs.cpu, descs.bufferDepth, descs.bufferSize, descs.accepted, descs.delivered,
		descs.rejected, descs.dropped, descs.reloadOK, descs.reloadTime,
		descs.nodeUp, descs.nodeState, descs.nodeExit, descs.nodeTime,
	} {
		ch <- d
	}
}
