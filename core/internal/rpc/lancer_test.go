package rpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lancerhq/lancer/core/internal/config"
	"github.com/lancerhq/lancer/core/internal/process"
	"github.com/lancerhq/lancer/core/internal/supervisor"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// fakeScaler records the lancer.* calls and answers err.
type fakeScaler struct {
	calls []string
	err   error
}

func (s *fakeScaler) SetNumprocs(_ context.Context, program string, n int) ([]string, []string, error) {
	s.calls = append(s.calls, fmt.Sprintf("numprocs %s %d", program, n))
	if s.err != nil {
		return nil, nil, s.err
	}
	return []string{program + ":" + program + "_02"}, nil, nil
}

func (s *fakeScaler) AddProgramToGroup(_ context.Context, group, program string, opts map[string]string) error {
	var kv []string
	for _, k := range slices.Sorted(maps.Keys(opts)) {
		kv = append(kv, k+"="+opts[k])
	}
	s.calls = append(s.calls, fmt.Sprintf("add %s %s %v", group, program, kv))
	return s.err
}

func (s *fakeScaler) RemoveProcessFromGroup(_ context.Context, group, process string) error {
	s.calls = append(s.calls, fmt.Sprintf("remove %s %s", group, process))
	return s.err
}

func (s *fakeScaler) Update(_ context.Context, groups []string) ([]supervisor.Change, error) {
	s.calls = append(s.calls, fmt.Sprintf("update %q", groups))
	if s.err != nil {
		return nil, s.err
	}
	return []supervisor.Change{
		{Group: "c", Action: supervisor.ActionRemoved},
		{Group: "g", Name: "a", Action: supervisor.ActionUpdated, Err: fmt.Errorf("%w: g:b", supervisor.ErrStillRunning)},
		{Group: "g", Name: "d", Action: supervisor.ActionAdded},
	}, nil
}

func TestLancerMethods(t *testing.T) {
	tests := []struct {
		name   string
		err    error // the Scaler's
		method string
		params []any
		want   any
		fault  string
		call   string // what the Scaler received
	}{
		{name: "version", method: "lancer.getAPIVersion", want: "1.0"},
		{name: "numprocs", method: "lancer.setNumprocs", params: []any{"web", 3}, call: "numprocs web 3",
			want: map[string]any{"added": []any{"web:web_02"}, "removed": []any{}}},
		{name: "numprocs string count", method: "lancer.setNumprocs", params: []any{"web", "2"}, call: "numprocs web 2",
			want: map[string]any{"added": []any{"web:web_02"}, "removed": []any{}}},
		{name: "numprocs zero", method: "lancer.setNumprocs", params: []any{"web", 0}, fault: "BAD_ARGUMENTS: numprocs must be at least 1"},
		{name: "numprocs bad name", method: "lancer.setNumprocs", params: []any{"nosuch", 2}, call: "numprocs nosuch 2",
			err: fmt.Errorf("%w: nosuch", supervisor.ErrBadName), fault: "BAD_NAME: nosuch"},
		{name: "numprocs template", method: "lancer.setNumprocs", params: []any{"web", 2}, call: "numprocs web 2",
			err:   &config.Error{Section: "program:web", Option: "process_name", Err: errors.New("must contain %(process_num)")},
			fault: "INCORRECT_PARAMETERS: [program:web] process_name: must contain %(process_num)"},
		{name: "add", method: "lancer.addProgramToGroup", want: true,
			params: []any{"grp", "extra", map[string]any{"command": "/bin/cat", "numprocs": 2, "autostart": false}},
			call:   "add grp extra [autostart=false command=/bin/cat numprocs=2]"},
		{name: "add duplicate", method: "lancer.addProgramToGroup", params: []any{"grp", "web", map[string]any{}},
			call: "add grp web []", err: fmt.Errorf("%w: grp:web", supervisor.ErrAlreadyAdded), fault: "ALREADY_ADDED: grp:web"},
		{name: "add bad options", method: "lancer.addProgramToGroup", params: []any{"grp", "x", map[string]any{"a": []any{}}},
			fault: "INCORRECT_PARAMETERS"},
		{name: "add options not a struct", method: "lancer.addProgramToGroup", params: []any{"grp", "x", "command=ls"},
			fault: "INCORRECT_PARAMETERS"},
		{name: "remove", method: "lancer.removeProcessFromGroup", params: []any{"grp", "web"}, want: true, call: "remove grp web"},
		{name: "remove running", method: "lancer.removeProcessFromGroup", params: []any{"grp", "web"}, call: "remove grp web",
			err: fmt.Errorf("%w: grp:web", supervisor.ErrStillRunning), fault: "STILL_RUNNING: grp:web"},
		{name: "update", method: "lancer.update", call: `update []`, want: []any{
			map[string]any{"group": "c", "name": "", "action": "removed", "status": 80, "description": "OK"},
			map[string]any{"group": "g", "name": "a", "action": "updated", "status": 91, "description": "STILL_RUNNING: g:b"},
			map[string]any{"group": "g", "name": "d", "action": "added", "status": 80, "description": "OK"},
		}},
		{name: "update groups", method: "lancer.update", params: []any{[]any{"g", "c"}}, call: `update ["g" "c"]`,
			err: fmt.Errorf("%w: nosuch", supervisor.ErrBadName), fault: "BAD_NAME: nosuch"},
		{name: "update not an array", method: "lancer.update", params: []any{"g"}, fault: "INCORRECT_PARAMETERS"},
		{name: "update cannot reread", method: "lancer.update", params: []any{[]any{}}, call: `update []`,
			err:   fmt.Errorf("%w: supervisord.conf:3: [program:x] startsecs: invalid integer", supervisor.ErrCantReread),
			fault: "CANT_REREAD: supervisord.conf:3: [program:x] startsecs: invalid integer"},
		{name: "numprocs in place refused", method: "lancer.setNumprocs", params: []any{"w", 3}, call: "numprocs w 3",
			err: errors.New("cannot set the numprocs of w in place"), fault: "FAILED: cannot set the numprocs of w in place"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &fakeScaler{err: tt.err}
			h, _ := newHandler(t, stdFake(t), Options{Scaler: s})
			if tt.fault != "" {
				wantFault(t, h, tt.fault, tt.method, tt.params...)
			} else if got := mustCall(t, h, tt.method, tt.params...).Interface(); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("%s%v = %v; want %v", tt.method, tt.params, got, tt.want)
			}
			if want := []string{tt.call}; tt.call != "" && !slices.Equal(s.calls, want) || tt.call == "" && s.calls != nil {
				t.Errorf("Scaler calls = %q; want %q", s.calls, tt.call)
			}
		})
	}
}

// TestLancerNamespace checks that lancer.* exists only with a Scaler.
func TestLancerNamespace(t *testing.T) {
	h, _ := newHandler(t, stdFake(t), Options{})
	wantFault(t, h, "UNKNOWN_METHOD", "lancer.getAPIVersion")
	h, _ = newHandler(t, stdFake(t), Options{Scaler: &fakeScaler{}})
	var names []string
	if err := xmlrpc.Unmarshal(mustCall(t, h, "system.listMethods"), &names); err != nil {
		t.Fatal(err)
	}
	if len(names) != 46 || !slices.Contains(names, "lancer.setNumprocs") || !slices.IsSorted(names) {
		t.Errorf("listMethods = %q; want the 41 of the reference and 5 lancer.*, sorted", names)
	}
}

// sleepSpawner is a process.Spawner whose children run until signalled,
// with pids from 101 in spawn order.
type sleepSpawner struct {
	mu   sync.Mutex
	pids int
}

func (s *sleepSpawner) Spawn(process.SpawnSpec) (process.Proc, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pids++
	return &sleeper{pid: 100 + s.pids, done: make(chan struct{})}, nil
}

type sleeper struct {
	pid  int
	once sync.Once
	done chan struct{}
}

func (p *sleeper) Pid() int         { return p.pid }
func (p *sleeper) Stdin() io.Writer { return io.Discard }
func (p *sleeper) OnExit(f func())  { go func() { <-p.done; f() }() }
func (p *sleeper) Signal(syscall.Signal, bool) error {
	p.once.Do(func() { close(p.done) })
	return nil
}
func (p *sleeper) Wait() process.ExitStatus {
	<-p.done
	return process.ExitStatus{Signal: syscall.SIGTERM}
}

// TestLancerAgainstSupervisor drives a real Supervisor, with children
// that only wait for a signal, through the lancer.* methods.
func TestLancerAgainstSupervisor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "supervisord.conf")
		conf := "[supervisord]\n\n[program:w]\ncommand = w\nprocess_name = w_%(process_num)d\nnumprocs = 2\n" +
			"startsecs = 0\nstdout_logfile = NONE\nstderr_logfile = NONE\n"
		if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
		opts := config.Options{Environ: []string{}, Hostname: "h", Dir: dir}
		load := func() (*config.File, error) { return config.Load(path, opts) }
		cfg, err := load()
		if err != nil {
			t.Fatal(err)
		}
		s, err := supervisor.New(supervisor.Options{Config: cfg, Reload: load, Spawner: &sleepSpawner{}, Environ: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- s.Run(ctx) }()
		synctest.Wait()
		h := New(Options{Supervisor: s, Scaler: supervisor.NewScaler(s, opts), Location: time.UTC})
		pids := func() string {
			var infos []xmlrpc.ProcessInfo
			if err := xmlrpc.Unmarshal(mustCall(t, h, "supervisor.getAllProcessInfo"), &infos); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, i := range infos {
				out = append(out, fmt.Sprintf("%s %s %d", i.Namespec(), i.StateName, i.PID))
			}
			return strings.Join(out, ", ")
		}
		steps := []struct {
			method string
			params []any
			want   string // the result, or the faultString
			pids   string
		}{
			{"lancer.setNumprocs", []any{"w", 3}, "map[added:[w:w_2] removed:[]]",
				"w:w_0 RUNNING 101, w:w_1 RUNNING 102, w:w_2 RUNNING 103"},
			{"lancer.setNumprocs", []any{"w", 1}, "map[added:[] removed:[w:w_2 w:w_1]]", "w:w_0 RUNNING 101"},
			{"lancer.setNumprocs", []any{"nosuch", 2}, "BAD_NAME: nosuch", "w:w_0 RUNNING 101"},
			{"lancer.addProgramToGroup", []any{"w", "x", map[string]any{"command": "x", "autostart": false}}, "true",
				"w:w_0 RUNNING 101, w:x STOPPED 0"},
			{"lancer.addProgramToGroup", []any{"w", "y", map[string]any{"command": "y", "startsecs": "soon"}},
				`INCORRECT_PARAMETERS: [program:y] startsecs: invalid integer "soon"`, "w:w_0 RUNNING 101, w:x STOPPED 0"},
			{"lancer.addProgramToGroup", []any{"w", "x", map[string]any{"command": "x"}}, "ALREADY_ADDED: w:x",
				"w:w_0 RUNNING 101, w:x STOPPED 0"},
			{"lancer.removeProcessFromGroup", []any{"w", "w_0"}, "STILL_RUNNING: w:w_0", "w:w_0 RUNNING 101, w:x STOPPED 0"},
			{"lancer.removeProcessFromGroup", []any{"w", "x"}, "true", "w:w_0 RUNNING 101"},
			// The file still has numprocs = 2.
			{"lancer.update", nil, "[map[action:added description:OK group:w name:w_1 status:80]]",
				"w:w_0 RUNNING 101, w:w_1 RUNNING 104"},
		}
		for _, st := range steps {
			v, f := call(t, h, st.method, st.params...)
			got := fmt.Sprint(v.Interface())
			if f != nil {
				got = f.String
			}
			if got != st.want {
				t.Errorf("%s%v = %s; want %s", st.method, st.params, got, st.want)
			}
			synctest.Wait()
			if got := pids(); got != st.pids {
				t.Errorf("after %s%v: processes %s; want %s", st.method, st.params, got, st.pids)
			}
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	})
}
