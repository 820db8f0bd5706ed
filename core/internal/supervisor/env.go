package supervisor

import (
	"strings"

	"github.com/lancerhq/lancer/core/internal/config"
)

// childEnv builds a child's environment as the reference does (§1.9): the
// daemon's environment, then SUPERVISOR_ENABLED, SUPERVISOR_SERVER_URL
// (when there is a server), SUPERVISOR_PROCESS_NAME and
// SUPERVISOR_GROUP_NAME, then environment= applied last, so that it can
// override even those.
func (s *Supervisor) childEnv(f *config.File, g *config.Group, p *config.Process) []string {
	env := make([]string, 0, len(s.opts.Environ)+4+len(p.Environment))
	env = append(env, s.opts.Environ...)
	set := func(k, v string) { env = setEnv(env, k, v) }
	set("SUPERVISOR_ENABLED", "1")
	url := p.ServerURL
	if url == "" {
		url = f.ServerURL()
	}
	if url != "" {
		set("SUPERVISOR_SERVER_URL", url)
	}
	set("SUPERVISOR_PROCESS_NAME", p.Name)
	set("SUPERVISOR_GROUP_NAME", g.Name)
	for _, v := range p.Environment {
		set(v.Key, v.Value)
	}
	return env
}

// setEnv sets key in a KEY=value list, replacing an earlier value.
func setEnv(env []string, key, value string) []string {
	prefix := key + "="
	for i, kv := range env {
		if strings.HasPrefix(kv, prefix) {
			env[i] = prefix + value
			return env
		}
	}
	return append(env, prefix+value)
}
