package logcap

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"sync"
)

// FileOptions configures a [RotatingFile]. The zero value appends forever
// to a file created with mode 0666 less the umask, on the real file system.
type FileOptions struct {
	// MaxBytes is the size at which the file is rotated; 0 never rotates
	// (supervisord's logfile_maxbytes=0).
	MaxBytes int64
	// Backups is how many rotated files path.1 … path.N are kept; 0
	// truncates the file at MaxBytes without keeping one.
	Backups int
	// Perm is the mode a new file is created with, before the process's
	// umask; 0 means 0666, the reference's mode for explicit log files.
	Perm os.FileMode
	// FS is the file system; nil means the real one.
	FS FS
	// Lazy leaves the file uncreated until the first write, for AUTO
	// logs: until then it reads back as an empty file, and reopening or
	// clearing it does nothing.
	Lazy bool
}

// RotatingFile is a log file that rotates the way supervisord's
// RotatingFileHandler does (supervisor.md §5): after every write, once
// the file holds MaxBytes or more, path.(n-1) is renamed to path.n, …,
// path to path.1, and path is reopened empty. A file may thus exceed
// MaxBytes by up to one write, and no byte written is lost by a rotation.
//
// Targets that are not regular files (/dev/stdout, /dev/null, a FIFO) are
// never rotated or sought, whatever MaxBytes says; the reference fails on
// them with "Illegal seek" (its #935). A FIFO is opened read-write, so
// that opening it never blocks waiting for a reader.
//
// A regular file is created when the RotatingFile is made (or, with
// [FileOptions.Lazy], at the first write) but held open only from the
// first write on: the many programs that never write to one of their logs
// cost no descriptor and no file object for it.
//
// A RotatingFile is safe for concurrent use.
type RotatingFile struct {
	path string
	fs   FS
	max  int64
	keep int
	perm os.FileMode

	mu      sync.Mutex
	f       File // nil before the first write and after a failed open: the next Write opens it
	lazy    bool // not created yet: the next Write creates it
	regular bool
	size    int64 // bytes in f as far as we know; confirmed by Seek before rotating
	closed  bool
}

// NewRotatingFile opens path for appending, creating it if needed. The
// directory must exist, as in the reference. A regular file is closed
// again until the first write.
func NewRotatingFile(path string, opts FileOptions) (*RotatingFile, error) {
	r := &RotatingFile{path: path, fs: opts.FS, max: opts.MaxBytes, keep: opts.Backups, perm: opts.Perm}
	if r.fs == nil {
		r.fs = osFS{}
	}
	if r.perm == 0 {
		r.perm = 0o666
	}
	if opts.Lazy {
		r.lazy, r.regular = true, true
		return r, nil
	}
	if err := r.create(); err != nil {
		return nil, err
	}
	return r, nil
}

// Path returns the file's name.
func (r *RotatingFile) Path() string { return r.path }

// Regular reports whether the file last opened is a regular file, and so
// can be rotated and read back.
func (r *RotatingFile) Regular() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.regular
}

// open opens r.path, truncated if trunc. It is called with r.mu held.
func (r *RotatingFile) open(trunc bool) error {
	flag := os.O_WRONLY | os.O_APPEND | os.O_CREATE
	if fi, err := r.fs.Stat(r.path); err == nil && fi.Mode()&fs.ModeNamedPipe != 0 {
		// Opening a FIFO write-only blocks until a reader comes;
		// read-write never blocks on Linux.
		flag = os.O_RDWR
	}
	if trunc {
		flag |= os.O_TRUNC
	}
	f, err := r.fs.OpenFile(r.path, flag, r.perm)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	r.f, r.regular, r.size, r.lazy = f, fi.Mode().IsRegular(), fi.Size(), false
	return nil
}

// create opens r.path, creating it if needed, and closes it again if it
// is a regular file, for the next Write to open. It is called with r.mu
// held.
func (r *RotatingFile) create() error {
	if err := r.open(false); err != nil {
		return err
	}
	if !r.regular {
		return nil
	}
	if err := r.closeFile(); err != nil {
		return fmt.Errorf("close %s: %w", r.path, err)
	}
	return nil
}

// Write appends p and then rotates the file if it is due. An error from
// the write does not stop the rotation: on a full disk, dropping the
// oldest backup is what frees space. n counts the bytes that reached the
// file even when err is not nil.
func (r *RotatingFile) Write(p []byte) (n int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return 0, os.ErrClosed
	}
	if r.f == nil {
		if err := r.open(false); err != nil {
			return 0, err
		}
	}
	n, err = r.f.Write(p)
	r.size += int64(n)
	if r.due() {
		err = errors.Join(err, r.rotate())
	}
	return n, err
}

// due reports whether the file has reached its maximum size. The size we
// count is confirmed with the file offset before saying yes, so that a
// file truncated behind our back (logrotate's copytruncate) is not
// rotated early; with O_APPEND the offset after a write is the file's end.
func (r *RotatingFile) due() bool {
	if r.max <= 0 || !r.regular || r.f == nil || r.size < r.max {
		return false
	}
	if pos, err := r.f.Seek(0, io.SeekCurrent); err == nil {
		r.size = pos
	}
	return r.size >= r.max
}

// rotate shifts the backups and reopens the file empty. If a rename
// fails, nothing is truncated: the file is reopened for appending, so
// that what could not be moved away is not lost.
func (r *RotatingFile) rotate() error {
	cerr := r.f.Close()
	r.f = nil
	trunc := true
	var rerr error
	if r.keep > 0 {
		for i := r.keep - 1; i >= 0 && rerr == nil; i-- {
			rerr = r.rename(r.backup(i), r.backup(i+1))
		}
		trunc = rerr == nil
	}
	if cerr != nil {
		cerr = fmt.Errorf("rotate %s: %w", r.path, cerr)
	}
	if rerr != nil {
		rerr = fmt.Errorf("rotate %s: %w", r.path, rerr)
	}
	return errors.Join(cerr, rerr, r.open(trunc))
}

// backup returns the name of backup i; backup 0 is the file itself.
func (r *RotatingFile) backup(i int) string {
	if i == 0 {
		return r.path
	}
	return r.path + "." + strconv.Itoa(i)
}

// rename moves a backup up one place. A missing source is not an error:
// the backups need not all exist yet.
func (r *RotatingFile) rename(from, to string) error {
	err := r.fs.Rename(from, to)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Reopen closes the file and opens its path again, for SIGUSR2 after an
// external logrotate has moved the file away: the file is created again
// at once, and held open from the next write.
func (r *RotatingFile) Reopen() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return os.ErrClosed
	}
	if r.lazy {
		return nil
	}
	return errors.Join(r.closeFile(), r.create())
}

// Clear removes the file and reopens it empty, for clearProcessLogs and
// clearLog. Like the reference's, it removes only the current file, not
// its backups; a file already gone is not an error.
func (r *RotatingFile) Clear() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return os.ErrClosed
	}
	if r.lazy {
		return nil
	}
	cerr := r.closeFile()
	if err := r.fs.Remove(r.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return errors.Join(cerr, fmt.Errorf("clear log: %w", err), r.create())
	}
	return errors.Join(cerr, r.create())
}

// Close closes the file. Later writes fail with os.ErrClosed.
func (r *RotatingFile) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	return r.closeFile()
}

func (r *RotatingFile) closeFile() error {
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}
