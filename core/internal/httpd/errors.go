package httpd

import (
	"errors"
	"fmt"
	"net"
	"os/user"
	"strconv"
	"syscall"
)

// ErrInUse means another program answers on a server's socket file or
// holds its port.
var ErrInUse = errors.New("address in use by another program")

// ListenError is a server that [Server.Listen] could not open. Its Error
// is the reference's message, exactly what supervisord prints after
// "Error: " before exiting with status 2 (options.py openhttpservers), so
// main should print it unwrapped:
//
//	Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.
//	Cannot open an HTTP server: socket.error reported errno.ENOENT (2)
//	Not permitted to chown /run/s.sock to uid/gid (1000, 1000); adjust "sockchown" value …
type ListenError struct {
	Section string // "unix_http_server", "inet_http_server:x"...
	Address string // the socket file or host:port
	Err     error  // ErrInUse, a *ChownError, or the system's error
}

func (e *ListenError) Error() string {
	var ce *ChownError
	var errno syscall.Errno
	var dns *net.DNSError
	switch {
	case errors.Is(e.Err, ErrInUse) || errors.Is(e.Err, syscall.EADDRINUSE):
		return "Another program is already listening on a port that one of our HTTP servers " +
			"is configured to use.  Shut this program down first before starting supervisord."
	case errors.As(e.Err, &ce):
		return ce.Error()
	case errors.As(e.Err, &errno):
		if name, ok := errnoNames[errno]; ok {
			return fmt.Sprintf("Cannot open an HTTP server: socket.error reported errno.%s (%d)", name, int(errno))
		}
		return fmt.Sprintf("Cannot open an HTTP server: socket.error reported %d", int(errno))
	case errors.As(e.Err, &dns) && dns.IsNotFound:
		return "Cannot open an HTTP server: socket.error reported -2" // EAI_NONAME
	}
	return fmt.Sprintf("Cannot open an HTTP server: %s %s: %v", e.Section, e.Address, e.Err)
}

// Unwrap returns the cause.
func (e *ListenError) Unwrap() error { return e.Err }

// ChownError is a socket file that the daemon may not chown ([unix_http_server]
// chown). Its Error is the reference's message.
type ChownError struct {
	File     string
	UID, GID int
	User     string // the effective user's name
	Err      error
}

func (e *ChownError) Error() string {
	return fmt.Sprintf("Not permitted to chown %s to uid/gid (%d, %d); adjust \"sockchown\" value in config "+
		"file or on command line to values that the current user (%s) can successfully chown",
		e.File, e.UID, e.GID, e.User)
}

// Unwrap returns the cause.
func (e *ChownError) Unwrap() error { return e.Err }

// effectiveUser names the daemon's effective user, or gives its uid.
func effectiveUser() string {
	uid := strconv.Itoa(syscall.Geteuid())
	if u, err := user.LookupId(uid); err == nil {
		return u.Username
	}
	return uid
}

// errnoNames are the errno.errorcode names of the errors that opening a
// socket can meet.
var errnoNames = map[syscall.Errno]string{
	syscall.EPERM: "EPERM", syscall.ENOENT: "ENOENT", syscall.EACCES: "EACCES",
	syscall.EEXIST: "EEXIST", syscall.ENOTDIR: "ENOTDIR", syscall.EINVAL: "EINVAL",
	syscall.ENFILE: "ENFILE", syscall.EMFILE: "EMFILE", syscall.ENOSPC: "ENOSPC",
	syscall.EROFS: "EROFS", syscall.ENAMETOOLONG: "ENAMETOOLONG", syscall.ELOOP: "ELOOP",
	syscall.EADDRINUSE: "EADDRINUSE", syscall.EADDRNOTAVAIL: "EADDRNOTAVAIL",
	syscall.EAFNOSUPPORT: "EAFNOSUPPORT", syscall.ENOBUFS: "ENOBUFS", syscall.ENOMEM: "ENOMEM",
	syscall.EISDIR: "EISDIR", syscall.EXDEV: "EXDEV", syscall.EOPNOTSUPP: "EOPNOTSUPP",
}
