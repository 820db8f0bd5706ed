package process

import "sync"

// exitHook is a Proc's OnExit: the function to call once its child has
// exited, or the fact that it has.
type exitHook struct {
	mu    sync.Mutex
	fired bool
	f     func()
}

// set calls f once fire has been called: now if it already has.
func (h *exitHook) set(f func()) {
	h.mu.Lock()
	if !h.fired {
		h.f = f
		h.mu.Unlock()
		return
	}
	h.mu.Unlock()
	f()
}

// fire calls the function set, if any; a later set calls its own at once.
func (h *exitHook) fire() {
	h.mu.Lock()
	h.fired = true
	f := h.f
	h.f = nil
	h.mu.Unlock()
	if f != nil {
		f()
	}
}
