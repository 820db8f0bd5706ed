package process

import "time"

// Change is one state change, what the reference turns into a
// PROCESS_STATE_<To> event (reference §1.6). Pid, Tries and Expected are
// the values that event's payload carries where it carries them: Pid for
// RUNNING, STOPPING, STOPPED (0 when stopped from BACKOFF) and EXITED;
// Tries for STARTING and BACKOFF; Expected for EXITED.
type Change struct {
	Name, Group string
	From, To    State
	Pid         int
	Tries       int
	Expected    bool
	Time        time.Time
}

// Info is an immutable snapshot of a process, what getProcessInfo is built
// from. Descriptions and epoch conversions are left to the caller.
type Info struct {
	Name, Group string
	State       State
	Pid         int       // 0 when no child is alive
	Start       time.Time // last spawn attempt; zero if never
	Stop        time.Time // last exit; zero if never
	ExitStatus  int       // last exit status; -1 if killed by a signal, 0 if none
	SpawnErr    string    // "" if none
	Tries       int       // the backoff counter (tries in STARTING/BACKOFF events)
}

func (s status) info(name, group string) Info {
	return Info{
		Name: name, Group: group, State: s.state, Pid: s.pid, Start: s.start, Stop: s.stop,
		ExitStatus: s.exitStatus, SpawnErr: s.spawnErr, Tries: s.tries,
	}
}

// snapNode is one published snapshot in a chain: when the next one is
// published, next is set and then done is closed. A waiter that walks the
// chain sees every snapshot published after the one it started from, so
// no intermediate state is missed, and readers never block the actor.
type snapNode struct {
	info Info
	next *snapNode
	done chan struct{}
}

func newSnapNode(info Info) *snapNode {
	return &snapNode{info: info, done: make(chan struct{})}
}
