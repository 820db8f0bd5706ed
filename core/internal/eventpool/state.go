package eventpool

import "fmt"

// State is an event listener's protocol state, numbered as supervisord
// numbers it (supervisor/states.py EventListenerStates). It is separate
// from the listener's process state: events go only to a listener whose
// process is RUNNING and whose protocol state is Ready.
type State int

// The listener states.
const (
	// Ready: the listener wrote READY and waits for an event.
	Ready State = 10
	// Busy: an event was sent; the pool waits for its RESULT.
	Busy State = 20
	// Acknowledged: a result was read, or the listener was just spawned;
	// the pool waits for READY.
	Acknowledged State = 30
	// Unknown: the listener broke the protocol. The reference sends it
	// nothing more until it is restarted by hand; see [Options.Restart].
	Unknown State = 40
)

// String returns the reference's name of s, such as "READY".
func (s State) String() string {
	switch s {
	case Ready:
		return "READY"
	case Busy:
		return "BUSY"
	case Acknowledged:
		return "ACKNOWLEDGED"
	case Unknown:
		return "UNKNOWN"
	}
	return fmt.Sprintf("State(%d)", int(s))
}
