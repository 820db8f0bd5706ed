package metrics

const (
	namespace = "supervisord"
	// nodeNamespace and nodeSubsystem give node_exporter's names:
	// node_supervisord_*.
	nodeNamespace = "node"
	nodeSubsystem = "supervisord"
)

// The label names, sorted as the exposition writes them: a process's
// samples give their values as (group, name).
var (
	processLabels = []string{"group", "name"}
	poolLabels    = []string{"pool"}
)

func newDesc(subsystem, name string, k kind, help string, labels []string) *desc {
	return &desc{name: namespace + "_" + subsystem + "_" + name, help: help, kind: k, labels: labels}
}

func newNodeDesc(name string, k kind, help string) *desc {
	return &desc{name: nodeNamespace + "_" + nodeSubsystem + "_" + name, help: help, kind: k, labels: processLabels}
}

// descs are every family the package emits.
var descs = struct {
	state, up, startTime, exitStatus      *desc
	restarts, spawnFailures               *desc
	rss, cpu                              *desc
	bufferDepth, bufferSize               *desc
	accepted, delivered, rejected         *desc
	dropped                               *desc
	reloadOK, reloadTime                  *desc
	nodeUp, nodeState, nodeExit, nodeTime *desc
}{
	state:         newDesc("process", "state", gauge, "Process state, numbered as supervisord numbers it (STOPPED 0, STARTING 10, RUNNING 20, BACKOFF 30, STOPPING 40, EXITED 100, FATAL 200, UNKNOWN 1000).", processLabels),
	up:            newDesc("process", "up", gauge, "Whether the process is RUNNING.", processLabels),
	startTime:     newDesc("process", "start_time_seconds", gauge, "Unix time of the process's last start attempt.", processLabels),
	exitStatus:    newDesc("process", "exit_status", gauge, "Exit status of the process's last exit; -1 if a signal killed it.", processLabels),
	restarts:      newDesc("process", "restarts_total", counter, "Restarts made by supervisord on its own: STARTING entered from EXITED (autorestart) or BACKOFF (retry).", processLabels),
	spawnFailures: newDesc("process", "spawn_failures_total", counter, "Failed starts: BACKOFF entered after a spawn error or an exit before startsecs.", processLabels),
	rss:           newDesc("process", "resident_memory_bytes", gauge, "Resident memory of the process (not of its children).", processLabels),
	cpu:           newDesc("process", "cpu_seconds_total", counter, "User and system CPU time of the process (not of its children).", processLabels),
	bufferDepth:   newDesc("event", "buffer_depth", gauge, "Events waiting in the pool's buffer.", poolLabels),
	bufferSize:    newDesc("event", "buffer_size", gauge, "Capacity of the pool's buffer (buffer_size).", poolLabels),
	accepted:      newDesc("events", "accepted_total", counter, "Events buffered for the pool when they were published.", poolLabels),
	delivered:     newDesc("events", "delivered_total", counter, "Events a listener of the pool answered OK.", poolLabels),
	rejected:      newDesc("events", "rejected_total", counter, "Events a listener of the pool rejected (answered FAIL); they are buffered again.", poolLabels),
	dropped:       newDesc("events", "dropped_total", counter, "Events discarded from the pool's buffer on overflow or at its removal.", poolLabels),
	reloadOK:      newDesc("config", "last_reload_successful", gauge, "Whether the last reading of the config file (at restart or reread) succeeded.", nil),
	reloadTime:    newDesc("config", "last_reload_success_timestamp_seconds", gauge, "Unix time of the last successful reading of the config file.", nil),
	nodeUp:        newNodeDesc("up", gauge, "Process Up"),
	nodeState:     newNodeDesc("state", gauge, "Process State"),
	nodeExit:      newNodeDesc("exit_status", gauge, "Process Exit Status"),
	nodeTime:      newNodeDesc("start_time_seconds", counter, "Process start time"),
}

// allDescs returns every desc.
func allDescs() []*desc {
	return []*desc{
		descs.state, descs.up, descs.startTime, descs.exitStatus, descs.restarts, descs.spawnFailures,
		descs.rss, descs.cpu, descs.bufferDepth, descs.bufferSize, descs.accepted, descs.delivered,
		descs.rejected, descs.dropped, descs.reloadOK, descs.reloadTime,
		descs.nodeUp, descs.nodeState, descs.nodeExit, descs.nodeTime,
	}
}
