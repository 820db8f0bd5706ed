package logcap

// burst tracks the failures of one output target, so that a target that
// fails on every write (a full disk) is reported once when it starts
// failing and once when it works again, not once per write.
type burst struct {
	failing bool
	lost    int64 // bytes lost in the current burst
}

// fail records a failure that lost lost bytes. It reports whether the
// failure starts a burst.
func (b *burst) fail(lost int) (first bool) {
	first = !b.failing
	b.failing = true
	b.lost += int64(lost)
	return first
}

// ok records a success. It reports whether it ends a burst, and how many
// bytes the burst lost.
func (b *burst) ok() (lost int64, ended bool) {
	if !b.failing {
		return 0, false
	}
	lost, b.lost, b.failing = b.lost, 0, false
	return lost, true
}
