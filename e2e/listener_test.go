package e2e

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lancerhq/lancer/internal/testproc"
	"github.com/lancerhq/lancer/protocol"
	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

// commText is sent by the comm program in capture mode: two-, three- and
// four-byte UTF-8 characters, so that a listener counting len in bytes
// would fall out of step with the Python supervisord.
const commText = "héllo wörld ✓ 日本語 🚀"

// TestServeListenerUnderOracle runs a listener built on protocol.Serve as an
// [eventlistener:rec] under the Python supervisord. It must see the state
// changes of a program that exits with their fields, and a non-ASCII
// PROCESS_COMMUNICATION payload intact and in step with what follows it.
func TestServeListenerUnderOracle(t *testing.T) {
	d := newConfData(t)
	d.Listener = testproc.CommandLine("record", d.Record)
	conf := writeConf(t, "listener.conf", d)
	startOracle(t, conf, d.Sock)
	c, err := xmlrpc.NewClient("unix://"+d.Sock, xmlrpc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitState(t, c, "rec", "RUNNING")

	if err := c.StartProcess(t.Context(), "comm", true); err != nil {
		t.Fatalf("StartProcess(comm) = %v", err)
	}
	comm := waitEvent(t, d.Record, protocol.ProcessCommunicationStdout, "comm")
	checkCommEvent(t, comm)

	if err := c.StartProcess(t.Context(), "quick", true); err != nil {
		t.Fatalf("StartProcess(quick) = %v", err)
	}
	exited := waitEvent(t, d.Record, protocol.ProcessStateExited, "quick")
	checkQuickStates(t, readRecords(t, d.Record), exited)
}

func checkCommEvent(t *testing.T, r record) {
	t.Helper()
	h := r.header()
	p, err := protocol.ParsePayload(h.Type(), r.Payload)
	if err != nil {
		t.Fatalf("parse %s payload %q: %v", h.EventName, r.Payload, err)
	}
	pc := p.(protocol.ProcessCommunication)
	if pc.Data != commText || pc.ProcessName != "comm" || pc.GroupName != "comm" || pc.PID <= 0 {
		t.Errorf("PROCESS_COMMUNICATION_STDOUT = %+v; want data %q from comm", pc, commText)
	}
	// The reference counts len in characters; the bytes on the wire are more.
	if chars := utf8.RuneCountInString(r.Payload); h.Len != chars || len(r.Payload) <= chars {
		t.Errorf("header len = %d, payload %d chars, %d bytes; want len = chars < bytes", h.Len, chars, len(r.Payload))
	}
}

// checkQuickStates checks STARTING -> RUNNING -> EXITED of quick, which
// sleeps 300ms and exits 3 (not in exitcodes, so expected:0).
func checkQuickStates(t *testing.T, recs []record, exited record) {
	t.Helper()
	var got []protocol.ProcessState
	for _, r := range recs {
		p, err := protocol.ParsePayload(r.header().Type(), r.Payload)
		if err != nil {
			t.Fatalf("record %s %q: %v", r.Header["eventname"], r.Payload, err)
		}
		if ps, ok := p.(protocol.ProcessState); ok && ps.ProcessName == "quick" {
			got = append(got, ps)
		}
	}
	if len(got) != 3 {
		t.Fatalf("quick's state events = %+v; want STARTING, RUNNING, EXITED", got)
	}
	want := []struct {
		typ  protocol.EventType
		from string
	}{
		{protocol.ProcessStateStarting, "STOPPED"},
		{protocol.ProcessStateRunning, "STARTING"},
		{protocol.ProcessStateExited, "RUNNING"},
	}
	for i, w := range want {
		if got[i].Type != w.typ || got[i].FromState != w.from || got[i].GroupName != "quick" {
			t.Errorf("event %d = %+v; want %s from %s in group quick", i, got[i], w.typ, w.from)
		}
	}
	if got[1].PID <= 0 || got[2].PID != got[1].PID {
		t.Errorf("pids: RUNNING %d, EXITED %d; want the same positive pid", got[1].PID, got[2].PID)
	}
	if got[2].Expected {
		t.Errorf("EXITED expected = true; want false for exit status 3")
	}
	if h := exited.header(); h.Server != "e2e-oracle" || h.Pool != "rec" || h.Ver != "3.0" {
		t.Errorf("EXITED header = %+v; want ver 3.0, server e2e-oracle, pool rec", h)
	}
}

// waitEvent waits until the recording listener has seen an event of type typ
// about process name, and returns it.
func waitEvent(t *testing.T, path string, typ protocol.EventType, name string) record {
	t.Helper()
	var found *record
	testproc.WaitFor(t, 20*time.Second, string(typ)+" of "+name, func() bool {
		for _, r := range readRecords(t, path) {
			fields, _, err := protocol.SplitPayload(r.Payload)
			if err == nil && r.header().Type() == typ && fields["processname"] == name {
				found = &r
				return true
			}
		}
		return false
	})
	return *found
}
