package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"text/template"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// scaleConf runs w with two processes on our daemon; the header is
// testdata/common.tmpl's.
const scaleConf = `{{template "header" .}}
[unix_http_server]
file={{.Sock}}

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[program:w]
command={{call .Helper "sleep" "120s"}}
process_name=w_%(process_num)d
numprocs=2
startsecs=0
`

// TestSetNumprocsKeepsOthers scales a program of our daemon up and down
// with lancer.setNumprocs, then puts the file's numprocs back with
// lancer.update: the process every step leaves alone keeps its pid.
func TestSetNumprocsKeepsOthers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the daemon and real processes")
	}
	d := newConfData(t)
	tmpl := template.Must(template.ParseFiles(filepath.Join("testdata", "common.tmpl")))
	template.Must(tmpl.New("scale").Parse(scaleConf))
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "scale", d); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(d.Dir, "supervisord.conf")
	if err := os.WriteFile(conf, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	daemon := startDaemon(t, lancerBinary(t, "supervisord"), conf, d.Sock)
	c, err := xmlrpc.NewClient("unix://"+d.Sock, xmlrpc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := t.Context()
	waitState(t, c, "w:w_0", "RUNNING")
	waitState(t, c, "w:w_1", "RUNNING")
	start := running(t, c)
	pid0 := start["w:w_0"]

	got, err := c.SetNumprocs(ctx, "w", 4)
	if want := (xmlrpc.Numprocs{Added: []string{"w:w_2", "w:w_3"}, Removed: []string{}}); err != nil ||
		!slices.Equal(got.Added, want.Added) || len(got.Removed) != 0 {
		t.Fatalf("SetNumprocs(w, 4) = %+v, %v; want %+v", got, err, want)
	}
	waitState(t, c, "w:w_3", "RUNNING")
	up := running(t, c)
	if len(up) != 4 || up["w:w_0"] != pid0 || up["w:w_1"] != start["w:w_1"] {
		t.Errorf("after SetNumprocs(w, 4): running %v; want 4 processes, w:w_0 and w:w_1 with their pids %v", up, start)
	}

	got, err = c.SetNumprocs(ctx, "w", 1)
	if want := []string{"w:w_3", "w:w_2", "w:w_1"}; err != nil || !slices.Equal(got.Removed, want) || len(got.Added) != 0 {
		t.Fatalf("SetNumprocs(w, 1) = %+v, %v; want removed %q", got, err, want)
	}
	if after := running(t, c); fmt.Sprint(after) != fmt.Sprint(map[string]int{"w:w_0": pid0}) {
		t.Errorf("after SetNumprocs(w, 1): running %v; want only w:w_0 with pid %d", after, pid0)
	}

	// The file still says numprocs=2: update adds w_1 back and leaves
	// w_0 running.
	changes, err := c.Update(ctx)
	if err != nil || len(changes) != 1 || changes[0].Namespec() != "w:w_1" || changes[0].Action != "added" || changes[0].Err() != nil {
		t.Fatalf("Update() = %+v, %v; want w:w_1 added", changes, err)
	}
	waitState(t, c, "w:w_1", "RUNNING")
	if pid := running(t, c)["w:w_0"]; pid != pid0 {
		t.Errorf("w:w_0 has pid %d after update; want %d, untouched", pid, pid0)
	}
	daemon.stop(t)
	assertNoneLeft(t, d.Dir)
}

// running returns the pid of every RUNNING process by namespec, and
// fails t if any process is in another state.
func running(t *testing.T, c *xmlrpc.Client) map[string]int {
	t.Helper()
	infos, err := c.GetAllProcessInfo(t.Context())
	if err != nil {
		t.Fatalf("GetAllProcessInfo = %v", err)
	}
	out := map[string]int{}
	for _, i := range infos {
		if i.StateName != "RUNNING" {
			t.Errorf("%s is %s; want RUNNING", i.Namespec(), i.StateName)
		}
		out[i.Namespec()] = i.PID
	}
	return out
}
