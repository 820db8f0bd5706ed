// Package metrics exposes supervisord's state to Prometheus. It sits
// beside the rpc package above core/internal/supervisor: a [Collector]
// reads [Source] (the supervisor's Snapshot and EventStats) at scrape
// time and adds its samples, node_exporter style, so a scrape is never
// stale and nothing on a process's transition path updates a gauge. The
// only live counters are [Counters]: restarts and spawn failures, counted
// from the supervisor's events as they happen, and the outcome of the
// last config reload. The [Registry] is injected; the package keeps no
// global state of its own. It writes the Prometheus text format itself
// (expo.go) rather than through client_golang, whose protobuf data model
// cost the daemon 2.3 MB of resident memory; the tests read the output
// back with client_golang's parser and linter.
//
// # Series
//
// Per process, labelled {name, group}:
//
//	supervisord_process_state                  numeric state (STOPPED 0 … UNKNOWN 1000)
//	supervisord_process_up                     1 if RUNNING, else 0
//	supervisord_process_start_time_seconds     last start attempt, Unix time (absent if never started)
//	supervisord_process_exit_status            last exit status (-1 if killed by a signal)
//	supervisord_process_restarts_total         restarts the daemon made on its own
//	supervisord_process_spawn_failures_total   starts that failed (each BACKOFF)
//	supervisord_process_resident_memory_bytes  RSS of the child (absent without a pid)
//	supervisord_process_cpu_seconds_total      user+system CPU of the child (absent without a pid)
//
// Per event listener pool, labelled {pool}:
//
//	supervisord_event_buffer_depth, supervisord_event_buffer_size
//	supervisord_events_{accepted,delivered,rejected,dropped}_total
//
// And supervisord_config_last_reload_successful and
// supervisord_config_last_reload_success_timestamp_seconds, as in
// blackbox_exporter.
//
// # node_exporter compatibility
//
// The series of node_exporter's supervisord collector (which reads
// getAllProcessInfo over XML-RPC) are emitted too, with its names, help,
// types and meaning, so that existing dashboards and alerts keep
// working: node_supervisord_state, node_supervisord_exit_status,
// node_supervisord_up (1 in STARTING, RUNNING and STOPPING, its
// isRunning) and node_supervisord_start_time_seconds (whole seconds,
// typed counter, present only while up).
package metrics
