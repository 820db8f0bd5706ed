// Package rpc serves supervisord's XML-RPC API 3.0 over HTTP: the
// supervisor.* and system.* methods that supervisorctl, the event
// listeners (memmon, httpok), childutils.getRPCInterface and every other
// supervisord client call, answered as Python supervisord 4.2.5 answers
// them (supervisor.md §2), plus Lancer's own lancer.* methods.
//
// It sits above core/internal/supervisor in the control plane: a
// [Handler] decodes a request with protocol/xmlrpc, looks the method up in
// one name→method table (table.go), checks the arguments and the shutdown
// gate, calls the supervisor's command API through the small interfaces
// this package defines ([Supervisor], [MainLog], [Scaler]), maps the
// supervisor's sentinel errors to supervisord's faults in one table
// (faults.go) and encodes the answer with the reference's bytes. The
// daemon mounts the Handler at /RPC2 on each of its HTTP servers, behind
// their authentication.
//
// # Compatibility
//
// Method names and aliases, argument counts, signatures
// (system.methodSignature), fault codes and fault strings, name
// resolution ("name", "group:name", "group:*"), the process-info struct
// with its description text, result arrays, log offsets and
// system.multicall's quirks (bare results, fault structs, "Recursive
// system.multicall forbidden", "No methodName") are the reference's; the
// golden files in testdata/golden are responses of the real supervisord
// (see testdata/capture.py), and the tests compare ours to them byte for
// byte. system.methodHelp answers our own text, not the reference's
// docstrings.
//
// Arguments are converted as the reference's Python code converts them:
// integer parameters (log offsets) take ints, booleans, doubles and
// numeric strings, as int() does; "wait" takes any value, true as Python
// truth; signals are names (HUP, SIGHUP, any case) or numbers, as ints or
// strings; base64 passes for a string, as the reference decodes it to one.
//
// # Where it differs from the reference
//
//   - A log slice (readLog, readProcess*Log, tailProcess*Log) that cuts a
//     UTF-8 character returns the whole characters in it; the reference
//     fails the request with HTTP 500.
//   - Arguments of a type no conversion accepts (a number for a process
//     name, "abc" for an offset, a non-struct call in system.multicall)
//     get the fault INCORRECT_PARAMETERS; the reference answers many of
//     them with HTTP 500.
//   - signalAllProcesses is refused with SHUTDOWN_STATE during a shutdown
//     before it signals anything; the reference signals every process and
//     then answers SHUTDOWN_STATE.
//   - A request body beyond [xmlrpc.Limits] gets HTTP 413 (the reference
//     reads any size); a malformed one gets 400, as in the reference.
//
// # The lancer namespace
//
// Lancer replaces the supervisor_twiddler plugin (the reference's issue
// #177: change numprocs, add a program to a running group) with methods
// of its own, served when [Options.Scaler] is set. Like twiddler's, their
// changes live in the running daemon only: the config file is not
// rewritten, so a later reread/update reports the group as changed and
// puts the file's configuration back, and a restart starts from the file.
//
//	lancer.getAPIVersion() -> string
//	    "1.0", the version of the lancer namespace.
//
//	lancer.setNumprocs(string program, int numprocs) -> struct
//	    Sets the number of processes of the [program:x] (or
//	    [eventlistener:x], [fcgi-program:x]) section named program, which
//	    must be running, to numprocs (at least 1). New processes take the
//	    next process_num values (numprocs_start + old count, ...) and are
//	    expanded as the config would expand them; they start if autostart.
//	    Surplus processes, highest process_num first, are stopped (waiting,
//	    as stopProcess does) and removed. The other processes are not
//	    touched, not even restarted. Returns {added: [namespec...],
//	    removed: [namespec...]}. Faults: BAD_NAME (no such program),
//	    BAD_ARGUMENTS (numprocs < 1), INCORRECT_PARAMETERS (the program
//	    cannot have that many processes: its process_name lacks
//	    %(process_num)s), SHUTDOWN_STATE.
//
//	lancer.addProgramToGroup(string group, string program, struct options) -> boolean
//	    Adds the processes of a new program, configured by options (the
//	    keys and values of a [program:x] section, values as strings,
//	    numbers or booleans; command is required), to the running group
//	    group, and starts them if autostart. The group's other processes
//	    are not touched. Faults: BAD_NAME (no such group), ALREADY_ADDED
//	    (the group has a process of that name), INCORRECT_PARAMETERS (the
//	    options do not load as a [program:x] section, with the loader's
//	    message), SHUTDOWN_STATE.
//
//	lancer.removeProcessFromGroup(string group, string process) -> boolean
//	    Removes one stopped process from a running group. Faults:
//	    BAD_NAME, STILL_RUNNING (the process is not in a stopped state),
//	    SHUTDOWN_STATE.
package rpc
