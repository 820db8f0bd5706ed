package httpd

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
)

// staleRetries bounds the unlink-and-retry loop: the reference retries
// forever, which spins when the link fails for another reason than a
// stale socket (a file system without hard links).
const staleRetries = 3

// probeTimeout bounds the check of an existing socket.
const probeTimeout = 2 * time.Second

// errLink marks a failure of the hard link, after which the existing
// socket is probed.
var errLink = errors.New("link socket")

// socketFile is a socket file we created, removed at shutdown only if it
// is still ours: another daemon may have replaced it meanwhile.
type socketFile struct {
	path string
	ino  uint64
}

func (f *socketFile) remove() error {
	var st syscall.Stat_t
	if err := syscall.Lstat(f.path, &st); err != nil || st.Ino != f.ino {
		return nil
	}
	if err := os.Remove(f.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// listenUnix opens a [unix_http_server] the reference's way (http.py
// supervisor_af_unix_http_server): bind at <file>.<pid>, chmod, then
// hard-link to <file>, which is atomic and fails if <file> exists. If it
// exists and something answers on it, the port is in use; if not, the
// socket is stale: say so on stderr, unlink it and try again. Then chown.
func (s *Server) listenUnix(c config.UnixHTTPServer) (net.Listener, *socketFile, error) {
	tmp := c.File + "." + strconv.Itoa(os.Getpid())
	var ln net.Listener
	var err error
	for attempt := 0; ; attempt++ {
		ln, err = bindLinked(tmp, c.File, c.Chmod)
		if !errors.Is(err, errLink) {
			break
		}
		if probe(c.File) {
			return nil, nil, ErrInUse
		}
		if attempt == staleRetries {
			return nil, nil, err
		}
		fmt.Fprintf(s.stderr, "Unlinking stale socket %s\n", c.File)
		os.Remove(c.File)
	}
	if err != nil {
		return nil, nil, err
	}
	sock, err := s.own(c)
	if err != nil {
		ln.Close()
		os.Remove(c.File)
		return nil, nil, err
	}
	return ln, sock, nil
}

// own chowns the socket if the config asks and records its inode.
func (s *Server) own(c config.UnixHTTPServer) (*socketFile, error) {
	if c.UID != -1 || c.GID != -1 {
		if err := s.chown(c.File, c.UID, c.GID); err != nil {
			if errors.Is(err, syscall.EPERM) {
				return nil, &ChownError{File: c.File, UID: c.UID, GID: c.GID, User: effectiveUser(), Err: err}
			}
			return nil, fmt.Errorf("chown %s: %w", c.File, err)
		}
	}
	var st syscall.Stat_t
	if err := syscall.Lstat(c.File, &st); err != nil {
		return nil, fmt.Errorf("stat %s: %w", c.File, err)
	}
	return &socketFile{path: c.File, ino: st.Ino}, nil
}

// bindLinked binds a socket at tmp, sets its mode, links it to file and
// only then listens, so that nobody can connect before the mode is set
// (net.Listen would bind and listen at once). tmp is always removed.
func bindLinked(tmp, file string, mode os.FileMode) (net.Listener, error) {
	os.Remove(tmp) // left by an earlier daemon with our pid
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	f := os.NewFile(uintptr(fd), file)
	defer f.Close() // net.FileListener holds a duplicate
	defer os.Remove(tmp)
	if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: tmp}); err != nil {
		return nil, os.NewSyscallError("bind", err)
	}
	if err := os.Chmod(tmp, mode); err != nil {
		return nil, err
	}
	if err := os.Link(tmp, file); err != nil {
		return nil, fmt.Errorf("%w: %w", errLink, err)
	}
	if err := syscall.Listen(fd, 1024); err != nil {
		os.Remove(file)
		return nil, os.NewSyscallError("listen", err)
	}
	ln, err := net.FileListener(f)
	if err != nil {
		os.Remove(file)
		return nil, err
	}
	if ul, ok := ln.(*net.UnixListener); ok {
		ul.SetUnlinkOnClose(false) // we remove file ourselves, if it is still ours
	}
	return ln, nil
}

// probe reports whether a server answers on the socket file, as the
// reference's checkused does: connect, send "GET / HTTP/1.0" and read a
// byte. Being answered, even by a close, means in use; so does a server
// that accepts but stays silent (the reference would wait forever). A
// refused connection or a reset means the socket is stale.
func probe(file string) bool {
	conn, err := net.DialTimeout("unix", file, probeTimeout)
	if err != nil {
		return false
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(probeTimeout))
	if _, err := io.WriteString(conn, "GET / HTTP/1.0\r\n\r\n"); err != nil {
		return false
	}
	var b [1]byte
	_, err = conn.Read(b[:])
	var ne net.Error
	return err == nil || errors.Is(err, io.EOF) || (errors.As(err, &ne) && ne.Timeout())
}
