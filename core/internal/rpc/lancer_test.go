package rpc

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/lancerhq/lancer/core/internal/config"
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
	if len(names) != 45 || !slices.Contains(names, "lancer.setNumprocs") || !slices.IsSorted(names) {
		t.Errorf("listMethods = %q; want the 41 of the reference and 4 lancer.*, sorted", names)
	}
}
