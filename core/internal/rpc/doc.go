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
// of its own, and offers an update that restarts only the processes
// whose configuration changed (the reference's #591). They are served
// when [Options.Scaler] is set; one runs at a time. The changes of
// setNumprocs, addProgramToGroup and removeProcessFromGroup live in the
// running daemon only, like twiddler's: the config file is not
// rewritten, so a later reread reports the group as changed, update puts
// the file's configuration back, and a restart starts from the file.
// Programs they add are not in getAllConfigInfo, which lists the config
// file's. Event listener pools keep their processes: only update and
// the supervisor.* methods change them, as whole groups.
//
//	lancer.getAPIVersion() -> string
//	    "1.0", the version of the lancer namespace.
//
//	lancer.setNumprocs(string program, int numprocs) -> struct
//	    Sets the number of processes of the running [program:x] (or
//	    [fcgi-program:x]) section named program to numprocs (at least 1),
//	    as if the section said numprocs=numprocs: the processes it then
//	    gives that do not run are created, expanded as the config would
//	    expand them (the next process_num values), and start if
//	    autostart; those it no longer gives are stopped, highest
//	    process_num first (waiting, as stopProcess does), and removed.
//	    The other processes are not touched, not even restarted. program
//	    is a homogeneous group of that name, else the first group running
//	    processes of that program. Its section is read again from the
//	    config file (the rest of the file is not checked), or is the one
//	    addProgramToGroup was given. Returns {added: [namespec...],
//	    removed: [namespec...]}. Faults: BAD_NAME (no such program),
//	    BAD_ARGUMENTS (numprocs < 1), INCORRECT_PARAMETERS (the section
//	    does not load for that many processes, with the loader's
//	    message, such as a process_name without %(process_num)),
//	    CANT_REREAD (the config file or the section can no longer be
//	    read), FAILED (the processes that stay would run with another
//	    configuration, because the file was edited since or the section
//	    uses %(numprocs)d, which update applies; an event listener pool),
//	    SHUTDOWN_STATE.
//
//	lancer.addProgramToGroup(string group, string program, struct options) -> boolean
//	    Adds the processes of a new program, configured by options (the
//	    keys and values of a [program:x] section, values as strings,
//	    numbers or booleans; command is required; the file's [DEFAULT]
//	    does not apply), to the running group group, and starts them if
//	    autostart. The group's other processes are not touched.
//	    Faults: BAD_NAME (no such group), ALREADY_ADDED (the group runs
//	    that program or a process of one of the new names),
//	    INCORRECT_PARAMETERS (the options do not load as a [program:x]
//	    section, with the loader's message without a file position; an
//	    option such a section does not take), FAILED (an event listener
//	    pool), SHUTDOWN_STATE.
//
//	lancer.removeProcessFromGroup(string group, string process) -> boolean
//	    Removes one stopped process from a running group. Faults:
//	    BAD_NAME, STILL_RUNNING (the process is not in a stopped state),
//	    FAILED (an event listener pool), SHUTDOWN_STATE.
//
//	lancer.update([array groups]) -> array
//	    Rereads the config file, as reloadConfig does, and applies it to
//	    the groups named (every group when the array is left out, empty
//	    or holds "all"), as supervisorctl's update does but process by
//	    process: a removed group is stopped and removed and a new one
//	    added, as there; in a changed group, only the processes whose
//	    configuration changed are stopped and started again (if
//	    autostart), removed processes are stopped and removed, new ones
//	    added, and the others keep running with their pids. A group whose
//	    own settings changed (priority, an event pool's options) and
//	    event listener pools are replaced as a whole. Returns one struct
//	    per change, in the order made: {group, name ("" for the whole
//	    group), action ("added", "updated" or "removed"), status,
//	    description}, status and description as in result arrays. Faults:
//	    BAD_NAME (a name that is neither a running group nor one the file
//	    adds; nothing is applied), CANT_REREAD, SHUTDOWN_STATE.
package rpc
