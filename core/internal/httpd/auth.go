package httpd

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
)

// credentials are a server's username and password. The password is
// cleartext or "{SHA}" and the hex SHA-1 of the password, as in the
// reference's encrypted_dictionary_authorizer.
type credentials struct {
	user [sha256.Size]byte // SHA-256 of the username
	pass [sha256.Size]byte // SHA-256 of the password, or of its lower-case hex SHA-1
	sha  bool
}

func newCredentials(user, pass string) *credentials {
	c := &credentials{user: sha256.Sum256([]byte(user))}
	if hexSum, ok := strings.CutPrefix(pass, "{SHA}"); ok {
		c.sha = true
		pass = strings.ToLower(hexSum)
	}
	c.pass = sha256.Sum256([]byte(pass))
	return c
}

// check reports whether user and pass match, in time independent of
// where they differ: both sides are hashed to equal lengths and both are
// always compared, so that a failure tells nothing of which part was
// wrong.
func (c *credentials) check(user, pass string) bool {
	if c.sha {
		sum := sha1.Sum([]byte(pass))
		pass = hex.EncodeToString(sum[:])
	}
	u, p := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(pass))
	return subtle.ConstantTimeCompare(u[:], c.user[:])&subtle.ConstantTimeCompare(p[:], c.pass[:]) == 1
}

// requireAuth lets through only requests with the right Basic
// credentials. Others get the reference's 401: its error page with
// WWW-Authenticate: Basic realm="default" and Connection: close, which
// makes net/http close the connection instead of reading on.
func requireAuth(next http.Handler, c *credentials) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || !c.check(user, pass) {
			w.Header().Set("Connection", "close")
			w.Header()["WWW-Authenticate"] = []string{`Basic realm="default"`} // the reference's spelling
			writeError(w, http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
