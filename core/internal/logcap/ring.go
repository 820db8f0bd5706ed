package logcap

// ring keeps the most recent output of a channel. Positions are stream
// offsets: the number of bytes written to the channel since it was
// created, which a rotation or a clear never resets, so a follower's
// position stays meaningful across both. The byte at stream offset p
// lives at buf[p%size]. The buffer grows as output arrives, so that the
// rings of hundreds of quiet processes cost next to nothing.
type ring struct {
	size   int    // capacity; len(buf) reaches it once that much was written
	buf    []byte // a prefix of the full ring while it grows
	end    int64  // stream offset one past the last byte written
	oldest int64  // stream offset of the oldest byte still kept
}

func newRing(size int) *ring {
	return &ring{size: size}
}

// write appends p, overwriting the oldest bytes.
func (r *ring) write(p []byte) {
	if r.size == 0 {
		r.end += int64(len(p))
		r.oldest = r.end
		return
	}
	if len(p) > r.size {
		// Only the last size bytes survive; keep the stream offset right.
		r.end += int64(len(p) - r.size)
		p = p[len(p)-r.size:]
	}
	r.grow(len(p))
	i := int(r.end % int64(r.size))
	n := copy(r.buf[i:], p)
	copy(r.buf, p[n:])
	r.end += int64(len(p))
	r.oldest = max(r.oldest, r.end-int64(r.size))
}

// grow makes room for n more bytes. While the stream is shorter than the
// ring, offsets are indexes, so a larger copy keeps every byte in place;
// once a write would reach past the end, the ring takes its full size.
func (r *ring) grow(n int) {
	need := r.end + int64(n)
	if len(r.buf) == r.size || need <= int64(len(r.buf)) {
		return
	}
	size := r.size
	if need < int64(r.size) {
		size = min(r.size, max(2*len(r.buf), int(need), 4096))
	}
	buf := make([]byte, size)
	copy(buf, r.buf)
	r.buf = buf
}

// read copies up to n bytes from stream offset off, after moving off up
// to the oldest byte kept. It returns the data and the offset it starts
// at.
func (r *ring) read(off, n int64) ([]byte, int64) {
	off = min(max(off, r.oldest), r.end)
	n = min(max(n, 0), r.end-off)
	if n == 0 {
		return nil, off
	}
	out := make([]byte, n)
	c := int64(r.size)
	i := off % c
	k := copy(out, r.buf[i:min(i+n, int64(len(r.buf)))])
	copy(out[k:], r.buf)
	return out, off
}

// reset forgets every byte kept, keeping the stream offset.
func (r *ring) reset() { r.oldest = r.end }
