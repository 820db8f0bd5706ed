package logcap

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// Errors of the log reading methods, mapped by the XML-RPC layer onto the
// reference's faults of the same names.
var (
	// ErrBadArguments is a readLog offset and length that do not go
	// together: a negative offset with a length, or a negative length.
	ErrBadArguments = errors.New("bad arguments")
	// ErrNoFile means there is no log file to read: the target is NONE,
	// syslog or not a regular file, or the file does not exist (yet).
	ErrNoFile = errors.New("no file")
)

// Read returns a slice of the file with the semantics of supervisord's
// readLog (supervisor.md §2.6):
//
//   - offset < 0, length == 0: the last -offset bytes (the whole file if
//     shorter);
//   - offset ≥ 0, length == 0: from offset to the end;
//   - offset ≥ 0, length > 0: up to length bytes from offset;
//   - an offset past the end gives no data and no error;
//   - offset < 0 with length != 0, or length < 0: [ErrBadArguments].
//
// A missing or non-regular file gives [ErrNoFile], checked first as the
// reference does.
func (r *RotatingFile) Read(offset, length int) ([]byte, error) {
	f, size, err := r.reader()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	start, n, err := readWindow(size, int64(offset), int64(length))
	if err != nil {
		return nil, err
	}
	return readAt(f, start, n)
}

// Tail returns the end of the file with the semantics of supervisord's
// tailProcessLog (supervisor.md §2.6, see [TailWindow]): data, the file's
// size as the offset to pass back next time, and whether bytes between
// offset and the returned data were skipped. A missing or non-regular
// file gives [ErrNoFile]; the reference answers [”, 0, false] for it.
func (r *RotatingFile) Tail(offset, length int) (data []byte, newOffset int64, overflow bool, err error) {
	f, size, err := r.reader()
	if err != nil {
		return nil, 0, false, err
	}
	defer f.Close()
	start, n, overflow := TailWindow(size, int64(offset), int64(length))
	data, err = readAt(f, start, n)
	return data, size, overflow, err
}

// reader opens the file for reading and returns its size. The file is
// opened under r.mu, so that a rotation in progress (rename, then
// reopen) is never seen half done; the read itself runs unlocked.
func (r *RotatingFile) reader() (File, int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lazy {
		return emptyFile{}, 0, nil // the file the reference would have created by now
	}
	fi, err := r.fs.Stat(r.path)
	if errors.Is(err, fs.ErrNotExist) || err == nil && !fi.Mode().IsRegular() {
		// Reading a FIFO would steal its data; a device has nothing to read.
		return nil, 0, ErrNoFile
	}
	if err != nil {
		return nil, 0, err
	}
	f, err := r.fs.OpenFile(r.path, os.O_RDONLY, 0)
	if err != nil {
		return nil, 0, err
	}
	if fi, err = f.Stat(); err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, fi.Size(), nil
}

// readWindow applies readLog's rules to a log of size bytes and returns
// the byte range to read.
func readWindow(size, offset, length int64) (start, n int64, err error) {
	switch {
	case offset < 0 && length != 0, offset >= 0 && length < 0:
		return 0, 0, ErrBadArguments
	case offset < 0:
		start = max(size+offset, 0)
		return start, size - start, nil
	case offset >= size:
		return offset, 0, nil
	case length == 0:
		return offset, size - offset, nil
	default:
		return offset, min(length, size-offset), nil
	}
}

// TailWindow is the arithmetic of supervisord's tailFile, step for step,
// for a log of size bytes: if the log is longer than offset+length,
// overflow is set and the window moves to the end; a window past the end
// shrinks to nothing. It returns where to read and how many bytes. On a
// 12-byte log, (0,5) gives (7,5,true), (0,100) gives (0,12,false) and
// (12,100) or (100,100) give an empty window.
func TailWindow(size, offset, length int64) (start, n int64, overflow bool) {
	// Python's integers do not overflow; keep the sums below in range.
	offset, length = clamp(offset), clamp(length)
	if size > offset+length {
		overflow = true
		offset = size - 1
	}
	if offset+length > size {
		if offset > size-1 {
			length = 0
		}
		offset = size - length
	}
	offset, length = max(offset, 0), max(length, 0)
	// The reference reads at most to the end of the file.
	return offset, max(min(length, size-offset), 0), overflow
}

// readAt reads n bytes at off, or fewer if the file has shrunk meanwhile.
func readAt(f io.ReaderAt, off, n int64) ([]byte, error) {
	if n <= 0 {
		return nil, nil
	}
	buf := make([]byte, n)
	m, err := f.ReadAt(buf, off)
	if err == io.EOF {
		err = nil
	}
	return buf[:m], err
}

// clamp bounds v to ±2⁶² so that sums of two such values cannot overflow.
func clamp(v int64) int64 {
	const lim = 1 << 62
	return min(max(v, -lim), lim)
}

// emptyFile reads as a file with nothing in it.
type emptyFile struct{}

func (emptyFile) Write([]byte) (int, error)         { return 0, os.ErrClosed }
func (emptyFile) ReadAt([]byte, int64) (int, error) { return 0, io.EOF }
func (emptyFile) Seek(int64, int) (int64, error)    { return 0, nil }
func (emptyFile) Close() error                      { return nil }
func (emptyFile) Stat() (os.FileInfo, error)        { return nil, os.ErrInvalid }
