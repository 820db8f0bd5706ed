package logcap

import (
	"io"
	"os"
)

// FS is the file system seam of a [RotatingFile]: every open, rename and
// remove of a log file goes through it, so tests can inject a full disk or
// a failing rename. The zero value of [FileOptions] uses the real file
// system.
type FS interface {
	OpenFile(name string, flag int, perm os.FileMode) (File, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	Stat(name string) (os.FileInfo, error)
}

// File is an open log file. *os.File implements it.
type File interface {
	io.Writer
	io.ReaderAt
	io.Seeker
	io.Closer
	Stat() (os.FileInfo, error)
}

// osFS is the real file system.
type osFS struct{}

func (osFS) OpenFile(name string, flag int, perm os.FileMode) (File, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		// A nil *os.File in a non-nil File interface would not compare
		// equal to nil.
		return nil, err
	}
	return f, nil
}

func (osFS) Rename(oldpath, newpath string) error  { return os.Rename(oldpath, newpath) }
func (osFS) Remove(name string) error              { return os.Remove(name) }
func (osFS) Stat(name string) (os.FileInfo, error) { return os.Stat(name) }
