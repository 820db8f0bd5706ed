package xmlrpc_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

func TestLancerMethods(t *testing.T) {
	t.Parallel()
	S, I := xmlrpc.String, func(n int) xmlrpc.Value { return xmlrpc.Int(int64(n)) }
	changes := []xmlrpc.Change{
		{Group: "g", Name: "a", Action: "updated", Status: xmlrpc.FaultSuccess, Description: "OK"},
		{Group: "c", Action: "removed", Status: xmlrpc.FaultStillRunning, Description: "STILL_RUNNING: c"},
	}
	ctx := t.Context()
	tests := []struct {
		name   string
		call   func(*xmlrpc.Client) (any, error)
		method string
		params []xmlrpc.Value
		reply  any
		want   any
	}{
		{"LancerAPIVersion", func(c *xmlrpc.Client) (any, error) { return c.LancerAPIVersion(ctx) },
			"lancer.getAPIVersion", nil, "1.0", "1.0"},
		{"SetNumprocs", func(c *xmlrpc.Client) (any, error) { return c.SetNumprocs(ctx, "w", 4) },
			"lancer.setNumprocs", []xmlrpc.Value{S("w"), I(4)},
			map[string]any{"added": []string{"w:w_2", "w:w_3"}, "removed": []string{}},
			xmlrpc.Numprocs{Added: []string{"w:w_2", "w:w_3"}, Removed: []string{}}},
		{"AddProgramToGroup", func(c *xmlrpc.Client) (any, error) {
			return nil, c.AddProgramToGroup(ctx, "g", "x", map[string]string{"command": "x", "numprocs": "2"})
		}, "lancer.addProgramToGroup", []xmlrpc.Value{S("g"), S("x"), xmlrpc.Struct(
			xmlrpc.Member{Name: "command", Value: S("x")}, xmlrpc.Member{Name: "numprocs", Value: S("2")})}, true, nil},
		{"RemoveProcessFromGroup", func(c *xmlrpc.Client) (any, error) { return nil, c.RemoveProcessFromGroup(ctx, "g", "x") },
			"lancer.removeProcessFromGroup", []xmlrpc.Value{S("g"), S("x")}, true, nil},
		{"Update all", func(c *xmlrpc.Client) (any, error) { return c.Update(ctx) },
			"lancer.update", []xmlrpc.Value{xmlrpc.Array()}, changes, changes},
		{"Update some", func(c *xmlrpc.Client) (any, error) { return c.Update(ctx, "g", "c") },
			"lancer.update", []xmlrpc.Value{xmlrpc.Array(S("g"), S("c"))}, changes, changes},
	}
	seen := make(chan recorded, 1)
	replies := make(chan any, 1)
	fake := &fakeSupervisord{methods: map[string]handlerFunc{}}
	for _, tt := range tests {
		fake.methods[tt.method] = func(_ *http.Request, params []xmlrpc.Value) (any, error) {
			seen <- recorded{tt.method, params}
			return <-replies, nil
		}
	}
	c, err := xmlrpc.NewClient(startUnix(t, fake), xmlrpc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		replies <- tt.reply
		got, err := tt.call(c)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			drain(seen)
			drain(replies)
			continue
		}
		rec := <-seen
		if rec.method != tt.method || !xmlrpc.Array(rec.params...).Equal(xmlrpc.Array(tt.params...)) {
			t.Errorf("%s sent %s%v; want %s%v", tt.name, rec.method, rec.params, tt.method, tt.params)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s = %#v; want %#v", tt.name, got, tt.want)
		}
	}
}

func TestChange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		c        xmlrpc.Change
		namespec string
		err      error
	}{
		{xmlrpc.Change{Group: "g", Action: "added", Status: xmlrpc.FaultSuccess, Description: "OK"}, "g", nil},
		{xmlrpc.Change{Group: "w", Name: "w", Action: "updated", Status: xmlrpc.FaultSuccess}, "w", nil},
		{xmlrpc.Change{Group: "g", Name: "a", Action: "removed", Status: xmlrpc.FaultStillRunning, Description: "STILL_RUNNING: g:a"},
			"g:a", xmlrpc.ErrStillRunning},
	}
	for _, tt := range tests {
		if got := tt.c.Namespec(); got != tt.namespec {
			t.Errorf("%+v.Namespec() = %q; want %q", tt.c, got, tt.namespec)
		}
		if err := tt.c.Err(); !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
			t.Errorf("%+v.Err() = %v; want %v", tt.c, err, tt.err)
		}
	}
}

func ExampleClient_SetNumprocs() {
	// A stand-in for Lancer's supervisord running [program:web] with
	// numprocs=2.
	srv := httptest.NewServer(&fakeSupervisord{methods: map[string]handlerFunc{
		"lancer.setNumprocs": func(*http.Request, []xmlrpc.Value) (any, error) {
			return xmlrpc.Numprocs{Added: []string{"web:web_02"}, Removed: []string{}}, nil
		},
	}})
	defer srv.Close()

	c, err := xmlrpc.NewClient(srv.URL, xmlrpc.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	res, err := c.SetNumprocs(context.Background(), "web", 3)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("added", res.Added, "removed", res.Removed)
	// Output: added [web:web_02] removed []
}
