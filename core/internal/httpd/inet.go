package httpd

import (
	"context"
	"net"
	"strconv"

	"github.com/lancerhq/lancer/core/internal/config"
)

// listenInet opens an [inet_http_server] on host:port; an empty host
// (the config's "*" or a bare port) listens on every interface. Go sets
// SO_REUSEADDR, as the reference does.
func listenInet(c config.InetHTTPServer) (net.Listener, error) {
	var lc net.ListenConfig
	return lc.Listen(context.Background(), "tcp", inetAddress(c))
}

func inetAddress(c config.InetHTTPServer) string {
	return net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
}
