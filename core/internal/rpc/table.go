package rpc

import (
	"context"
	"maps"
	"slices"
)

// method is one row of the method table.
type method struct {
	// sig is what system.methodSignature answers: the return type, then
	// the parameter types, as the reference derives them from its
	// docstrings' @return and @param tags.
	sig []string
	// opt is how many trailing parameters may be left out (wait=True).
	opt int
	// gate refuses the call with SHUTDOWN_STATE while the daemon shuts
	// down or restarts.
	gate bool
	help string
	call func(h *Handler, ctx context.Context, a *args) (any, error)
}

func sig(types ...string) []string { return types }

// systemMethods are always served.
var systemMethods = map[string]method{
	"system.listMethods": {sig: sig("array"), call: (*Handler).listMethods,
		help: "Return the names of the methods served, sorted."},
	"system.methodHelp": {sig: sig("string", "string"), call: (*Handler).methodHelp,
		help: "Return the documentation of the method name, or the fault SIGNATURE_UNSUPPORTED."},
	"system.methodSignature": {sig: sig("array", "string"), call: (*Handler).methodSignature,
		help: "Return [return type, parameter types...] of the method name, or the fault SIGNATURE_UNSUPPORTED."},
	"system.multicall": {sig: sig("array", "array"), call: (*Handler).multicall,
		help: "Run calls, an array of {methodName, params} structs, one after the other; return one entry per call: " +
			"its bare result, or a {faultCode, faultString} struct."},
}

// supervisorMethods are served when there is a Supervisor. Aliases are
// rows of their own, as the reference lists them.
var supervisorMethods = map[string]method{
	"supervisor.getAPIVersion":        {sig: sig("string"), gate: true, call: (*Handler).getAPIVersion, help: "Return the version of the XML-RPC API, 3.0."},
	"supervisor.getVersion":           {sig: sig("string"), gate: true, call: (*Handler).getAPIVersion, help: "Alias of getAPIVersion."},
	"supervisor.getSupervisorVersion": {sig: sig("string"), gate: true, call: (*Handler).getSupervisorVersion, help: "Return the supervisord version this daemon is compatible with."},
	"supervisor.getIdentification":    {sig: sig("string"), gate: true, call: (*Handler).getIdentification, help: "Return the identifier of this supervisord."},
	"supervisor.getState":             {sig: sig("struct"), gate: true, call: (*Handler).getState, help: "Return the daemon's state as {statecode, statename}."},
	"supervisor.getPID":               {sig: sig("int"), gate: true, call: (*Handler).getPID, help: "Return the process id of supervisord."},
	"supervisor.readLog":              {sig: sig("string", "int", "int"), gate: true, call: (*Handler).readLog, help: "Read length bytes of the main log from offset; offset < 0 with length 0 reads the last -offset bytes."},
	"supervisor.readMainLog":          {sig: sig("string", "int", "int"), gate: true, call: (*Handler).readLog, help: "Alias of readLog."},
	"supervisor.clearLog":             {sig: sig("boolean"), gate: true, call: (*Handler).clearLog, help: "Remove the main log file and reopen it empty."},
	"supervisor.shutdown":             {sig: sig("boolean"), gate: true, call: (*Handler).shutdown, help: "Stop every process and exit."},
	"supervisor.restart":              {sig: sig("boolean"), gate: true, call: (*Handler).restart, help: "Stop every process, reread the configuration and start again, in the same process."},
	"supervisor.reloadConfig":         {sig: sig("array"), gate: true, call: (*Handler).reloadConfig, help: "Reread the configuration without applying it; return [[added, changed, removed]] group names."},
	"supervisor.addProcessGroup":      {sig: sig("boolean", "string"), gate: true, call: (*Handler).addProcessGroup, help: "Add and start the group name of the configuration last read."},
	"supervisor.removeProcessGroup":   {sig: sig("boolean", "string"), gate: true, call: (*Handler).removeProcessGroup, help: "Remove the group name, whose processes must all be stopped."},

	"supervisor.getProcessInfo":    {sig: sig("struct", "string"), gate: true, call: (*Handler).getProcessInfo, help: "Return the state of the process name (or group:name)."},
	"supervisor.getAllProcessInfo": {sig: sig("array"), gate: true, call: (*Handler).getAllProcessInfo, help: "Return the state of every process, sorted by group and name."},
	"supervisor.getAllConfigInfo":  {sig: sig("array"), gate: true, call: (*Handler).getAllConfigInfo, help: "Return the configuration of every process of the configuration last read, sorted by name."},

	"supervisor.startProcess":       {sig: sig("boolean", "string", "boolean"), opt: 1, gate: true, call: (*Handler).startProcess, help: "Start the process name (or group:name, or group:* for startProcessGroup); with wait, return once it is RUNNING."},
	"supervisor.startProcessGroup":  {sig: sig("array", "string", "boolean"), opt: 1, gate: true, call: (*Handler).startProcessGroup, help: "Start the processes of group name that are not running; return their results."},
	"supervisor.startAllProcesses":  {sig: sig("array", "boolean"), opt: 1, gate: true, call: (*Handler).startAllProcesses, help: "Start every process that is not running; return their results."},
	"supervisor.stopProcess":        {sig: sig("boolean", "string", "boolean"), opt: 1, gate: true, call: (*Handler).stopProcess, help: "Stop the process name (or group:name, or group:*); with wait, return once it has stopped."},
	"supervisor.stopProcessGroup":   {sig: sig("array", "string", "boolean"), opt: 1, gate: true, call: (*Handler).stopProcessGroup, help: "Stop the running processes of group name; return their results."},
	"supervisor.stopAllProcesses":   {sig: sig("array", "boolean"), opt: 1, gate: true, call: (*Handler).stopAllProcesses, help: "Stop every running process; return their results."},
	"supervisor.signalProcess":      {sig: sig("boolean", "string", "string"), gate: true, call: (*Handler).signalProcess, help: "Send signal (a name such as HUP or a number) to the process name (or group:name, or group:*)."},
	"supervisor.signalProcessGroup": {sig: sig("array", "string", "string"), gate: true, call: (*Handler).signalProcessGroup, help: "Send signal to the signallable processes of group name; return their results."},
	"supervisor.signalAllProcesses": {sig: sig("array", "string"), gate: true, call: (*Handler).signalAllProcesses, help: "Send signal to every signallable process; return their results."},
	"supervisor.sendProcessStdin":   {sig: sig("boolean", "string", "string"), gate: true, call: (*Handler).sendProcessStdin, help: "Write chars, UTF-8 encoded, to the standard input of the process name."},
	// Not gated: listeners may send events while the daemon stops.
	"supervisor.sendRemoteCommEvent": {sig: sig("boolean", "string", "string"), call: (*Handler).sendRemoteCommEvent, help: "Emit a REMOTE_COMMUNICATION event with type and data."},

	"supervisor.readProcessStdoutLog": {sig: sig("string", "string", "int", "int"), gate: true, call: (*Handler).readProcessStdoutLog, help: "Read length bytes of the stdout log of the process name from offset, as readLog reads."},
	"supervisor.readProcessLog":       {sig: sig("string", "string", "int", "int"), gate: true, call: (*Handler).readProcessStdoutLog, help: "Alias of readProcessStdoutLog."},
	"supervisor.readProcessStderrLog": {sig: sig("string", "string", "int", "int"), gate: true, call: (*Handler).readProcessStderrLog, help: "Read length bytes of the stderr log of the process name from offset, as readLog reads."},
	"supervisor.tailProcessStdoutLog": {sig: sig("array", "string", "int", "int"), gate: true, call: (*Handler).tailProcessStdoutLog, help: "Return [data, offset, overflow]: up to length bytes of the end of the stdout log of the process name from offset; pass offset back to follow the log."},
	"supervisor.tailProcessLog":       {sig: sig("array", "string", "int", "int"), gate: true, call: (*Handler).tailProcessStdoutLog, help: "Alias of tailProcessStdoutLog."},
	"supervisor.tailProcessStderrLog": {sig: sig("array", "string", "int", "int"), gate: true, call: (*Handler).tailProcessStderrLog, help: "Return [data, offset, overflow] from the stderr log of the process name, as tailProcessStdoutLog does."},
	"supervisor.clearProcessLogs":     {sig: sig("boolean", "string"), gate: true, call: (*Handler).clearProcessLogs, help: "Remove the log files of the process name and reopen them empty."},
	"supervisor.clearProcessLog":      {sig: sig("boolean", "string"), gate: true, call: (*Handler).clearProcessLogs, help: "Alias of clearProcessLogs."},
	"supervisor.clearAllProcessLogs":  {sig: sig("array"), gate: true, call: (*Handler).clearAllProcessLogs, help: "Clear the logs of every process; return their results."},
}

// lancerMethods are served when there is a Scaler; see the package
// documentation.
var lancerMethods = map[string]method{
	"lancer.getAPIVersion":          {sig: sig("string"), gate: true, call: (*Handler).lancerAPIVersion, help: "Return the version of the lancer namespace, 1.0."},
	"lancer.setNumprocs":            {sig: sig("struct", "string", "int"), gate: true, call: (*Handler).setNumprocs, help: "Set the number of processes of the running program to numprocs, without touching the others; return {added, removed}."},
	"lancer.addProgramToGroup":      {sig: sig("boolean", "string", "string", "struct"), gate: true, call: (*Handler).addProgramToGroup, help: "Add the processes of a program configured by options ([program:x] keys) to the running group, and start them if autostart."},
	"lancer.removeProcessFromGroup": {sig: sig("boolean", "string", "string"), gate: true, call: (*Handler).removeProcessFromGroup, help: "Remove the stopped process from the running group."},
	"lancer.update": {sig: sig("array", "array"), opt: 1, gate: true, call: (*Handler).update,
		help: "Reread the configuration and apply it to the groups named (all by default), restarting only the processes whose configuration changed; return the changes made."},
}

// table returns the methods h serves, by name, and their sorted names.
func (h *Handler) table() (map[string]method, []string) {
	m := maps.Clone(systemMethods)
	if h.sup != nil {
		maps.Copy(m, supervisorMethods)
	}
	if h.scaler != nil {
		maps.Copy(m, lancerMethods)
	}
	return m, slices.Sorted(maps.Keys(m))
}
