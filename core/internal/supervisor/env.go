package supervisor

import (
	"strings"

	"github.com/lancerhq/lancer/core/internal/config"
)

// childEnv returns what a child's environment adds to the daemon's, in
// the reference's order (§1.9): SUPERVISOR_ENABLED, SUPERVISOR_SERVER_URL
// (when there is a server), SUPERVISOR_PROCESS_NAME and
// SUPERVISOR_GROUP_NAME, then environment=, set last so that it can
// override even those. The daemon's environment is the spec's BaseEnv,
// shared by every child rather than copied into each.
func childEnv(f *config.File, g *config.Group, p *config.Process) []string {
	env := make([]string, 0, 4+len(p.Environment))
	env = append(env, "SUPERVISOR_ENABLED=1")
	url := p.ServerURL
	if url == "" {
		url = f.ServerURL()
	}
	if url != "" {
		env = append(env, "SUPERVISOR_SERVER_URL="+url)
	}
	env = append(env, "SUPERVISOR_PROCESS_NAME="+p.Name, "SUPERVISOR_GROUP_NAME="+g.Name)
	for _, v := range p.Environment {
		env = append(env, v.Key+"="+v.Value)
	}
	return env
}

// dedupEnv returns environ with one entry per key: the last, where the
// key last appeared, as os/exec and Python's os.environ keep it. An
// environment handed to the daemon with a key twice is rare, but each
// child's environment is the daemon's plus its own entries set over it,
// so it is de-duplicated once here rather than at every spawn. An entry
// without "=" is kept as it is.
func dedupEnv(environ []string) []string {
	last := make(map[string]int, len(environ))
	for i, kv := range environ {
		if k, _, ok := strings.Cut(kv, "="); ok {
			last[k] = i
		}
	}
	if len(last) == len(environ) {
		return environ
	}
	out := make([]string, 0, len(last))
	for i, kv := range environ {
		if k, _, ok := strings.Cut(kv, "="); !ok || last[k] == i {
			out = append(out, kv)
		}
	}
	return out
}
