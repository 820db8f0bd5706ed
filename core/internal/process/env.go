package process

import "strings"

// Environ returns the child's complete environment: BaseEnv with each
// entry of Env set over it in turn, replacing the value of the first
// entry with the same key in place or else appended. nil when both are
// nil.
func (s SpawnSpec) Environ() []string {
	if s.BaseEnv == nil && s.Env == nil {
		return nil
	}
	env := make([]string, len(s.BaseEnv), len(s.BaseEnv)+len(s.Env))
	copy(env, s.BaseEnv)
	for _, kv := range s.Env {
		env = setEnv(env, kv)
	}
	return env
}

// setEnv sets the "KEY=value" entry kv in env.
func setEnv(env []string, kv string) []string {
	key, _, _ := strings.Cut(kv, "=")
	prefix := key + "="
	for i, old := range env {
		if strings.HasPrefix(old, prefix) {
			env[i] = kv
			return env
		}
	}
	return append(env, kv)
}
