package supervisor

import (
	"slices"
	"testing"
	"testing/synctest"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/process"
)

// TestChildEnv checks a child's environment (reference §1.9): the
// daemon's, then SUPERVISOR_ENABLED, SUPERVISOR_SERVER_URL,
// SUPERVISOR_PROCESS_NAME and SUPERVISOR_GROUP_NAME, then environment=,
// which overrides even those.
func TestChildEnv(t *testing.T) {
	t.Parallel()
	unix := []config.UnixHTTPServer{{File: "/run/s.sock"}}
	inet := []config.InetHTTPServer{{Host: "", Port: 9001}}
	tests := []struct {
		name    string
		environ []string
		file    config.File
		proc    config.Process
		want    []string
	}{
		{"no server", []string{"PATH=/bin"}, config.File{}, config.Process{Name: "x"},
			[]string{"PATH=/bin", "SUPERVISOR_ENABLED=1", "SUPERVISOR_PROCESS_NAME=x", "SUPERVISOR_GROUP_NAME=g"}},
		{"unix server", nil, config.File{UnixHTTPServers: unix}, config.Process{Name: "x"},
			[]string{"SUPERVISOR_ENABLED=1", "SUPERVISOR_SERVER_URL=unix:///run/s.sock", "SUPERVISOR_PROCESS_NAME=x", "SUPERVISOR_GROUP_NAME=g"}},
		{"unix before inet", nil, config.File{UnixHTTPServers: unix, InetHTTPServers: inet}, config.Process{Name: "x"},
			[]string{"SUPERVISOR_ENABLED=1", "SUPERVISOR_SERVER_URL=unix:///run/s.sock", "SUPERVISOR_PROCESS_NAME=x", "SUPERVISOR_GROUP_NAME=g"}},
		{"inet on every interface", nil, config.File{InetHTTPServers: inet}, config.Process{Name: "x"},
			[]string{"SUPERVISOR_ENABLED=1", "SUPERVISOR_SERVER_URL=http://localhost:9001", "SUPERVISOR_PROCESS_NAME=x", "SUPERVISOR_GROUP_NAME=g"}},
		{"inet on one host", nil, config.File{InetHTTPServers: []config.InetHTTPServer{{Host: "10.0.0.1", Port: 80}}}, config.Process{Name: "x"},
			[]string{"SUPERVISOR_ENABLED=1", "SUPERVISOR_SERVER_URL=http://10.0.0.1:80", "SUPERVISOR_PROCESS_NAME=x", "SUPERVISOR_GROUP_NAME=g"}},
		{"program serverurl", nil, config.File{UnixHTTPServers: unix}, config.Process{Name: "x", ServerURL: "http://elsewhere:1"},
			[]string{"SUPERVISOR_ENABLED=1", "SUPERVISOR_SERVER_URL=http://elsewhere:1", "SUPERVISOR_PROCESS_NAME=x", "SUPERVISOR_GROUP_NAME=g"}},
		{"daemon's own SUPERVISOR_ variables replaced in place",
			[]string{"SUPERVISOR_GROUP_NAME=outer", "HOME=/root", "SUPERVISOR_ENABLED=0"}, config.File{}, config.Process{Name: "x"},
			[]string{"SUPERVISOR_GROUP_NAME=g", "HOME=/root", "SUPERVISOR_ENABLED=1", "SUPERVISOR_PROCESS_NAME=x"}},
		{"environment= applied last", []string{"HOME=/root", "A=daemon"}, config.File{UnixHTTPServers: unix},
			config.Process{Name: "x", Environment: config.Env{
				{Key: "A", Value: "program"}, {Key: "SUPERVISOR_PROCESS_NAME", Value: "mine"},
				{Key: "SUPERVISOR_GROUP_NAME", Value: "overridden"}, {Key: "SUPERVISOR_SERVER_URL", Value: "none"},
				{Key: "NEW", Value: "1"},
			}},
			[]string{"HOME=/root", "A=program", "SUPERVISOR_ENABLED=1", "SUPERVISOR_SERVER_URL=none",
				"SUPERVISOR_PROCESS_NAME=mine", "SUPERVISOR_GROUP_NAME=overridden", "NEW=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			environ := slices.Clone(tt.environ)
			spec := process.SpawnSpec{BaseEnv: environ, Env: childEnv(&tt.file, &config.Group{Name: "g"}, &tt.proc)}
			got := spec.Environ()
			if !slices.Equal(got, tt.want) {
				t.Errorf("childEnv = %q; want %q", got, tt.want)
			}
			if !slices.Equal(environ, tt.environ) {
				t.Errorf("childEnv changed the daemon's environment to %q", environ)
			}
		})
	}
}

// TestSpawnEnv checks that what the spawner gets is the merged
// environment, with [supervisord] environment under the program's own.
func TestSpawnEnv(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, `
[unix_http_server]
file = /run/x.sock

[program:web]
command = web --port 80
process_name = w%(process_num)d
numprocs = 1
environment = B="prog",C=%(process_num)d
`)
		h.opts.Environ = []string{"PATH=/bin", "A=daemon"}
		h.start()
		sp, ok := h.fake.spec("w0")
		if !ok {
			t.Fatal("w0 was not spawned")
		}
		want := []string{"PATH=/bin", "A=daemon", "SUPERVISOR_ENABLED=1", "SUPERVISOR_SERVER_URL=unix:///run/x.sock",
			"SUPERVISOR_PROCESS_NAME=w0", "SUPERVISOR_GROUP_NAME=web", "B=prog", "C=0"}
		if got := sp.Environ(); !slices.Equal(got, want) {
			t.Errorf("spawn env = %q; want %q", got, want)
		}
		if want := []string{"web", "--port", "80"}; !slices.Equal(sp.Argv, want) {
			t.Errorf("spawn argv = %q; want %q", sp.Argv, want)
		}
		h.stop()
	})
}

func TestDedupEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"none", nil, nil},
		{"unique", []string{"A=1", "B=2"}, []string{"A=1", "B=2"}},
		{"last wins where it stands", []string{"A=1", "B=2", "A=3"}, []string{"B=2", "A=3"}},
		{"thrice", []string{"A=1", "A=2", "B=x", "A=3"}, []string{"B=x", "A=3"}},
		{"empty values", []string{"A=", "A=1", "A="}, []string{"A="}},
		{"no equals sign kept", []string{"junk", "A=1", "junk", "A=2"}, []string{"junk", "junk", "A=2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dedupEnv(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("dedupEnv(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}
